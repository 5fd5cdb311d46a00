import { EndpointTypes } from '../endpointTypes';
import { JsonSchemaZod } from '../jsonSchemaZod';
import { buildLayout, isOptionalOnInsert, isWritable, isWritableEntity } from '../layout';
import { fileStem, lineComment, NameAllocator, objectLiteralKey, tsString } from '../naming';
import { propertyName } from '../overrides/resolve';
import { renderIndex, SHARED_PART } from '../split';
import type { CodegenTarget, GeneratedFile, TargetContext } from '../types';
import type { Entity } from '../../model';
import { buildZodLayout, ZodMapper, type ZodNamespaceLayout } from '../zodMapper';

/**
 * `zod`, for every backend with tables or collections: per namespace a `<stem>.zod.ts` with a schema per
 * enum, composite type, and per entity Row, Insert and Update (Insert and Update where ts-types has them),
 * such that `z.infer` of each is exactly the ts-types type of the same name. For a REST model, one file
 * with a schema per named JSON Schema and per operation's arguments and response, each annotated with its
 * ts-types type. They import `zod/v4`, which zod 3.25+ and 4 both provide with the same API, so the inferred
 * types agree whichever the project has.
 */
export const zodTarget: CodegenTarget = {
  id: 'zod',
  templates: ['zod', 'zod-endpoints'],
  generate(ctx: TargetContext): GeneratedFile[] {
    if (ctx.model.namespaces.some((ns) => ns.entities.some((e) => e.kind === 'endpoint'))) return [endpointFile(ctx)];
    const mapping = ctx.options.mapping;
    const layout = buildLayout(ctx.model, mapping, ctx.options.splitThreshold);
    const zodLayout = buildZodLayout(ctx.model, layout, mapping);
    const render = ctx.templates.get('zod');
    return [...zodLayout.values()].flatMap((zl) =>
      zl.types.split ? splitFiles(ctx, zodLayout, zl) : [{ path: `${zl.types.stem}.zod.ts`, target: 'zod', content: render(namespaceView(ctx, zodLayout, zl)) }],
    );
  },
};

/** A split namespace: the parts ts-types has (same stems), each importing its own types part, and the index. */
function splitFiles(ctx: TargetContext, zodLayout: Map<string, ZodNamespaceLayout>, zl: ZodNamespaceLayout): GeneratedFile[] {
  const split = zl.types.split!;
  const render = ctx.templates.get('zod');
  const index = `${zl.types.stem}.zod.ts`;
  const file = (stem: string, entities: readonly Entity[] | undefined) => ({
    path: `${split.folder}/${stem}.zod.ts`,
    target: 'zod',
    content: render(namespaceView(ctx, zodLayout, zl, { stem, entities, index })),
  });
  const parts = [file(SHARED_PART, undefined), ...split.parts.map((p) => file(p.stem, p.entities))];
  const title = `zod schemas for ${lineComment(tsString(zl.types.ns.name))}`;
  return [renderIndex(ctx, { target: 'zod', path: index, title, parts }), ...parts];
}

function namespaceView(ctx: TargetContext, zodLayout: Map<string, ZodNamespaceLayout>, zl: ZodNamespaceLayout, part?: { stem: string; entities: readonly Entity[] | undefined; index: string }) {
  const mapping = ctx.options.mapping;
  const mapper = new ZodMapper(zodLayout, zl, mapping, part?.stem);
  const { ns } = zl.types;
  const shared = !part || !part.entities;
  const enums = (shared ? ns.enums : []).map((e) => ({
    schemaName: zl.enums.get(e.name)!,
    typeName: zl.types.enums.get(e.name)!,
    sqlName: e.name,
    expr: e.values.length ? `z.enum(${zl.types.enumValues.get(e.name)!})` : 'z.never()',
  }));
  const composites = (shared ? ns.composites : []).map((c) => ({
    schemaName: zl.composites.get(c.name)!,
    typeName: zl.types.composites.get(c.name)!,
    sqlName: c.name,
    // PostgreSQL cannot declare a composite type's attribute NOT NULL (ts-types makes them all nullable).
    fields: c.fields.map((f) => ({ name: f.name, expr: mapper.property(f, 'row', false, '  ', true) })),
  }));
  const entities = (part ? (part.entities ?? []) : ns.entities).map((e) => {
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
    header: ctx.header('zod', 'ts', part?.index),
    namespace: ns.name,
    // Nothing to declare: no zod import (it would be unused), and still a module.
    empty: !enums.length && !composites.length && !entities.length,
    typesModule: part ? `./${part.stem}.types` : `./${zl.types.stem}.types`,
    enumValues: usesEnumValues ? enums.filter((e) => e.expr !== 'z.never()').map((e) => zl.types.enumValues.get(e.sqlName)!).join(', ') : '',
    valueImports: imports.values,
    typeImports: imports.types,
    declarations: mapper.declarations(),
    enums,
    composites,
    entities,
  };
}

/** Names as ts-types allocates them (same allocator seed, same order), so `T.<name>` is always there. */
function endpointFile(ctx: TargetContext): GeneratedFile {
  const provider = ctx.model.source.provider;
  const types = new EndpointTypes(ctx.model, new NameAllocator(['Json']));
  const operations = types.operations();
  const names = new NameAllocator(['z', 'T']);
  const schemaNames = new Map(types.schemas.namedSchemas().map((d) => [d.tsName, names.allocate(`${d.tsName}Schema`)]));
  const zod = new JsonSchemaZod(types.schemas, (tsName) => schemaNames.get(tsName)!);
  const declarations = types.schemas.namedSchemas().map((d) => ({ schemaName: schemaNames.get(d.tsName)!, typeName: d.tsName, expr: zod.of(d.schema, '') }));
  const ops = operations.map((op) => {
    const ep = op.endpoint;
    const lines: string[] = [];
    for (const where of ['path', 'query', 'header'] as const) {
      const params = ep.parameters.filter((p) => p.in === where);
      if (!params.length) continue;
      const fields = params.map((p) => `    ${objectLiteralKey(p.name)}: ${zod.of(p.schema, '    ')}${p.required ? '' : '.optional()'},`);
      const group = `z.object({\n${fields.join('\n')}\n  })${params.some((p) => p.required) ? '' : '.optional()'}`;
      lines.push(`  ${where === 'header' ? 'headers' : where}: ${group},`);
    }
    if (ep.requestSchema !== undefined) lines.push(`  body: ${zod.of(ep.requestSchema, '  ')},`);
    return {
      summary: op.summary,
      argsName: op.argsName,
      argsSchema: names.allocate(`${op.argsName}Schema`),
      args: lines.length ? `z.object({\n${lines.join('\n')}\n})` : 'z.record(z.string(), z.never())',
      responseName: op.responseName,
      responseSchema: names.allocate(`${op.responseName}Schema`),
      response: ep.responseSchema === undefined ? 'z.unknown()' : zod.of(ep.responseSchema, ''),
    };
  });
  const stem = fileStem(provider?.id ?? ctx.model.source.database ?? 'api', new Set());
  const view = { header: ctx.header('zod'), providerName: provider?.name ?? ctx.model.source.database ?? 'REST API', typesModule: `./${stem}.types`, declarations, operations: ops };
  return { path: `${stem}.zod.ts`, target: 'zod', content: ctx.templates.get('zod-endpoints')(view) };
}
