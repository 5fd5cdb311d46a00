import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { lazySchema } from '../../lazy';
import { z } from '../../zod';
import { PlugboardError } from '../../errors';
import { locateJson, type JsonLocation } from './locate';
import { tsTypeProblem } from './tsTypeExpr';

/**
 * `.plugboard/overrides.json`: what the user wants generated code to say that the schema cannot tell, kept
 * apart from the generated files so it survives regeneration. Keyed as an object tree, not by dotted
 * strings, so any identifier works (a table named `a.b`, a schema named `$schema`):
 *
 *   { "namespaces": { "public": { "orders": {
 *       "name": "Order",
 *       "fields": { "meta": { "tsType": "OrderMeta", "import": { "name": "OrderMeta", "from": "../src/types" } },
 *                   "total": { "nullable": false }, "customer_id": { "name": "customerId" } } },
 *     "audit_log": { "skip": true } } } }
 *
 * Document fields nest: a field's own `fields` override the members of an object field (or of the objects in
 * an array field). Renames apply to top-level fields only: CRUD runtimes map those names to the database's.
 */
export const DEFAULT_OVERRIDES_FILE = path.join('.plugboard', 'overrides.json');

const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*$/u;
const ONE_LINE = /^[^\r\n\u2028\u2029]*$/;

const ImportSpec = lazySchema(() => z
  .object({
    name: z.string().regex(IDENTIFIER, 'must be a TypeScript identifier (a named export)'),
    from: z.string().min(1).max(300).regex(ONE_LINE, 'must be on one line').describe('A package name, or a path relative to the output folder, as an import would say it.'),
  })
  .strict());
export type ImportSpec = z.infer<typeof ImportSpec>;

const TsTypeText = lazySchema(() => z
  .string()
  .min(1)
  .superRefine((value, ctx) => {
    const problem = tsTypeProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('The TypeScript type of the value, e.g. "OrderMeta" or "Record<string, number>". `| null` is added when the field is nullable.'));

const CodeName = lazySchema(() => z.string().min(1).max(120).regex(ONE_LINE, 'must be on one line'));

const FIELD_SHAPE = lazySchema(() => ({
  tsType: TsTypeText.optional(),
  import: ImportSpec.optional().describe('Imported into each generated file that uses `tsType` (`import type { name } from "from"`).'),
  zodSchema: ImportSpec.optional().describe('A zod schema of your own to validate the value with in the zod target (imported by name); without it, the value is typed but not checked.'),
  nullable: z.boolean().optional().describe('Overrides whether the value may be null (e.g. a view column you know is never null).'),
}));

export interface NestedFieldOverride {
  tsType?: string;
  import?: ImportSpec;
  zodSchema?: ImportSpec;
  nullable?: boolean;
  fields?: Record<string, NestedFieldOverride>;
}
export interface FieldOverride extends NestedFieldOverride {
  name?: string;
}

/** An override must say something coherent: a type replaces the whole value, nested overrides included. */
function coherent(value: NestedFieldOverride, ctx: z.RefinementCtx): void {
  if (value.import && value.tsType === undefined) ctx.addIssue({ code: 'custom', path: ['import'], message: 'needs "tsType" (the type that uses the import)' });
  if (value.zodSchema && value.tsType === undefined) ctx.addIssue({ code: 'custom', path: ['zodSchema'], message: 'needs "tsType" (the type the schema validates)' });
  if (value.tsType !== undefined && value.fields) ctx.addIssue({ code: 'custom', path: ['fields'], message: '"tsType" replaces the whole value: drop "fields" or "tsType"' });
}

export const NestedFieldOverride: z.ZodType<NestedFieldOverride> = lazySchema(() => z.lazy(() =>
  z
    .object({ ...FIELD_SHAPE, fields: z.record(z.string(), NestedFieldOverride).optional().describe('Members of a nested object, by name.') })
    .strict()
    .superRefine(coherent),
));

export const FieldOverride: z.ZodType<FieldOverride> = lazySchema(() => z
  .object({
    ...FIELD_SHAPE,
    name: CodeName.optional().describe('The property name in generated code; queries keep the database name.'),
    fields: z.record(z.string(), NestedFieldOverride).optional().describe('Members of a nested object (documents), by name.'),
  })
  .strict()
  .superRefine(coherent));

export const EntityOverride = lazySchema(() => z
  .object({
    name: CodeName.optional().describe('The name in generated code: types are named after it (PascalCase), CRUD accessors use it as it is.'),
    skip: z.boolean().optional().describe('Leave this table, view or collection out of generated code.'),
    fields: z.record(z.string(), FieldOverride).optional().describe('Fields (columns) by their name in the database.'),
  })
  .strict());
export type EntityOverride = z.infer<typeof EntityOverride>;

export const OverridesFile = lazySchema(() => z
  .object({
    $schema: z.string().optional(),
    namespaces: z
      .record(z.string(), z.record(z.string(), EntityOverride).describe('Tables, views and collections by their name in the database.'))
      .default({})
      .describe('Schemas (databases) by their name.'),
  })
  .strict());
export type OverridesFile = z.infer<typeof OverridesFile>;

/** An overrides file as read: the data, and where it came from (warnings and errors point into it). */
export interface LoadedOverrides {
  overrides: OverridesFile;
  file?: string;
  text?: string;
}

/** Parses the text of an overrides file; errors name the file, the line and the field. */
export function parseOverrides(text: string, file = 'overrides.json'): LoadedOverrides {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new PlugboardError('INVALID_CONFIG', `${file} is not valid JSON: ${(err as Error).message}`, { hint: 'Fix the JSON syntax (the editor underlines it).' });
  }
  const parsed = OverridesFile.safeParse(escapeKeys(raw));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.filter((p): p is string | number => typeof p !== 'symbol').map((p) => (typeof p === 'string' ? unescapeKey(p) : p));
    // An unknown key is reported on its object: point at the key itself.
    const where = locateJson(text, issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? [...at, unescapeKey(issue.keys[0])] : at);
    throw new PlugboardError('INVALID_CONFIG', `${file}${where ? `:${where.line}:${where.column}` : ''}: ${fieldPath(at)}: ${issue.message}`, {
      hint: 'See "Customising generated code" in the README for what an override may say.',
    });
  }
  return { overrides: parsed.data, file, text };
}

