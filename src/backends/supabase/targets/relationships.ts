import { sqlOf, type Entity, type SchemaModel } from '../../../core/model';

/**
 * The `Relationships` of each table and view, as PostgREST sees them and `supabase gen types` lists them: the
 * foreign keys of the generated schemas, and the ones PostgREST derives for views: a view that shows all the
 * columns of a foreign key (or of the key it references) as they are takes part in that relationship too
 * (view → table, table → view, view → view). Each relationship is listed under its source relation when the
 * referenced relation is in the same schema.
 */
export interface RelationshipView {
  foreignKeyName: string;
  columns: string[];
  isOneToOne: boolean;
  referencedRelation: string;
  referencedColumns: string[];
}

interface Rel {
  fk: string;
  schema: string;
  relation: string;
  columns: string[];
  oneToOne: boolean;
  refSchema: string;
  refRelation: string;
  refColumns: string[];
}

interface ViewRef {
  schema: string;
  view: Entity;
}

const key = (schema: string, name: string) => `${schema}\u0000${name}`;

/** One key per relation: `schema\0relation`. */
export type RelationshipIndex = Map<string, RelationshipView[]>;

export function relationshipIndex(model: SchemaModel): RelationshipIndex {
  const tables: Rel[] = [];
  const views: ViewRef[] = [];
  for (const ns of model.namespaces) {
    for (const e of ns.entities) {
      if (e.kind === 'view' || e.kind === 'materialized_view') views.push({ schema: ns.name, view: e });
      for (const r of e.relations) {
        tables.push({
          fk: r.name,
          schema: ns.name,
          relation: e.name,
          columns: r.columns,
          oneToOne: isOneToOne(e, r.columns),
          refSchema: r.target.namespace,
          refRelation: r.target.entity,
          refColumns: r.target.columns,
        });
      }
    }
  }
  const all = [...tables, ...tables.flatMap((r) => throughViews(r, views))];
  const index: RelationshipIndex = new Map();
  for (const r of all) {
    if (r.refSchema !== r.schema) continue;
    const k = key(r.schema, r.relation);
    let list = index.get(k);
    if (!list) index.set(k, (list = []));
    list.push({ foreignKeyName: r.fk, columns: r.columns, isOneToOne: r.oneToOne, referencedRelation: r.refRelation, referencedColumns: r.refColumns });
  }
  for (const list of index.values()) list.sort(byRelationship);
  return index;
}

export function relationshipsOf(index: RelationshipIndex, schema: string, relation: string): RelationshipView[] {
  return index.get(key(schema, relation)) ?? [];
}

/** One-to-one when the foreign key's columns are exactly a primary key or unique constraint, in column order. */
function isOneToOne(e: Entity, fkColumns: string[]): boolean {
  const position = new Map(e.fields.map((f, i) => [f.name, i]));
  const inTableOrder = (cols: string[]) => [...cols].sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
  const keys = [...(e.primaryKey ? [e.primaryKey.columns] : []), ...e.uniques.map((u) => u.columns)];
  return keys.some((k) => sameList(inTableOrder(k), fkColumns));
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Every way a view shows all of `columns` of table schema.relation: one list of view columns per combination
 * (a table column shown twice gives two). Empty when the view lacks one of them.
 */
function exposures(v: ViewRef, schema: string, relation: string, columns: string[]): string[][] {
  const per = columns.map((c) =>
    v.view.fields.filter((f) => {
      const o = sqlOf(f).origin;
      return o !== undefined && o.namespace === schema && o.entity === relation && o.column === c;
    }).map((f) => f.name),
  );
  return per.reduce<string[][]>((combos, names) => combos.flatMap((combo) => names.map((n) => [...combo, n])), [[]]).filter((c) => c.length === columns.length && columns.length > 0);
}

function throughViews(r: Rel, views: ViewRef[]): Rel[] {
  const fromViews = views.flatMap((v) => exposures(v, r.schema, r.relation, r.columns).map((cols) => ({ v, cols })));
  const toViews = views.flatMap((v) => exposures(v, r.refSchema, r.refRelation, r.refColumns).map((cols) => ({ v, cols })));
  return [
    ...fromViews.map(({ v, cols }) => ({ ...r, schema: v.schema, relation: v.view.name, columns: cols })),
    ...toViews.map(({ v, cols }) => ({ ...r, refSchema: v.schema, refRelation: v.view.name, refColumns: cols })),
    ...fromViews.flatMap((from) => toViews.map((to) => ({ ...r, schema: from.v.schema, relation: from.v.view.name, columns: from.cols, refSchema: to.v.schema, refRelation: to.v.view.name, refColumns: to.cols }))),
  ];
}

// The generator orders with an English collation, not code points.
const collator = new Intl.Collator('en');

function byRelationship(a: RelationshipView, b: RelationshipView): number {
  return (
    collator.compare(a.foreignKeyName, b.foreignKeyName) ||
    collator.compare(a.referencedRelation, b.referencedRelation) ||
    collator.compare(JSON.stringify(a.referencedColumns), JSON.stringify(b.referencedColumns))
  );
}
