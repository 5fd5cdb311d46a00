import type { ValueMapping } from '../../backend';
import { sqlOf, type Entity, type Field, type SchemaModel } from '../../model';
import { EndpointTypes } from '../endpointTypes';
import { buildLayout, confidenceNote, inheritedMember, isOptionalOnInsert, isWritable, isWritableEntity, TsTypeMapper, type NamespaceLayout } from '../layout';
import { fileStem, lineComment, NameAllocator, tsString } from '../naming';
import { fieldCode, propertyName } from '../overrides/resolve';
import { renderIndex, SHARED_PART } from '../split';
import type { CodegenTarget, GeneratedFile, TargetContext } from '../types';

/**
 * `ts-types`, for every backend: per namespace, Row / Insert / Update / Key types for tables and collections,
 * Row (and Insert / Update when writable) for views, enums as unions; for a REST model, each operation's
 * argument and response types. Types follow the backend's value mapping (what its driver really returns).
 */
export const tsTypesTarget: CodegenTarget = {
  id: 'ts-types',
  templates: ['ts-types', 'ts-endpoint-types'],
  *generate(ctx: TargetContext): Generator<GeneratedFile> {
    if (hasEndpoints(ctx.model)) {
      yield endpointFile(ctx);
      return;
    }
    const layout = buildLayout(ctx.model, ctx.options.mapping, ctx.options.splitThreshold);
    const render = ctx.templates.get('ts-types');
    for (const nsl of layout.values()) {
      if (nsl.split) yield* splitFiles(ctx, layout, nsl);
      else yield { path: `${nsl.stem}.types.ts`, target: 'ts-types', content: render(namespaceView(ctx, layout, nsl)) };
    }
  },
};

/**
 * A split namespace: the shared part (enums, composites), a part per group of entities with its own Tables /
 * Views / Collections, and the index merging them. The template is the same, so custom templates split too.
 */
function* splitFiles(ctx: TargetContext, layout: Map<string, NamespaceLayout>, nsl: NamespaceLayout): Generator<GeneratedFile> {
  const split = nsl.split!;
  const render = ctx.templates.get('ts-types');
  const index = `${nsl.stem}.types.ts`;
  // Asked once for the namespace, not by each of its parts over all of its entities.
  const documents = nsl.ns.entities.some((e) => GROUPS.collections.has(e.kind));
  const file = (stem: string, entities: readonly Entity[] | undefined) => ({
    path: `${split.folder}/${stem}.types.ts`,
    target: 'ts-types',
    content: render(namespaceView(ctx, layout, nsl, { stem, entities, index, documents })),
  });
  // Each part as it is rendered; the index, which merges them, last.
  const parts: GeneratedFile[] = [];
  for (const p of [{ stem: SHARED_PART, entities: undefined }, ...split.parts]) {
    const part = file(p.stem, p.entities);
    parts.push(part);
    yield part;
  }
  const title = `Types for ${lineComment(tsString(nsl.ns.name))}`;
  yield renderIndex(ctx, { target: 'ts-types', path: index, title, parts, interfaces: ['Tables', 'Views', 'Collections'] });
}

/** A part of a split namespace: its stem and entities (undefined: the shared part, enums and composites). */
interface PartView {
  stem: string;
  entities: readonly Entity[] | undefined;
  index: string;
  /** Whether the whole namespace has document collections (a part decides as its namespace does). */
  documents: boolean;
}

function hasEndpoints(model: SchemaModel): boolean {
  return model.namespaces.some((ns) => ns.entities.some((e) => e.kind === 'endpoint'));
}

function endpointFile(ctx: TargetContext): GeneratedFile {
  const provider = ctx.model.source.provider;
  const types = new EndpointTypes(ctx.model, new NameAllocator(['Json']));
  const view = {
    header: ctx.header('ts-types'),
    providerName: provider?.name ?? ctx.model.source.database ?? 'REST API',
    operations: types.operations(),
    declarations: types.declarations(),
  };
  const stem = fileStem(provider?.id ?? ctx.model.source.database ?? 'api', new Set());
  return { path: `${stem}.types.ts`, target: 'ts-types', content: ctx.templates.get('ts-endpoint-types')(view) };
}

const GROUPS = {
  tables: new Set(['table', 'partitioned_table', 'foreign_table']),
  views: new Set(['view', 'materialized_view']),
  collections: new Set(['collection']),
};

