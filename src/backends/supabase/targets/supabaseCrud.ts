import { isWritable } from '../../../core/codegen/layout';
import { tsString } from '../../../core/codegen/naming';
import type { CodegenTarget, GeneratedFile, TargetContext } from '../../../core/codegen/types';
import type { Entity, Namespace } from '../../../core/model';
import { DbTypes, sectionOf } from './dbTypes';
import { FunctionTypes, type Signature } from './functions';
import { databaseTypesFile } from './supabaseTypes';

const RUNTIME_FILE = 'plugboard-supabase-runtime';

/**
 * `supabase-crud`: typed helpers over supabase-js, built on the `Database` type of supabase-types. Tables
 * with a primary key (composite ones too) get get / list / count / insert / update / delete by that key,
 * every write followed by `.select()` so it returns the row; views PostgreSQL writes through get the writes
 * it takes, by filter; other views and tables without a key are read-only. Functions PostgREST can call get
 * typed wrappers. The client comes from SUPABASE_URL and SUPABASE_ANON_KEY, or is passed in.
 */
export const supabaseCrudTarget: CodegenTarget = {
  id: 'supabase-crud',
  needs: ['relational'],
  templates: ['supabase-crud', 'supabase-runtime'],
  generate(ctx: TargetContext): GeneratedFile[] {
    const typesModule = `./${databaseTypesFile(ctx.model).replace(/\.ts$/, '')}`;
    const types = new DbTypes(ctx.model);
    const fns = new FunctionTypes(types);
    const schemas = ctx.model.namespaces.map((ns) => ({
      name: ns.name,
      relations: ns.entities.map((e) => relationView(ns, e, fns)),
      functions: fns.functions(ns).flatMap((f) => functionView(ns, f.name, f.signatures)),
    }));
    const usesJson = schemas.some((s) => s.functions.some((f) => f.signatures.some((sig) => /\bJson\b/.test(`${sig.args} ${sig.returns}`))));
    const view = {
      header: ctx.header('supabase-crud'),
      usesJson,
      typesModule,
      runtimeModule: `./${RUNTIME_FILE}`,
      defaultSchema: ctx.model.namespaces.some((n) => n.name === 'public') ? 'public' : (ctx.model.namespaces[0]?.name ?? 'public'),
      schemas,
    };
    return [
      { path: `${RUNTIME_FILE}.ts`, target: 'supabase-crud', content: ctx.templates.get('supabase-runtime')({ header: ctx.header('supabase-crud') }) },
      { path: 'supabase.crud.ts', target: 'supabase-crud', content: ctx.templates.get('supabase-crud')(view) },
    ];
  },
};

const ref = (...path: string[]) => `Database${path.map((p) => `[${tsString(p)}]`).join('')}`;

function relationView(ns: Namespace, e: Entity, fns: FunctionTypes) {
  const section = sectionOf(e);
  // `select('*')` returns the columns, not the computed fields the Row type also lists.
  const computed = fns.computedFields(ns, e).map((c) => tsString(c.name));
  const rowType = ref(ns.name, section, e.name, 'Row');
  const row = computed.length ? `Omit<${rowType}, ${computed.join(' | ')}>` : rowType;
  const writes = viewWrites(e);
  const hasKey = section === 'Tables' && e.primaryKey !== null && e.primaryKey.columns.length > 0;
  const note = hasKey
    ? ''
    : writes.length
      ? `written through; no key, so updateWhere / deleteWhere take a filter`
      : section === 'Tables'
        ? 'read-only: it has no primary key'
        : e.kind === 'materialized_view'
          ? 'read-only'
          : 'read-only: PostgreSQL cannot write through it';
  return {
    name: e.name,
    schema: ns.name,
    kind: e.kind.replace(/_/g, ' '),
    label: `${ns.name}.${e.name}`,
    note,
    hasKey,
    keyColumns: hasKey ? e.primaryKey!.columns : [],
    keyUnion: hasKey ? e.primaryKey!.columns.map(tsString).join(' | ') : 'never',
    row,
    insert: section === 'Tables' || writes.includes('insert') ? ref(ns.name, section, e.name, 'Insert') : 'never',
    update: section === 'Tables' || writes.includes('updateWhere') ? ref(ns.name, section, e.name, 'Update') : 'never',
    writes: section === 'Tables' ? [] : writes,
  };
}

/** The writes a view takes: automatically updatable views all three, others what their triggers or rules take. */
function viewWrites(e: Entity): string[] {
  if (e.kind !== 'view') return [];
  const takes = e.sql?.updatable ? ['insert', 'update', 'delete'] : (e.sql?.insteadOf ?? []);
  // A view with no writable column at all cannot take an insert or an update through itself.
  const writable = e.fields.some(isWritable) || (e.sql?.insteadOf?.length ?? 0) > 0;
  return takes.filter((w) => w === 'delete' || writable).map((w) => (w === 'insert' ? 'insert' : w === 'update' ? 'updateWhere' : 'deleteWhere'));
}

/** A wrapper per function with named arguments that PostgREST can call; overloads become call signatures. */
function functionView(ns: Namespace, name: string, signatures: Signature[]) {
  const usable = signatures.filter((s) => !s.error && s.routine.args.every((a) => a.name !== ''));
  if (!usable.length) return [];
  const comment = usable.map((s) => s.routine.comment).find((c) => c);
  return [
    {
      name,
      schema: ns.name,
      label: `${ns.name}.${name}()`,
      comment,
      returnsVoid: usable.every((s) => s.routine.returns.kind === 'void'),
      signatures: usable.map((s) => ({ args: s.args, returns: s.returns, optionalArgs: s.routine.args.every((a) => a.hasDefault) })),
    },
  ];
}
