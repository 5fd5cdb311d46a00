import { escapeIdentifier } from 'pg';
import { buildLayout, isWritable, isWritableEntity, type NamespaceLayout } from '../../../core/codegen/layout';
import { camelCase, jsLiteral, NameAllocator } from '../../../core/codegen/naming';
import type { CodegenTarget, GeneratedFile, TargetContext } from '../../../core/codegen/types';
import { sqlOf, type Entity, type Field, type NeutralType } from '../../../core/model';

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
  generate(ctx: TargetContext): GeneratedFile[] {
    const layout = buildLayout(ctx.model, ctx.options.mapping);
    const render = ctx.templates.get('pg-crud');
    const files: GeneratedFile[] = [
      { path: `${RUNTIME_FILE}.ts`, target: 'pg-crud', content: ctx.templates.get('pg-runtime')({ header: ctx.header('pg-crud') }) },
    ];
    for (const nsl of layout.values()) {
      files.push({ path: `${nsl.stem}.crud.ts`, target: 'pg-crud', content: render(namespaceView(ctx, nsl)) });
    }
    return files;
  },
};

function namespaceView(ctx: TargetContext, nsl: NamespaceLayout) {
  const names = new NameAllocator(['createClient', 'T', 'Queryable', 'defineTable', 'defineView', 'Client']);
  const entities = nsl.ns.entities.map((e) => {
    const base = nsl.entities.get(e.name)!;
    const writable = isWritableEntity(e);
    const hasKey = writable && e.primaryKey !== null;
    return {
      constName: names.allocate(camelCase(e.name)),
      sqlName: e.name,
      kind: e.kind.replace(/_/g, ' '),
      hasKey,
      readOnlyReason: hasKey ? '' : writable ? 'it has no primary key' : `it is a ${e.kind.replace(/_/g, ' ')}`,
      rowType: `T.${base}Row`,
      insertType: `T.${base}Insert`,
      updateType: `T.${base}Update`,
      keyType: `T.${base}Key`,
      meta: metaLiteral(tableMeta(nsl.ns.name, e)),
    };
  });
  return { header: ctx.header('pg-crud'), namespace: nsl.ns.name, typesModule: `./${nsl.stem}.types`, runtimeModule: `./${RUNTIME_FILE}`, entities };
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

function tableMeta(namespace: string, e: Entity) {
  return {
    name: `${namespace}.${e.name}`,
    relation: `${escapeIdentifier(namespace)}.${escapeIdentifier(e.name)}`,
    columns: e.fields.map((f) => columnMeta(f)),
    key: e.primaryKey?.columns ?? [],
  };
}

/**
 * How a column is read and written. pg has no parser for arrays of enums or domains (their array types get
 * OIDs it does not know, so it hands back the raw '{…}' text): enum arrays are cast to text[], domain arrays
 * to an array of a built-in type of the domain's neutral type, so values arrive as the types say. Composites
 * are read as JSON and written with json_populate_record. json values are sent stringified (pg would turn a
 * JS array into a Postgres array literal); for json[] columns each element is stringified on its own.
 */
function columnMeta(f: Field) {
  const q = escapeIdentifier(f.name);
  const sql = sqlOf(f);
  let select = q;
  let write: [string, string] = ['', ''];
  const composite = f.type === 'composite';
  if (composite && f.compositeRef) {
    const typeName = `${escapeIdentifier(f.compositeRef.namespace)}.${escapeIdentifier(f.compositeRef.name)}`;
    select = `to_json(${q})`;
    write = sql.arrayDims > 0
      ? [`ARRAY(SELECT json_populate_record(NULL::${typeName}, e) FROM json_array_elements(`, `::json) e)`]
      : [`json_populate_record(NULL::${typeName}, `, '::json)'];
  } else if (sql.arrayDims > 0 && sql.domainRef) {
    select = `${q}::${DOMAIN_ARRAY_CAST[f.type] ?? 'text[]'}`;
  } else if (sql.arrayDims > 0 && (f.type === 'enum' || f.type === 'unknown')) {
    select = `${q}::text[]`;
  }
  // A domain over an enum has no = operator of its own (`status_domain = unknown` does not resolve).
  const filter = sql.domainRef && f.enumRef && sql.arrayDims === 0 ? `${q}::${escapeIdentifier(f.enumRef.namespace)}.${escapeIdentifier(f.enumRef.name)}` : q;
  const jsonArray = f.type === 'json' && sql.arrayDims > 0 ? sql.arrayDims : 0;
  const json = composite || (f.type === 'json' && !jsonArray);
  return { name: f.name, sql: q, select, filter, write, json, jsonArray, writable: isWritable(f) };
}

/** The built-in array type whose parser in pg yields what TsTypeMapper promises for a domain's neutral type. */
const DOMAIN_ARRAY_CAST: Partial<Record<NeutralType, string>> = {
  integer: 'int4[]',
  bigint: 'int8[]',
  decimal: 'numeric[]',
  float: 'float8[]',
  boolean: 'bool[]',
  date: 'date[]',
  timestamp: 'timestamp[]',
  timestamptz: 'timestamptz[]',
  interval: 'interval[]',
  json: 'jsonb[]',
  bytes: 'bytea[]',
};