function namespaceView(ctx: TargetContext, layout: Map<string, NamespaceLayout>, nsl: NamespaceLayout, part?: PartView) {
  const mapping = ctx.options.mapping;
  const types = new TsTypeMapper(layout, nsl, mapping, part?.stem);
  types.use('Json');
  const { ns } = nsl;
  const shared = !part || !part.entities;
  const enums = (shared ? ns.enums : []).map((e) => ({ name: nsl.enums.get(e.name)!, valuesName: nsl.enumValues.get(e.name)!, sqlName: e.name, values: e.values, comment: e.comment }));
  const composites = (shared ? ns.composites : []).map((c) => ({
    name: nsl.composites.get(c.name)!,
    sqlName: c.name,
    comment: c.comment,
    // PostgreSQL cannot declare a composite type's attribute NOT NULL.
    fields: c.fields.map((f) => ({ name: f.name, type: types.fieldType(f, 'row', '  ', true), comment: f.comment })),
  }));
  const entities = (part ? (part.entities ?? []) : ns.entities).map((e) => entityView(e, nsl.entities.get(e.name)!, types, mapping));
  const of = (group: Set<string>) => entities.filter((e) => group.has(e.entityKind));
  const collections = of(GROUPS.collections);
  // A document namespace gets Collections; Tables and Views are for namespaces of tables (a database's views
  // over collections are still listed as types, but no empty Tables map is written for them).
  // A part decides as its whole namespace does; the shared part writes no maps (the index merges the parts').
  const relational = part ? !!part.entities && !part.documents : collections.length === 0;
  return {
    header: ctx.header('ts-types', 'ts', part?.index),
    namespace: ns.name,
    imports: types.importLines(),
    declarations: types.declarations(),
    enums,
    composites,
    entities,
    relational,
    tables: of(GROUPS.tables),
    views: of(GROUPS.views),
    collections,
  };
}

function entityView(e: Entity, base: string, types: TsTypeMapper, mapping: ValueMapping) {
  const writable = isWritableEntity(e);
  const row = e.fields.map((f) => ({
    name: propertyName(f),
    optional: !!f.optional,
    type: types.fieldType(f, 'row') + inheritedMember(propertyName(f), !!f.optional),
    comment: fieldNote(f, e),
  }));
  const insert = writable
    ? e.fields.filter(isWritable).map((f) => {
        const optional = isOptionalOnInsert(f, mapping);
        return { name: propertyName(f), type: types.fieldType(f, 'insert') + inheritedMember(propertyName(f), optional), optional };
      })
    : undefined;
  const pk = e.primaryKey;
  const key =
    writable && pk
      ? pk.columns.map((c) => {
          const f = e.fields.find((x) => x.name === c)!;
          return { name: propertyName(f), type: types.fieldType(f, 'insert', '  ', false) };
        })
      : undefined;
  return {
    sqlName: e.name,
    entityKind: e.kind,
    kind: e.path ? `${e.kind} ${e.path}` : e.kind.replace(/_/g, ' '),
    comment: e.comment,
    /** Gets Insert / Update types (even with no writable column, e.g. `CREATE TABLE t ()`). */
    writable,
    rowName: `${base}Row`,
    insertName: `${base}Insert`,
    updateName: `${base}Update`,
    keyName: `${base}Key`,
    row,
    insert,
    key,
  };
}

/**
 * A property's JSDoc: the column's comment, else a sampled field's certainty, else its native type; then why
 * it is (not) nullable when that was worked out (a view column traced to its table), and its database name
 * when an override renamed it.
 */
function fieldNote(f: Field, e: Entity): string {
  const parts = [f.comment ?? confidenceNote(f, e) ?? nativeNote(f)];
  const nullability = fieldCode(f)?.nullability ?? f.nullability;
  if (nullability) parts.push(nullability);
  if (propertyName(f) !== f.name) parts.push(`${e.kind === 'collection' ? 'field' : 'column'} ${JSON.stringify(f.name)} in the database`);
  return parts.join('; ');
}

function nativeNote(f: Field): string {
  const sql = sqlOf(f);
  const bits = [f.nativeType];
  if (sql.generated) bits.push('generated');
  if (sql.identity) bits.push(`identity ${sql.identity.replace('_', ' ')}`);
  return bits.join(', ');
}
