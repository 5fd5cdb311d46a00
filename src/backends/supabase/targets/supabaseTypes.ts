import { buildLayout } from '../../../core/codegen/layout';
import type { CodegenTarget, GeneratedFile, TargetContext } from '../../../core/codegen/types';
import { sqlOf, type Entity, type Field, type Namespace, type SchemaModel } from '../../../core/model';
import { DbTypes, nullable, sectionOf } from './dbTypes';
import { FunctionTypes } from './functions';
import { relationshipIndex, relationshipsOf, type RelationshipIndex } from './relationships';

/**
 * `supabase-types`: one file with the `Database` type in the shape `supabase gen types typescript` emits
 * (Tables / Views / Functions / Enums / CompositeTypes per schema; Row / Insert / Update / Relationships;
 * `Json`; the Tables<> / TablesInsert<> / TablesUpdate<> / Enums<> / CompositeTypes<> helpers; `Constants`),
 * so `createClient<Database>()` code written against that file compiles against this one unchanged.
 */
export const supabaseTypesTarget: CodegenTarget = {
  id: 'supabase-types',
  templates: ['supabase-types'],
  generate(ctx: TargetContext): GeneratedFile[] {
    return [{ path: databaseTypesFile(ctx.model), target: 'supabase-types', content: ctx.templates.get('supabase-types')(databaseView(ctx)) }];
  },
};

/**
 * `database.types.ts`, the name Supabase's docs use, unless a schema's ts-types file would take that name
 * (a schema called `database`): then `database-types.ts`. supabase-crud imports it from here.
 */
export function databaseTypesFile(model: SchemaModel): string {
  const stems = new Set([...buildLayout(model, { types: {} }).values()].map((l) => l.stem));
  return stems.has('database') ? 'database-types.ts' : 'database.types.ts';
}

/** A property of Row / Insert / Update: the raw name (the template makes it a key) and its type expression. */
interface Member {
  name: string;
  type: string;
  optional: boolean;
  comment: string | undefined;
}

function databaseView(ctx: TargetContext) {
  const types = new DbTypes(ctx.model);
  const fns = new FunctionTypes(types);
  const relationships = relationshipIndex(ctx.model);
  const schemas = ctx.model.namespaces.map((ns) => {
    const relations = ns.entities.map((e) => relationView(ns, e, types, fns, relationships));
    const enums = ns.enums.filter((e) => e.values.length > 0);
    return {
      name: ns.name,
      sections: (['Tables', 'Views'] as const).map((section) => ({ name: section, relations: relations.filter((r) => r.section === section) })),
      functions: fns.functions(ns).map((f) => ({ name: f.name, signatures: f.signatures.map((sig) => ({ setof: undefined, ...sig })) })),
      enums: enums.map((e) => ({ name: e.name, values: e.values, comment: e.comment })),
      composites: ns.composites
        .filter((c) => c.fields.length > 0)
        .map((c) => ({ name: c.name, comment: c.comment, fields: c.fields.map((f) => ({ name: f.name, type: nullable(types.value(f), true) })) })),
    };
  });
  return { header: ctx.header('supabase-types'), schemas, defaultSchema: 'public' };
}

function relationView(ns: Namespace, e: Entity, types: DbTypes, fns: FunctionTypes, relationships: RelationshipIndex) {
  const section = sectionOf(e);
  const row: Member[] = [
    ...e.fields.map((f) => ({ name: f.name, type: types.column(f), optional: false, comment: f.comment })),
    ...fns.computedFields(ns, e).map((c) => ({ name: c.name, type: c.type, optional: false, comment: 'Computed field: a function taking the row.' })),
  ];
  const writes = writesOf(e);
  return {
    section,
    name: e.name,
    comment: e.comment,
    row,
    hasInsert: writes.insert,
    insert: writes.insert ? e.fields.map((f) => writeMember(f, e, types, 'insert')) : [],
    hasUpdate: writes.update,
    update: writes.update ? e.fields.map((f) => writeMember(f, e, types, 'update')) : [],
    relationships: relationshipsOf(relationships, ns.name, e.name),
  };
}

/** Tables take inserts and updates; views only those PostgreSQL writes through (rules and triggers count). */
function writesOf(e: Entity): { insert: boolean; update: boolean } {
  if (sectionOf(e) === 'Tables') return { insert: true, update: true };
  if (e.kind !== 'view') return { insert: false, update: false };
  const insteadOf = e.sql?.insteadOf ?? [];
  return { insert: !!e.sql?.updatable || insteadOf.includes('insert'), update: !!e.sql?.updatable || insteadOf.includes('update') };
}

/**
 * A column in Insert or Update: `?: never` when it cannot be written (generated, GENERATED ALWAYS identity, a
 * computed column of a view); optional when the server fills it in (Insert) or always (Update, views).
 */
function writeMember(f: Field, e: Entity, types: DbTypes, mode: 'insert' | 'update'): Member {
  const sql = sqlOf(f);
  const never = { name: f.name, type: 'never', optional: true, comment: undefined };
  if (sectionOf(e) === 'Views') {
    // An INSTEAD OF trigger or rule receives whole rows: every column can be given then.
    const rewritten = (e.sql?.insteadOf ?? []).some((w) => w === 'insert' || w === 'update');
    if (!rewritten && sql.generated !== null) return never;
    return { name: f.name, type: types.column({ ...f, nullable: true }), optional: true, comment: undefined };
  }
  if (sql.generated !== null || sql.identity === 'always') return never;
  const optional = mode === 'update' || f.nullable || sql.identity !== null || sql.default !== null;
  return { name: f.name, type: types.column(f), optional, comment: undefined };
}
