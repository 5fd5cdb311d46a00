import { escapeIdentifier } from 'pg';
import { buildLayout, isWritable, isWritableEntity, type NamespaceLayout } from '../../../core/codegen/layout';
import { camelCase, jsLiteral, lineComment, NameAllocator, tsString } from '../../../core/codegen/naming';
import { entityCodeName, propertyName } from '../../../core/codegen/overrides/resolve';
import { fromPart, splitPartFiles, type PartInfo } from '../../../core/codegen/split';
import type { CodegenTarget, GeneratedFile, TargetContext } from '../../../core/codegen/types';
import { sqlOf, type DomainType, type Entity, type Field, type NeutralType, type SchemaModel } from '../../../core/model';

const RUNTIME_FILE = 'plugboard-pg-runtime';

/**
 * `pg-crud`: a module per schema over a `pg` Pool the caller passes in. All SQL is fixed at generation time:
 * identifiers are quoted here with pg's own escapeIdentifier and embedded as string literals; every value is
 * a bind parameter at run time.
 */
export const pgCrudTarget: CodegenTarget = {
  id: 'pg-crud',
  needs: ['relational'],
  templates: ['pg-crud', 'pg-runtime'],
  *generate(ctx: TargetContext): Generator<GeneratedFile> {
    const layout = buildLayout(ctx.model, ctx.options.mapping, ctx.options.splitThreshold);
    const render = ctx.templates.get('pg-crud');
    const domains = domainIndex(ctx.model);
    yield { path: `${RUNTIME_FILE}.ts`, target: 'pg-crud', content: ctx.templates.get('pg-runtime')({ header: ctx.header('pg-crud') }) };
    for (const nsl of layout.values()) {
      const index = `${nsl.stem}.crud.ts`;
      const named = namedEntities(nsl);
      if (!nsl.split) yield { path: index, target: 'pg-crud', content: render(namespaceView(ctx, nsl, entityViews(nsl, named, domains))) };
      else {
        const title = `CRUD for schema ${lineComment(tsString(nsl.ns.name))}`;
        const client = { name: 'createClient', params: 'db: Queryable', args: 'db', imports: [`import type { Queryable } from ${tsString(`./${RUNTIME_FILE}`)};`] };
        // Each part's views (their metadata literals are most of the work) are made when the part is rendered,
        // so that on the extension host no step makes them for 5,000 tables at once.
        yield* splitPartFiles(ctx, nsl.split, { target: 'pg-crud', index, suffix: 'crud', title, client }, { all: named, nameOf: (n) => n.entity.name }, (part, own) =>
          render(namespaceView(ctx, nsl, entityViews(nsl, own, domains), part)),
        );
      }
    }
  },
};

/**
 * What each entity gets: a table with a primary key get / list / count / insert / update / delete by key; a
 * view PostgreSQL writes through (it has no key) list / count / insert, and update / delete of the rows a
 * non-empty filter matches; anything else (other views, tables without a primary key) list / count only.
 */
function namespaceView(ctx: TargetContext, nsl: NamespaceLayout, entities: ReturnType<typeof entityViews>, part?: PartInfo) {
  if (!part) return { header: ctx.header('pg-crud'), namespace: nsl.ns.name, typesModule: `./${nsl.stem}.types`, runtimeModule: `./${RUNTIME_FILE}`, entities };
  return {
    header: ctx.header('pg-crud', 'ts', part.index),
    namespace: nsl.ns.name,
    typesModule: part.typesModule,
    runtimeModule: fromPart(`./${RUNTIME_FILE}`),
    entities,
  };
}

/** Every entity of the namespace, named over the whole of it (a part of a split file takes its own). */
function namedEntities(nsl: NamespaceLayout) {
  const names = new NameAllocator(['createClient', 'T', 'Queryable', 'defineTable', 'defineView', 'defineWritableView', 'Client']);
  return nsl.ns.entities.map((e) => {
    const base = nsl.entities.get(e.name)!;
    const writable = isWritableEntity(e);
    const hasKey = writable && e.primaryKey !== null;
    const writableView = writable && !hasKey && e.kind === 'view';
    const view = {
      constName: names.allocate(camelCase(entityCodeName(e))),
      sqlName: e.name,
      /** The key in createClient's object: the entity's name in the database unless an override renamed it. */
      accessor: entityCodeName(e),
      kind: e.kind.replace(/_/g, ' '),
      hasKey,
      writableView,
      readOnlyReason: readOnlyReason(e, writable),
      rowType: `T.${base}Row`,
      insertType: `T.${base}Insert`,
      updateType: `T.${base}Update`,
      keyType: `T.${base}Key`,
    };
    return { entity: e, view };
  });
}

/** The template's view of each named entity, with its metadata literal. */
function entityViews(nsl: NamespaceLayout, named: readonly ReturnType<typeof namedEntities>[number][], domains: DomainIndex) {
  return named.map(({ entity, view }) => ({ ...view, meta: metaLiteral(tableMeta(nsl.ns.name, entity, domains)) }));
}

/** The table's metadata as a TS object literal: one line per column, every string JSON-escaped. */
function metaLiteral(meta: ReturnType<typeof tableMeta>): string {
  return [
    '{',
    `  name: ${jsLiteral(meta.name)},`,
    `  relation: ${jsLiteral(meta.relation)},`,
    `  key: ${jsLiteral(meta.key)},`,
    '  columns: [',
    ...meta.columns.map((c) => `    ${jsLiteral(c)},`),
    '  ],',
    '}',
  ].join('\n');
}

