/**
 * The part of zod Plugboard uses, as one `z` object: the bundle's dist/vendor-zod.js is built from this file
 * (esbuild.js), so zod's 60-odd locales, its JSON Schema importer and the rest are left out. Requiring it
 * takes about a third of the time the whole package takes (16 ms against 50 ms on the bench machine).
 * Only src/core/zod.ts loads it, through `require('zod')`; a zod export used in src/ and missing here fails
 * test/unit/zodVendor.test.ts.
 */
import * as zod from 'zod';

// Each name once, read off the namespace: esbuild keeps only the exports read here.
export const z = {
  array: zod.array,
  bigint: zod.bigint,
  boolean: zod.boolean,
  config: zod.config,
  custom: zod.custom,
  date: zod.date,
  discriminatedUnion: zod.discriminatedUnion,
  endsWith: zod.endsWith,
  enum: zod.enum,
  gte: zod.gte,
  instanceof: zod.instanceof,
  int: zod.int,
  intersection: zod.intersection,
  json: zod.json,
  lazy: zod.lazy,
  literal: zod.literal,
  lte: zod.lte,
  maxLength: zod.maxLength,
  minLength: zod.minLength,
  never: zod.never,
  null: zod.null,
  nullable: zod.nullable,
  number: zod.number,
  object: zod.object,
  optional: zod.optional,
  record: zod.record,
  strictObject: zod.strictObject,
  string: zod.string,
  toJSONSchema: zod.toJSONSchema,
  tuple: zod.tuple,
  union: zod.union,
  unknown: zod.unknown,
  ZodError: zod.ZodError,
  ZodType: zod.ZodType,
};
