import type { Entity } from '../../model';
import { tsString } from '../naming';
import { buildLayout, isOptionalOnInsert, isWritable, TsTypeMapper, type NamespaceLayout } from '../sqlLayout';
import type { CodegenTarget, GeneratedFile, TargetContext } from '../types';

const READ_ONLY_KINDS = new Set(['view', 'materialized_view']);

/** `ts-types`: per namespace, Row / Insert / Update / Key types for tables, Row for views, enums as unions. */
export const tsTypesTarget: CodegenTarget = {
  id: 'ts-types',
  label: 'TypeScript types',
  description: 'Row / Insert / Update types per table, enums as string unions',
  kinds: ['postgres', 'mysql', 'supabase'],
  templates: ['ts-types'],
  generate(ctx: TargetContext): GeneratedFile[] {
    const layout = buildLayout(ctx.model);
    const render = ctx.templates.get('ts-types');
    return [...layout.values()].map((nsl) => ({
      path: `${nsl.stem}.types.ts`,
      target: 'ts-types',
      content: render(namespaceView(ctx, layout, nsl)),
    }));
  },
};

function namespaceView(ctx: TargetContext, layout: Map<string, NamespaceLayout>, nsl: NamespaceLayout) {
  const types = new TsTypeMapper(layout, nsl, ctx.options);
  const { ns } = nsl;
  const enums = ns.enums.map((e) => ({
    name: nsl.enums.get(e.name)!,
    sqlName: e.name,
    values: e.values,
    comment: e.comment,
  }));
  const composites = ns.composites.map((c) => ({
    name: nsl.composites.get(c.name)!,
    sqlName: c.name,
    comment: c.comment,
    fields: c.fields.map((f) => ({ name: f.name, type: types.fieldType({ ...f, nullable: true }, 'row'), comment: f.comment })),
  }));
  const entities = ns.entities.map((e) => entityView(e, nsl.entities.get(e.name)!, types));
  return {
    header: ctx.header('ts-types'),
    namespace: ns.name,
    imports: types.importLines(),
    enums,
    composites,
    entities,
    tables: entities.filter((e) => e.writable),
    views: entities.filter((e) => !e.writable),
  };
}

function entityView(e: Entity, base: string, types: TsTypeMapper) {
  const writable = !READ_ONLY_KINDS.has(e.kind);
  const row = e.fields.map((f) => ({ name: f.name, type: types.fieldType(f, 'row'), comment: f.comment ?? nativeNote(f) }));
  const insert = writable
    ? e.fields.filter(isWritable).map((f) => {
        const optional = isOptionalOnInsert(f);
        return { name: f.name, type: types.fieldType(f, 'insert') + inheritedMember(f.name, optional), optional };
      })
    : undefined;
  const pk = e.primaryKey;
  const key =
    writable && pk
      ? pk.columns.map((c) => {
          const f = e.fields.find((x) => x.name === c)!;
          return { name: c, type: types.fieldType({ ...f, nullable: false }, 'insert') };
        })
      : undefined;
  return {
    sqlName: e.name,
    kind: e.kind.replace(/_/g, ' '),
    comment: e.comment,
    /** A table: it gets Insert / Update types (even with no writable column, e.g. `CREATE TABLE t ()`). */
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
 * Every object literal has Object.prototype's members, and TypeScript checks them against optional properties
 * of the same name: with a column `toString`, `{ name: 'x' }` would not be a valid Insert. Optional properties
 * so named also accept the inherited member; the runtime only ever reads own properties.
 */
const OBJECT_MEMBERS = new Set(['constructor', 'toString', 'toLocaleString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable']);

function inheritedMember(name: string, optional: boolean): string {
  return optional && OBJECT_MEMBERS.has(name) ? ` | Object[${tsString(name)}]` : '';
}

function nativeNote(f: { nativeType: string; generated: string | null; identity: string | null }): string {
  const bits = [f.nativeType];
  if (f.generated) bits.push('generated');
  if (f.identity) bits.push(`identity ${f.identity.replace('_', ' ')}`);
  return bits.join(', ');
}
