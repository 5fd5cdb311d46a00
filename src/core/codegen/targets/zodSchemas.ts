import { buildLayout, isOptionalOnInsert, isWritable, isWritableEntity } from '../layout';
import { propertyName } from '../overrides/resolve';
import type { CodegenTarget, GeneratedFile, TargetContext } from '../types';
import { buildZodLayout, ZodMapper, type ZodNamespaceLayout } from '../zodMapper';

/**
 * `zod`, for every backend with tables or collections: per namespace a `<stem>.zod.ts` with a schema per
 * enum, composite type, and per entity Row, Insert and Update (Insert and Update where ts-types has them),
 * such that `z.infer` of each is exactly the ts-types type of the same name. They import `zod/v4`, which
 * zod 3.25+ and 4 both provide with the same API, so the inferred types agree whichever the project has.
 */
export const zodTarget: CodegenTarget = {
  id: 'zod',
  needs: ['relational', 'documents'],
  templates: ['zod'],
  generate(ctx: TargetContext): GeneratedFile[] {
    const mapping = ctx.options.mapping;
    const layout = buildLayout(ctx.model, mapping);
    const zodLayout = buildZodLayout(ctx.model, layout, mapping);
    const render = ctx.templates.get('zod');
    return [...zodLayout.values()].map((zl) => ({ path: `${zl.types.stem}.zod.ts`, target: 'zod', content: render(namespaceView(ctx, zodLayout, zl)) }));
  },
};

function namespaceView(ctx: TargetContext, zodLayout: Map<string, ZodNamespaceLayout>, zl: ZodNamespaceLayout) {
  const mapping = ctx.options.mapping;
  const mapper = new ZodMapper(zodLayout, zl, mapping);
  const { ns } = zl.types;
  const enums = ns.enums.map((e) => ({
    schemaName: zl.enums.get(e.name)!,
    typeName: zl.types.enums.get(e.name)!,
    sqlName: e.name,
    expr: e.values.length ? `z.enum(${zl.types.enumValues.get(e.name)!})` : 'z.never()',
  }));
  const composites = ns.composites.map((c) => ({
    schemaName: zl.composites.get(c.name)!,
    typeName: zl.types.composites.get(c.name)!,
    sqlName: c.name,
    // PostgreSQL cannot declare a composite type's attribute NOT NULL (ts-types makes them all nullable).
    fields: c.fields.map((f) => ({ name: f.name, expr: mapper.property(f, 'row', false, '  ', true) })),
  }));
  const entities = ns.entities.map((e) => {
    const base = zl.entities.get(e.name)!;
    const writable = isWritableEntity(e);
    return {
      sqlName: e.name,
      kind: e.path ? `${e.kind} ${e.path}` : e.kind.replace(/_/g, ' '),
      typeBase: zl.types.entities.get(e.name)!,
      rowName: `${base}RowSchema`,
      insertName: `${base}InsertSchema`,
      updateName: `${base}UpdateSchema`,
      writable,
      row: mapper.object(e.fields, 'row', '', (f) => !!f.optional, propertyName),
      insert: writable ? mapper.object(e.fields.filter(isWritable), 'insert', '', (f) => isOptionalOnInsert(f, mapping), propertyName) : undefined,
    };
  });
  const usesEnumValues = enums.some((e) => e.expr !== 'z.never()');
  const imports = mapper.imports();
  return {
    header: ctx.header('zod'),
    namespace: ns.name,
    typesModule: `./${zl.types.stem}.types`,
    enumValues: usesEnumValues ? enums.filter((e) => e.expr !== 'z.never()').map((e) => zl.types.enumValues.get(e.sqlName)!).join(', ') : '',
    valueImports: imports.values,
    typeImports: imports.types,
    declarations: mapper.declarations(),
    enums,
    composites,
    entities,
  };
}
