import { sqlOf, type Entity, type Field, type Namespace, type Routine, type RoutineArg, type SchemaModel, type ValueShape } from '../../model';
import { fileStem } from '../naming';
import type { CodegenTarget, GeneratedFile, TargetContext } from '../types';

/**
 * `docs-markdown`: a Markdown reference per namespace, for every backend: entities with their fields (type,
 * nullability, default, comment, and how sure a sampled field is), keys, relations, enums and, for REST,
 * endpoints. Everything a server named goes through the Markdown escapers (`md`, `code`) in the template.
 */
export const docsMarkdownTarget: CodegenTarget = {
  id: 'docs-markdown',
  templates: ['docs-markdown'],
  generate(ctx: TargetContext): GeneratedFile[] {
    const stems = new Set<string>();
    const render = ctx.templates.get('docs-markdown');
    return ctx.model.namespaces.map((ns) => ({
      path: `${fileStem(ns.name, stems)}.md`,
      target: 'docs-markdown',
      content: render(namespaceView(ctx, ns)),
    }));
  },
};

const KIND_LABEL: Record<Entity['kind'], string> = {
  table: 'Table',
  partitioned_table: 'Partitioned table',
  foreign_table: 'Foreign table',
  view: 'View',
  materialized_view: 'Materialized view',
  collection: 'Collection',
  endpoint: 'Endpoint',
};

