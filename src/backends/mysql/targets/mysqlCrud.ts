import { escapeId } from 'mysql2';
import { buildLayout, isWritableEntity, type NamespaceLayout } from '../../../core/codegen/layout';
import { camelCase, jsLiteral, lineComment, NameAllocator, tsString } from '../../../core/codegen/naming';
import { fromPart, splitPartFiles, type PartInfo } from '../../../core/codegen/split';
import type { CodegenTarget, GeneratedFile, TargetContext } from '../../../core/codegen/types';
import { sqlOf, type Entity, type Field } from '../../../core/model';

const RUNTIME_FILE = 'plugboard-mysql-runtime';

/**
 * `mysql-crud`: a module per database over a mysql2 Pool the caller passes in. All SQL is fixed at generation
 * time: identifiers are quoted here with mysql2's escapeId (never splitting on dots) and written as string
 * literals; every value is a `?` placeholder at run time. The metadata each table needs is written as a typed
 * object literal, one line per column, naming only what differs from the plain case.
 */
export const mysqlCrudTarget: CodegenTarget = {
  id: 'mysql-crud',
  needs: ['relational'],
  templates: ['mysql-crud', 'mysql-runtime'],
  *generate(ctx: TargetContext): Generator<GeneratedFile> {
    const layout = buildLayout(ctx.model, ctx.options.mapping, ctx.options.splitThreshold);
    const render = ctx.templates.get('mysql-crud');
    const mariadb = /mariadb/i.test(ctx.model.source.serverVersion ?? '');
    yield { path: `${RUNTIME_FILE}.ts`, target: 'mysql-crud', content: ctx.templates.get('mysql-runtime')({ header: ctx.header('mysql-crud') }) };
    for (const nsl of layout.values()) {
      const index = `${nsl.stem}.crud.ts`;
      const named = namedEntities(nsl);
      if (!nsl.split) yield { path: index, target: 'mysql-crud', content: render(namespaceView(ctx, nsl, entityViews(nsl, named, mariadb))) };
      else {
        const title = `CRUD for database ${lineComment(tsString(nsl.ns.name))}`;
        const client = { name: 'createClient', params: 'db: Queryable', args: 'db', imports: [`import type { Queryable } from ${tsString(`./${RUNTIME_FILE}`)};`] };
        // Each part's views (with their metadata) are made when the part is rendered, as in pg-crud.
        yield* splitPartFiles(ctx, nsl.split, { target: 'mysql-crud', index, suffix: 'crud', title, client }, { all: named, nameOf: (n) => n.entity.name }, (part, own) =>
          render(namespaceView(ctx, nsl, entityViews(nsl, own, mariadb), part)),
        );
      }
    }
  },
};

/** `entities`: a part's own (named over the whole database, as the unsplit file has them), else all. */
function namespaceView(ctx: TargetContext, nsl: NamespaceLayout, entities: ReturnType<typeof entityViews>, part?: PartInfo) {
  // Only what is used: strict projects compile with noUnusedLocals.
  const runtimeImports = [
    ...(entities.some((e) => e.hasKey) ? ['defineTable'] : []),
    ...(entities.some((e) => !e.hasKey) ? ['defineView'] : []),
    'type Queryable',
  ].join(', ');
  return {
    header: ctx.header('mysql-crud', 'ts', part?.index),
    namespace: nsl.ns.name,
    typesModule: part ? part.typesModule : `./${nsl.stem}.types`,
    runtimeModule: part ? fromPart(`./${RUNTIME_FILE}`) : `./${RUNTIME_FILE}`,
    runtimeImports,
    entities,
  };
}

const quote = (name: string) => escapeId(name, true);

/** The TableMeta literal (see mysql-runtime.hbs). */
function tableMeta(namespace: string, e: Entity, hasKey: boolean, mariadb: boolean): string {
  const key = hasKey ? (e.primaryKey?.columns ?? []) : [];
  const autoIncrement = e.fields.find((f) => sqlOf(f).autoIncrement && key.includes(f.name));
  return [
    '{',
    `  name: ${jsLiteral(`${namespace}.${e.name}`)},`,
    `  table: ${jsLiteral(`${quote(namespace)}.${quote(e.name)}`)},`,
    ...(hasKey ? [`  key: [${key.map(jsLiteral).join(', ')}],`] : []),
    ...(autoIncrement ? [`  autoIncrement: ${jsLiteral(autoIncrement.name)},`] : []),
    '  columns: [',
    ...e.fields.map((f) => `    ${columnMeta(f, mariadb)},`),
    '  ],',
    '}',
  ].join('\n');
}

/** One ColumnMeta literal: `{ name: "id", sql: "`id`" }` plus what this column needs on top. */
function columnMeta(f: Field, mariadb: boolean): string {
  const q = quote(f.name);
  const props = [`name: ${jsLiteral(f.name)}`, `sql: ${jsLiteral(q)}`];
  const kind = columnKind(f);
  if (kind) props.push(`kind: ${jsLiteral(kind)}`);
  // A JSON document equals another one as JSON, not as text with its spacing and key order.
  if (kind === 'json') props.push(`equals: ${jsLiteral(mariadb ? `JSON_EQUALS(${q}, ?)` : `${q} = CAST(? AS JSON)`)}`);
  if (sqlOf(f).generated) props.push('generated: true');
  return `{ ${props.join(', ')} }`;
}

const SPATIAL = new Set(['geometry', 'point', 'linestring', 'polygon', 'multipoint', 'multilinestring', 'multipolygon', 'geometrycollection', 'geomcollection']);

function columnKind(f: Field): string | undefined {
  switch (f.type) {
    case 'bigint':
    case 'decimal':
      return 'exact';
    case 'boolean':
      return 'boolean';
    case 'json':
      return 'json';
    case 'array':
      return 'set';
    case 'date':
    case 'timestamp':
    case 'timestamptz':
      return 'date';
  }
  return SPATIAL.has(f.nativeType.toLowerCase()) ? 'geometry' : undefined;
}

/** Every entity of the namespace, named over the whole of it (a part of a split file takes its own). */
function namedEntities(nsl: NamespaceLayout) {
  const names = new NameAllocator(['createClient', 'T', 'Queryable', 'defineTable', 'defineView']);
  return nsl.ns.entities.map((e) => {
    const base = nsl.entities.get(e.name)!;
    const writable = isWritableEntity(e);
    const hasKey = writable && e.primaryKey !== null;
    const kind = e.kind.replace(/_/g, ' ');
    const view = {
      constName: names.allocate(camelCase(e.name)),
      sqlName: e.name,
      kind,
      hasKey,
      readOnlyReason: hasKey ? '' : writable ? 'it has no primary key' : `it is a ${kind} the server cannot write through`,
      rowType: `T.${base}Row`,
      insertType: `T.${base}Insert`,
      updateType: `T.${base}Update`,
      keyType: `T.${base}Key`,
    };
    return { entity: e, view };
  });
}

/** The template's view of each named entity, with its metadata. */
function entityViews(nsl: NamespaceLayout, named: readonly ReturnType<typeof namedEntities>[number][], mariadb: boolean) {
  return named.map(({ entity, view }) => ({ ...view, meta: tableMeta(nsl.ns.name, entity, view.hasKey, mariadb) }));
}