/**
 * Reads an overrides file. A missing file is no overrides when it is the default location (`required`
 * false) and an error when the user named it (a profile's `codegen.overrides`, the CLI's `--overrides`).
 */
export async function readOverrides(file: string, required: boolean): Promise<LoadedOverrides | undefined> {
  const text = await fs.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT' && !required) return undefined;
    throw new PlugboardError('INVALID_CONFIG', `Cannot read the overrides file ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}.`);
  });
  return text === undefined ? undefined : parseOverrides(text, file);
}

/** Where a profile's overrides live: its `codegen.overrides` (relative to the workspace) or the default. */
export function overridesPath(workspaceRoot: string, configured?: string): { file: string; required: boolean } {
  return configured ? { file: path.resolve(workspaceRoot, configured), required: true } : { file: path.join(workspaceRoot, DEFAULT_OVERRIDES_FILE), required: false };
}

/**
 * zod drops (and never checks) a record key named `__proto__`, and a column may well be named that. Keys are
 * escaped before validation (`__proto__` and anything starting with NUL get a NUL in front; no database name
 * has one) and read back through `overrideEntries` / `overrideFor`, which unescape.
 */
const ESCAPE = '\u0000';
function escapeKey(key: string): string {
  return key === '__proto__' || key.startsWith(ESCAPE) ? ESCAPE + key : key;
}
function unescapeKey(key: string): string {
  return key.startsWith(ESCAPE) ? key.slice(1) : key;
}
function escapeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(escapeKeys);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[escapeKey(key)] = escapeKeys((value as Record<string, unknown>)[key]);
  return out;
}

/** The entries of an override record by their real names. */
export function overrideEntries<T>(record: Record<string, T> | undefined): [string, T][] {
  return record ? Object.keys(record).map((k) => [unescapeKey(k), record[k]!]) : [];
}

/** The override for a database name in a record, if there is one (own keys only: `constructor` is a name too). */
export function overrideFor<T>(record: Record<string, T> | undefined, name: string): T | undefined {
  const key = escapeKey(name);
  return record && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** `namespaces.public.orders.fields["a.b"].tsType` for messages. */
export function fieldPath(at: readonly (string | number)[]): string {
  if (!at.length) return '(root)';
  return at.map((p, i) => (typeof p === 'number' ? `[${p}]` : IDENTIFIER.test(p) ? `${i ? '.' : ''}${p}` : `[${JSON.stringify(p)}]`)).join('');
}

export type { JsonLocation };