function readOnlyReason(e: Entity, writable: boolean): string {
  if (writable) return e.kind === 'view' ? '' : 'it has no primary key';
  return e.kind === 'view' ? 'PostgreSQL cannot write through it' : `it is a ${e.kind.replace(/_/g, ' ')}`;
}

/**
 * Columns and key columns are named by their property names (`propertyName`: an override may rename them);
 * the runtime builds rows, filters and keys from those, and only ever puts the quoted database names
 * (`sql`, `select`, `filter`) into SQL.
 */
function tableMeta(namespace: string, e: Entity, domains: DomainIndex) {
  const byColumn = new Map(e.fields.map((f) => [f.name, f] as const));
  return {
    name: `${namespace}.${e.name}`,
    relation: `${escapeIdentifier(namespace)}.${escapeIdentifier(e.name)}`,
    columns: e.fields.map((f) => columnMeta(f, baseNative(f, domains))),
    key: (e.primaryKey?.columns ?? []).map((c) => (byColumn.has(c) ? propertyName(byColumn.get(c)!) : c)),
  };
}

type DomainIndex = Map<string, DomainType>;
const domainKey = (namespace: string, name: string) => `${namespace}\u0000${name}`;

function domainIndex(model: SchemaModel): DomainIndex {
  return new Map(model.namespaces.flatMap((ns) => ns.domains.map((d) => [domainKey(ns.name, d.name), d] as const)));
}

/** The type the server sends for a column: a domain's base type (PostgreSQL sends that), else its own. */
function baseNative(f: Field, domains: DomainIndex): string {
  const ref = sqlOf(f).domainRef;
  return (ref && domains.get(domainKey(ref.namespace, ref.name))?.baseType) ?? f.nativeType;
}

/** How the runtime turns a value into a parameter (pg-runtime.hbs `ENCODERS`). */
type Encoding = 'json' | 'point' | 'circle' | 'interval';

/**
 * Geometric types pg parses into objects (and point[] into an array of them; circle[] it leaves as text, read
 * as text[]): written as their text, compared with `~=` (they have no `=`).
 */
const GEOMETRIC: Record<string, Encoding> = { point: 'point', circle: 'circle' };
const PARSED_GEOMETRIC_ARRAYS = new Set(['point[]']);

/**
 * How a column is read and written. pg has no parser for arrays of enums or domains (their array types get
 * OIDs it does not know, so it hands back the raw '{…}' text): enum arrays are cast to text[], domain arrays
 * to an array of a built-in type of the domain's neutral type, so values arrive as the types say; numeric
 * arrays are read as text[], since pg parses numeric[] into floats (losing digits) while numeric is a string.
 * Composites are read as JSON and written with json_populate_record. Values that pg would send wrongly are
 * encoded by the runtime (`encode`, element by element `dims` levels deep, or whole when 0): json as its
 * text (pg would turn a JS array into a Postgres array literal), intervals, points and circles as their
 * PostgreSQL text (pg would send a plain object as JSON, which PostgreSQL reads as something else).
 */
function columnMeta(f: Field, base: string) {
  const q = escapeIdentifier(f.name);
  const sql = sqlOf(f);
  let select = q;
  let write: [string, string] = ['', ''];
  let encode: Encoding | null = null;
  let dims = 0;
  let op = '=';
  const geometric = GEOMETRIC[base.replace(/\[\]$/, '')];
  if (f.type === 'composite' && f.compositeRef) {
    const typeName = `${escapeIdentifier(f.compositeRef.namespace)}.${escapeIdentifier(f.compositeRef.name)}`;
    select = `to_json(${q})`;
    write = sql.arrayDims > 0
      ? [`ARRAY(SELECT json_populate_record(NULL::${typeName}, e) FROM json_array_elements(`, `::json) e)`]
      : [`json_populate_record(NULL::${typeName}, `, '::json)'];
    encode = 'json';
  } else if (f.type === 'json') {
    encode = 'json';
    dims = sql.arrayDims;
  } else if (f.type === 'interval') {
    encode = 'interval';
    dims = sql.arrayDims;
  } else if (geometric) {
    encode = geometric;
    dims = sql.arrayDims;
    if (dims === 0) op = '~=';
  }
  if (sql.arrayDims > 0 && f.type === 'decimal') {
    select = `${q}::text[]`;
  } else if (sql.arrayDims > 0 && sql.domainRef) {
    select = `${q}::${DOMAIN_ARRAY_CAST[f.type] ?? 'text[]'}`;
  } else if (geometric && sql.domainRef) {
    // ts-types knows a domain only by its neutral type (a string): read its text, as the type says.
    select = `${q}::text`;
  } else if (sql.arrayDims > 0 && (f.type === 'enum' || f.type === 'unknown') && !PARSED_GEOMETRIC_ARRAYS.has(f.nativeType)) {
    select = `${q}::text[]`;
  }
  // A domain over an enum has no = operator of its own (`status_domain = unknown` does not resolve).
  const filter = sql.domainRef && f.enumRef && sql.arrayDims === 0 ? `${q}::${escapeIdentifier(f.enumRef.namespace)}.${escapeIdentifier(f.enumRef.name)}` : q;
  return { name: propertyName(f), sql: q, select, filter, op, write, encode, dims, writable: isWritable(f) };
}

/** The built-in array type whose parser in pg yields what TsTypeMapper promises for a domain's neutral type. */
const DOMAIN_ARRAY_CAST: Partial<Record<NeutralType, string>> = {
  integer: 'int4[]',
  bigint: 'int8[]',
  float: 'float8[]',
  boolean: 'bool[]',
  date: 'date[]',
  timestamp: 'timestamp[]',
  timestamptz: 'timestamptz[]',
  interval: 'interval[]',
  json: 'jsonb[]',
  bytes: 'bytea[]',
};
