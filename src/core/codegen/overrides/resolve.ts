import { crypto } from '../../crypto';
import { PlugboardError } from '../../errors';
import { writeCanonical } from '../../introspect/fingerprint';
import type { Entity, Field, SchemaModel } from '../../model';
import { overrideEntries, overrideFor, type ImportSpec, type LoadedOverrides, type NestedFieldOverride } from './file';
import { locateJson, type JsonLocation } from './locate';

/**
 * Overrides applied to a model for one generation. Targets get a copy of the model with entities skipped
 * and `nullable` set as the user said, and read the rest through the helpers below, which every target uses
 * (so a rename made here reaches every backend's generated code the same way):
 * - `propertyName(field)`: the property name generated code uses (the database name stays in queries);
 * - `entityCodeName(entity)`: the name types and accessors are derived from;
 * - `fieldCode(field)`: a `tsType` (and its `import`, `zodSchema`) that replaces the mapped type.
 * The live schema's fingerprint is not touched: overrides are "generation inputs", hashed apart.
 */
export interface OverrideWarning {
  /** What the override names, `namespace.entity.field`; a name with a dot, a quote or a space is quoted: `public."a.b".c`. */
  key: string;
  message: string;
  /** The keys leading to it in the overrides file: `['namespaces', 'public', 'orders', 'fields', 'meta']`. */
  path: string[];
  /** Where that is in the file, when the file's text is known (1-based line and column). */
  location?: JsonLocation & { file: string };
}

export interface FieldCode {
  /** Why the field is (not) nullable when the override said so, for JSDoc. */
  nullability?: string;
  name?: string;
  tsType?: string;
  import?: ImportSpec;
  zodSchema?: ImportSpec;
}

const FIELD_CODE = new WeakMap<Field, FieldCode>();
const ENTITY_NAME = new WeakMap<Entity, string>();
const MODEL_IMPORTS = new WeakMap<SchemaModel, ImportSpec[]>();

/** The property name generated code uses for a field: the override's `name`, else the field's own. */
export function propertyName(field: Field): string {
  return FIELD_CODE.get(field)?.name ?? field.name;
}

/** The name generated code derives an entity's types and accessor from. */
export function entityCodeName(entity: Entity): string {
  return ENTITY_NAME.get(entity) ?? entity.name;
}

/** A field's type override, when it has one. */
export function fieldCode(field: Field): FieldCode | undefined {
  return FIELD_CODE.get(field);
}

/** Every name the model's overrides import (`import` and `zodSchema`): generated names must not take them. */
export function overrideImports(model: SchemaModel): readonly ImportSpec[] {
  return MODEL_IMPORTS.get(model) ?? [];
}

export interface AppliedOverrides {
  model: SchemaModel;
  warnings: OverrideWarning[];
}

/** The model generated code is made from, with the overrides applied; warnings for what names nothing. */
export function applyCodeOverrides(model: SchemaModel, loaded: LoadedOverrides | undefined): AppliedOverrides {
  if (!loaded) return { model, warnings: [] };
  const warnings: OverrideWarning[] = [];
  const warn = (key: string[], path: string[], message: string) => {
    const w: OverrideWarning = { key: displayKey(key), message, path };
    const at = loaded.text !== undefined ? locateJson(loaded.text, path) : undefined;
    if (at) w.location = { ...at, file: loaded.file ?? 'overrides.json' };
    warnings.push(w);
  };
  const imports = new Map<string, ImportSpec>();
  const useImport = (spec: ImportSpec | undefined, where: string) => {
    if (!spec) return;
    const known = imports.get(spec.name);
    if (known && known.from !== spec.from) {
      throw new PlugboardError('INVALID_CONFIG', `${where}: "${spec.name}" is imported from both ${JSON.stringify(known.from)} and ${JSON.stringify(spec.from)}.`, {
        hint: 'Give one of the types another name in your module, or import both from the same one.',
      });
    }
    imports.set(spec.name, spec);
  };
  const byNs = loaded.overrides.namespaces;
  for (const [nsName] of overrideEntries(byNs)) {
    if (!model.namespaces.some((n) => n.name === nsName)) warn([nsName], ['namespaces', nsName], `no schema "${nsName}" in this connection's model`);
  }
  const namespaces = model.namespaces.map((ns) => {
    const nsOverrides = overrideFor(byNs, ns.name);
    if (!nsOverrides) return ns;
    for (const [entityName] of overrideEntries(nsOverrides)) {
      if (!ns.entities.some((e) => e.name === entityName)) {
        warn([ns.name, entityName], ['namespaces', ns.name, entityName], `no table, view or collection "${entityName}" in ${ns.name}`);
      }
    }
    const entities = ns.entities.flatMap((e): Entity[] => {
      const o = overrideFor(nsOverrides, e.name);
      if (!o) return [e];
      const jsonPath = ['namespaces', ns.name, e.name];
      if (e.kind === 'endpoint') {
        warn([ns.name, e.name], jsonPath, 'REST operations take no overrides (their types come from the API description)');
        return [e];
      }
      if (o.skip) return [];
      const copy: Entity = { ...e };
      if (o.name !== undefined) ENTITY_NAME.set(copy, o.name);
      if (o.fields) {
        copy.fields = applyFields(e.fields, o.fields, [ns.name, e.name], [...jsonPath, 'fields'], true, warn, useImport);
        uniqueNames(copy.fields.map(propertyName), `${displayKey([ns.name, e.name])}: two fields would both be named`);
      }
      return [copy];
    });
    uniqueNames(entities.filter((e) => e.kind !== 'endpoint').map(entityCodeName), `${displayKey([ns.name])}: two entities would both be named`);
    return { ...ns, entities };
  });
  const applied: SchemaModel = { ...model, namespaces };
  MODEL_IMPORTS.set(applied, [...imports.values()]);
  return { model: applied, warnings };
}