function namespaceView(ctx: TargetContext, ns: Namespace) {
  const count = (kind: string) => ns.entities.filter((e) => KIND_LABEL[e.kind] === kind).length;
  const summary = Object.values(KIND_LABEL)
    .map((k) => [k, count(k)] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k.toLowerCase()}${n === 1 ? '' : 's'}`);
  if (ns.enums.length) summary.push(`${ns.enums.length} enum${ns.enums.length === 1 ? '' : 's'}`);
  if (ns.functions.length) summary.push(`${ns.functions.length} function${ns.functions.length === 1 ? '' : 's'}`);
  return {
    header: ctx.header('docs-markdown', 'markdown'),
    namespace: ns.name,
    source: sourceLine(ctx.model),
    summary: summary.join(', ') || 'empty',
    entities: ns.entities.map((e) => (e.kind === 'endpoint' ? endpointView(e) : entityView(e))),
    enums: ns.enums.map((e) => ({ name: e.name, comment: e.comment, values: e.values })),
    composites: ns.composites.map((c) => ({ name: c.name, comment: c.comment, fields: flatten(c.fields).map((f) => fieldRow(f, undefined)) })),
    functions: ns.functions.map(routineView),
  };
}

const ARG_MODE: Record<RoutineArg['mode'], string> = { in: '', inout: 'inout ', variadic: 'variadic ' };

/** A function as SQL would declare it: `f(inout n integer, b text = …) → setof integer`. */
function routineView(r: Routine) {
  const args = r.args.map((a) => `${ARG_MODE[a.mode]}${a.name ? `${a.name} ` : ''}${a.nativeType}${a.hasDefault ? ' = …' : ''}`);
  const ret = r.returns;
  const set = ret.set ? 'setof ' : '';
  const columns = (ret.fields ?? []).map((f) => `${f.name} ${f.nativeType}`).join(', ');
  const returns =
    ret.kind === 'void' ? 'void'
    : ret.kind === 'scalar' ? `${set}${ret.type?.nativeType ?? '?'}`
    : ret.kind === 'entity' ? `${set}${ret.entity?.namespace}.${ret.entity?.entity}`
    : ret.set ? `table(${columns})` : `record(${columns})`;
  return {
    name: r.name,
    signature: `${r.procedure ? 'procedure ' : ''}${r.name}(${args.join(', ')})`,
    returns,
    volatility: r.volatility && r.volatility !== 'volatile' ? r.volatility : undefined,
    comment: r.comment,
  };
}

function sourceLine(model: SchemaModel): string {
  return [model.source.kind, model.source.database, model.source.serverVersion].filter(Boolean).join(' · ');
}

function entityView(e: Entity) {
  const sample = e.stats?.sample;
  return {
    isEndpoint: false,
    title: `${KIND_LABEL[e.kind]} ${e.name}`,
    name: e.name,
    path: e.path,
    comment: e.comment,
    updatable: e.kind === 'view' && e.sql?.updatable === true,
    sampled: sample ? `Inferred from ${sample.seen.toLocaleString('en-US')} sampled document${sample.seen === 1 ? '' : 's'} (asked for ${sample.size.toLocaleString('en-US')}).` : undefined,
    origin: e.origin === 'validator' ? 'Types from the collection\'s $jsonSchema validator (exact).' : undefined,
    showConfidence: !!sample,
    fields: flatten(e.fields).map((f) => fieldRow(f, sample ? true : undefined)),
    primaryKey: e.primaryKey?.columns,
    uniques: e.uniques.map((u) => ({ name: u.name, columns: u.columns })),
    relations: e.relations.map((r) => ({
      name: r.name,
      columns: r.columns,
      target: `${r.target.namespace}.${r.target.entity}`,
      targetColumns: r.target.columns,
      actions: [r.onDelete !== 'no_action' ? `on delete ${r.onDelete.replace('_', ' ')}` : '', r.onUpdate !== 'no_action' ? `on update ${r.onUpdate.replace('_', ' ')}` : ''].filter(Boolean).join(', '),
    })),
    checks: e.sql?.checks ?? [],
    details: Object.entries(e.details ?? {}).map(([key, value]) => ({ key, value: String(value) })),
  };
}

function endpointView(e: Entity) {
  const ep = e.endpoint!;
  return {
    isEndpoint: true,
    title: `${ep.method.toUpperCase()} ${ep.path}`,
    name: e.name,
    comment: ep.summary ?? e.comment,
    operationId: ep.operationId,
    parameters: ep.parameters.map((p) => ({ name: p.name, in: p.in, required: p.required ? 'yes' : 'no', type: schemaType(p.schema) })),
    body: ep.requestSchema === undefined ? undefined : schemaType(ep.requestSchema),
    response: ep.responseSchema === undefined ? undefined : schemaType(ep.responseSchema),
  };
}

/** Nested fields flattened to dotted paths (`address.city`, `items[].sku`), so one table shows them all. */
function flatten(fields: readonly Field[], prefix = ''): (Field & { path: string })[] {
  return fields.flatMap((f) => [{ ...f, path: `${prefix}${f.name}` }, ...nested(f, `${prefix}${f.name}`)]);
}

/** The members of a shape's objects: its own, its array elements', and those of object alternatives of a union. */
function nested(s: ValueShape, path: string): (Field & { path: string })[] {
  if (s.fields) return flatten(s.fields, `${path}.`);
  if (s.items) return nested(s.items, `${path}[]`);
  return (s.types ?? []).flatMap((t) => nested(t, path));
}

function fieldRow(f: Field & { path: string }, sampled: true | undefined) {
  const sql = sqlOf(f);
  const notes = [sql.identity ? `identity ${sql.identity.replace('_', ' ')}` : '', sql.generated ? `generated (${sql.generated})` : '', sql.autoIncrement ? 'auto increment' : ''].filter(Boolean);
  return {
    name: f.path,
    type: fieldTypeText(f, sql.arrayDims),
    nullable: f.nullable ? 'yes' : 'no',
    optional: f.optional ? 'optional' : '',
    default: sql.default ?? '',
    comment: [f.comment, ...notes].filter(Boolean).join('; '),
    confidence: sampled && f.confidence !== undefined ? `${Math.round(f.confidence * 100)}%` : '',
  };
}

/** `integer[]`, or `numeric[] (decimal[])` and `app.int_list (integer[])` when the native type says another. */
function fieldTypeText(f: Field, arrayDims: number): string {
  if (f.types?.length || f.values || f.type === 'array' || (f.type === 'reference' && f.refPath)) return typeText(f) + '[]'.repeat(arrayDims);
  const neutral = f.type + '[]'.repeat(arrayDims);
  return f.nativeType === neutral ? neutral : `${f.nativeType} (${neutral})`;
}

function typeText(s: ValueShape): string {
  if (s.types?.length) return s.types.map(typeText).join(' | ');
  if (s.values) return `enum(${s.values.join(', ')})`;
  if (s.type === 'array' && s.items) {
    const element = typeText(s.items);
    return element.includes(' | ') ? `(${element})[]` : `${element}[]`;
  }
  if (s.type === 'reference' && s.refPath) return `reference → ${s.refPath}`;
  return s.nativeType && s.nativeType !== s.type ? `${s.nativeType} (${s.type})` : s.type;
}

function schemaType(schema: unknown): string {
  if (!schema || typeof schema !== 'object') return 'any';
  const s = schema as Record<string, unknown>;
  if (typeof s.$ref === 'string') return refName(s.$ref) || '$ref';
  if (s.type === 'array') return `${schemaType(s.items)}[]`;
  if (typeof s.type === 'string') return s.type;
  if (Array.isArray(s.type)) return s.type.join(' | ');
  return s.properties ? 'object' : 'any';
}

/** The schema name a `$ref` points to (`#/$defs/Pet` → `Pet`; a name may itself hold `/`, escaped as `~1`). */
function refName(ref: string): string {
  const named = /^#\/(?:\$defs|definitions|components\/schemas)\/(.+)$/.exec(ref)?.[1];
  return (named ?? ref.replace(/^.*\//, '')).replace(/~1/g, '/').replace(/~0/g, '~');
}
