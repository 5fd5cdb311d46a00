import type { TsType, ValueMapping, ZodExpr } from '../backend';
import type { NeutralType } from '../model';
import { DEFAULT_TYPES } from './mapping';

/**
 * The zod side of the value mapping: per neutral type, a zod/v4 expression whose `z.infer` is exactly the
 * TypeScript core's DEFAULT_TYPES say, and a reading of plain TypeScript texts for mappings that give no
 * `zod` of their own. Dates are `z.date()` (what drivers return; coerce in your own schema for JSON input);
 * `Uint8Array` is checked with instanceof through z.custom, since z.instanceof would infer the narrower
 * `Uint8Array<ArrayBuffer>`.
 */
const JSON_SCHEMA: ZodExpr = { row: 'JsonSchema', declares: ['JsonSchema'] };
const BYTES = 'z.custom<Uint8Array>((value) => value instanceof Uint8Array)';

export const DEFAULT_ZOD: Readonly<Partial<Record<NeutralType, ZodExpr>>> = {
  integer: { row: 'z.number().int()' },
  geopoint: { row: 'z.object({ latitude: z.number(), longitude: z.number() })' },
  array: { row: 'z.array(JsonSchema)', declares: ['JsonSchema'] },
};

/** Core's zod helper schemas; `needs`: the TypeScript declarations they use. */
export const CORE_ZOD_DECLARATIONS: Readonly<Record<string, { text: string; needs: readonly string[] }>> = {
  JsonSchema: {
    text: [
      '/** Any JSON value, as the Json type says. */',
      'export const JsonSchema: z.ZodType<Json> = z.lazy(() =>',
      '  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JsonSchema), z.record(z.string(), JsonSchema.optional())]),',
      ');',
    ].join('\n'),
    needs: ['Json'],
  },
};

/** Plain TypeScript texts core knows the schema of. */
const SIMPLE: Readonly<Record<string, ZodExpr>> = {
  string: { row: 'z.string()' },
  number: { row: 'z.number()' },
  bigint: { row: 'z.bigint()' },
  boolean: { row: 'z.boolean()' },
  Date: { row: 'z.date()' },
  null: { row: 'z.null()' },
  unknown: { row: 'z.unknown()' },
  'unknown[]': { row: 'z.array(z.unknown())' },
  Json: JSON_SCHEMA,
  'Json[]': { row: 'z.array(JsonSchema)', declares: ['JsonSchema'] },
  Uint8Array: { row: BYTES },
};

/**
 * A value of a class a driver exports (`from`; a global class without it), checked with instanceof and typed as exactly the class (z.instanceof
 * would infer `InstanceType<…>`, which for a generic class is not the class's own default).
 */
export function zodInstance(name: string, from?: string): ZodExpr {
  return { row: `z.custom<${name}>((value) => value instanceof ${name})`, ...(from ? { imports: [{ name, from }] } : {}) };
}

/** A union of expressions, with every import and declaration its members need. */
export function zodUnion(...members: ZodExpr[]): ZodExpr {
  return {
    row: `z.union([${members.map((m) => m.row).join(', ')}])`,
    imports: members.flatMap((m) => m.imports ?? []),
    typeImports: members.flatMap((m) => m.typeImports ?? []),
    declares: members.flatMap((m) => m.declares ?? []),
  };
}

/** A schema for a row type and one for its write type, as a TsType's `zod`. */
export function zodReadWrite(row: ZodExpr, write: ZodExpr): ZodExpr {
  return {
    row: row.row,
    write: write.row,
    imports: [...(row.imports ?? []), ...(write.imports ?? [])],
    typeImports: [...(row.typeImports ?? []), ...(write.typeImports ?? [])],
    declares: [...(row.declares ?? []), ...(write.declares ?? [])],
  };
}

/** What a mapped type is in zod: its own `zod`, a known TypeScript text (or union of them), or undefined. */
export function zodOf(t: TsType, type: NeutralType, write: boolean): ZodExpr | undefined {
  const pick = (z: ZodExpr): ZodExpr => ({ ...z, row: write ? (z.write ?? z.row) : z.row });
  if (t.zod) return pick(t.zod);
  const text = write ? (t.write ?? t.row) : t.row;
  // A core default whose TypeScript the backend kept: core's schema for it (integers are checked as such).
  const fallback = DEFAULT_ZOD[type];
  if (fallback && text === DEFAULT_TYPES[type].row) return fallback;
  return fromText(text);
}

function fromText(text: string): ZodExpr | undefined {
  if (SIMPLE[text]) return SIMPLE[text];
  const parts = text.split(' | ');
  if (parts.length < 2) return undefined;
  const members = parts.map((p) => SIMPLE[p]);
  if (members.some((m) => !m)) return undefined;
  return { row: `z.union([${members.map((m) => m!.row).join(', ')}])`, declares: members.flatMap((m) => m!.declares ?? []) };
}

/** The text of a zod helper declaration: the backend's own, else core's. */
export function zodDeclaration(mapping: ValueMapping, name: string): { text: string; needs?: readonly string[]; uses?: readonly string[] } | undefined {
  return mapping.zodDeclarations?.[name] ?? CORE_ZOD_DECLARATIONS[name];
}