type Warn = (key: string[], path: string[], message: string) => void;

function applyFields(
  fields: readonly Field[],
  overrides: Record<string, NestedFieldOverride & { name?: string }>,
  key: string[],
  jsonPath: string[],
  topLevel: boolean,
  warn: Warn,
  useImport: (spec: ImportSpec | undefined, where: string) => void,
): Field[] {
  const names = new Set(fields.map((f) => f.name));
  for (const [name] of overrideEntries(overrides)) {
    if (!names.has(name)) warn([...key, name], [...jsonPath, name], `no field "${name}" in ${displayKey(key)}`);
  }
  return fields.map((f) => {
    const o = overrideFor(overrides, f.name);
    if (!o) return f;
    const copy: Field = { ...f };
    const here = [...jsonPath, f.name];
    const code: FieldCode = {};
    if (o.nullable !== undefined) {
      copy.nullable = o.nullable;
      code.nullability = `${o.nullable ? 'nullable' : 'not null'}: set in the overrides file`;
    }
    if (topLevel && o.name !== undefined) code.name = o.name;
    if (o.tsType !== undefined) code.tsType = o.tsType;
    if (o.import) code.import = o.import;
    if (o.zodSchema) code.zodSchema = o.zodSchema;
    useImport(o.import, displayKey([...key, f.name]));
    useImport(o.zodSchema, displayKey([...key, f.name]));
    if (Object.keys(code).length) FIELD_CODE.set(copy, code);
    if (o.fields) {
      const nestedKey = [...key, f.name];
      if (copy.fields) copy.fields = applyFields(copy.fields, o.fields, nestedKey, [...here, 'fields'], false, warn, useImport);
      else if (copy.items?.fields) copy.items = { ...copy.items, fields: applyFields(copy.items.fields, o.fields, nestedKey, [...here, 'fields'], false, warn, useImport) };
      else warn(nestedKey, [...here, 'fields'], `${displayKey(nestedKey)} has no nested fields`);
    }
    return copy;
  });
}

function uniqueNames(names: string[], message: string): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new PlugboardError('INVALID_CONFIG', `${message} ${JSON.stringify(n)}.`, { hint: 'Rename one of them in the overrides file.' });
    seen.add(n);
  }
}

/** `public.orders.meta`, quoting a part that has a dot, a quote, white space or nothing: `public."a.b".meta`. */
export function displayKey(parts: readonly string[]): string {
  return parts.map((p) => (/^[^."\s]+$/u.test(p) ? p : JSON.stringify(p))).join('.');
}

/**
 * The "generation inputs" hash written into headers beside the schema fingerprint: what besides the schema
 * shapes the generated code. Undefined when there are no overrides, so a header without one (every file
 * written before overrides existed) reads as "generated without overrides".
 */
export function generationInputs(loaded: LoadedOverrides | undefined): string | undefined {
  const namespaces = loaded?.overrides.namespaces;
  if (!namespaces || !Object.keys(namespaces).length) return undefined;
  const hash = crypto.createHash('sha256');
  writeCanonical({ overrides: namespaces }, (chunk) => hash.update(chunk));
  return `sha256:${hash.digest('hex').slice(0, 32)}`;
}
