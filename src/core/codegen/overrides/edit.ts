import type * as Jsonc from 'jsonc-parser';
import type { FormattingOptions } from 'jsonc-parser';
import { PlugboardError } from '../../errors';
import { lazyModule } from '../../lazy';
import { overrideFor, parseOverrides, type FieldOverride, type ImportSpec, type NestedFieldOverride, type OverridesFile } from './file';

// The JSONC editor loads with the first override edited from the tree, not at activation.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsonc = lazyModule(() => require('jsonc-parser') as typeof Jsonc);

/**
 * Edits of an overrides file made for the user (the editor's "Override Type…", "Mark Not Null", "Clear
 * Override"): each changes one field's entry through text edits, so the rest of the file — other entries,
 * key order, formatting — stays exactly as the user wrote it. The file is validated before (a broken file is
 * not made worse) and after (an edit that would make it incoherent is refused with the file's own message).
 */

/** A field in the overrides file's terms: `field` is the path from the top-level field down to nested ones. */
export interface FieldRef {
  namespace: string;
  entity: string;
  field: readonly string[];
}

/** What to change in a field's entry: a value sets the key, `null` removes it, `undefined` leaves it. */
export interface FieldChange {
  tsType?: string | null;
  import?: ImportSpec | null;
  nullable?: boolean | null;
}

const EMPTY_FILE = '{\n  "namespaces": {}\n}\n';

/** The keys leading to a field's entry: `['namespaces', ns, entity, 'fields', a, 'fields', b]`. */
export function fieldOverridePath(ref: FieldRef): string[] {
  if (!ref.field.length) throw new PlugboardError('INVALID_CONFIG', 'A field override needs a field name.');
  return ['namespaces', ref.namespace, ref.entity, ...ref.field.flatMap((f) => ['fields', f])];
}

/** The field's entry in a parsed overrides file, if there is one. */
export function findFieldOverride(file: OverridesFile | undefined, ref: FieldRef): FieldOverride | undefined {
  const entity = overrideFor(overrideFor(file?.namespaces, ref.namespace), ref.entity);
  let fields: Record<string, NestedFieldOverride> | undefined = entity?.fields;
  let found: NestedFieldOverride | undefined;
  for (const name of ref.field) {
    found = overrideFor(fields, name);
    if (!found) return undefined;
    fields = found.fields;
  }
  return found;
}

/**
 * The text of the overrides file after `change` (or, with 'clear', after removing the field's entry), with
 * objects the edit left empty removed. `text` undefined: the file does not exist yet.
 */
export function editFieldOverride(text: string | undefined, ref: FieldRef, change: FieldChange | 'clear', file = 'overrides.json'): string {
  const before = text ?? EMPTY_FILE;
  parseOverrides(before, file);
  const at = fieldOverridePath(ref);
  const formatting: FormattingOptions = { insertSpaces: true, tabSize: 2, eol: before.includes('\r\n') ? '\r\n' : '\n' };
  const edit = (current: string, path: string[], value: unknown) => jsonc.applyEdits(current, jsonc.modify(current, path, value, { formattingOptions: formatting }));
  let out = before;
  if (change === 'clear') {
    out = edit(out, at, undefined);
  } else {
    for (const key of ['tsType', 'import', 'nullable'] as const) {
      const value = change[key];
      if (value === undefined) continue;
      if (value === null && !hasPath(out, [...at, key])) continue;
      out = edit(out, [...at, key], value === null ? undefined : value);
    }
  }
  // Empty entries say nothing: prune them up to (not including) `namespaces`.
  for (let depth = at.length; depth > 1; depth--) {
    const path = at.slice(0, depth);
    const value = valueAt(out, path);
    if (value === undefined) continue; // the entry just cleared
    if (!isEmptyObject(value)) break;
    out = edit(out, path, undefined);
  }
  if (!out.endsWith('\n')) out += formatting.eol;
  parseOverrides(out, file);
  return out;
}

function valueAt(text: string, path: readonly string[]): unknown {
  let v: unknown = JSON.parse(text);
  for (const key of path) {
    if (!v || typeof v !== 'object' || Array.isArray(v) || !Object.prototype.hasOwnProperty.call(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function hasPath(text: string, path: readonly string[]): boolean {
  return valueAt(text, path) !== undefined;
}

function isEmptyObject(v: unknown): boolean {
  return !!v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;
}

/** `Name from path` (the editor's prompt) as an import spec; undefined for an empty answer. */
export function parseImportSpec(text: string): ImportSpec | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  const m = /^([^\s]+)\s+from\s+(.+)$/u.exec(trimmed);
  if (!m) throw new PlugboardError('INVALID_CONFIG', 'Write the import as "Name from module", e.g. "OrderMeta from ../src/types".');
  const from = m[2]!.trim().replace(/^(['"])(.*)\1$/u, '$2');
  return { name: m[1]!, from };
}

/** An import spec as the prompt shows it. */
export function formatImportSpec(spec: ImportSpec | undefined): string {
  return spec ? `${spec.name} from ${spec.from}` : '';
}
