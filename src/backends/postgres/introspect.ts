import { ALL_WRITES, type CatalogPart } from './catalog';
import type { CompositeType, DomainType, Entity, EntityKind, EnumType, Field, Namespace, Routine, SchemaModel } from '../../core/model';
import { field, TypeResolver, type ColumnType, type TypeInfoDoc, type TypeRow } from './pgTypes';
import { buildRoutines, type FunctionsDoc } from './routines';
import type { Traced } from '../../core/introspect/viewNullability';
import { traceViewColumnsSteps, type ViewsDoc } from './viewColumns';
import { inRanges, runSteps, type Steps } from '../../core/slices';


/**
 * The documents the catalog queries return (see catalog.ts): column-wise arrays, aligned by index, parsed
 * from one JSON text per query. An aggregate over no rows gives null, hence `| null` on every array. Oids
 * arrive as JSON numbers (they fit exactly); key lists as PostgreSQL array text, `{1,2}` or `1 2`.
 */
type Col<T> = T[] | null;
export interface ColumnsDoc {
  version: string;
  database: string;
  /** `writes`: pg_relation_is_updatable of a view, null for other relations. */
  rels: { oid: Col<number>; schema: Col<string>; name: Col<string>; kind: Col<string>; in_scope: Col<boolean>; writes: Col<number | null>; rows: Col<number> };
  cols: {
    rel: Col<number>; packed: Col<number>; name: Col<string>; typid: Col<number>;
    typmod: Col<number>; typmod_rel: Col<number>; typmod_num: Col<number>;
    identity: Col<string>; identity_rel: Col<number>; identity_num: Col<number>;
    generated: Col<string>; generated_rel: Col<number>; generated_num: Col<number>;
    /** Columns a view written through cannot write (computed ones). */
    readonly_rel: Col<number>; readonly_num: Col<number>;
  };
  natives: { typid: Col<number>; typmod: Col<number>; text: Col<string> };
  types: TypeInfoDoc;
  defaults: { rel: Col<number>; num: Col<number>; expr: Col<string> };
  comments: { rel: Col<number>; num: Col<number>; text: Col<string> };
}
export interface ConstraintsDoc {
  rel: Col<number>; name: Col<string>; type: Col<string>; cols: Col<string>; frel: Col<number>; fcols: Col<string | null>;
  on_update: Col<string>; on_delete: Col<string>; check: Col<string | null>;
}
export interface IndexesDoc {
  idx: { rel: Col<number>; oid: Col<number>; name: Col<string>; flags: Col<number>; am: Col<number>; keys: Col<string>; nkeys: Col<number> };
  methods: { oid: Col<number>; name: Col<string> };
  predicates: { oid: Col<number>; expr: Col<string> };
  exprs: { oid: Col<number>; pos: Col<number>; expr: Col<string> };
}
/** One catalog query's result, parsed. */
export type CatalogResult =
  | { part: 'columns'; doc: ColumnsDoc }
  | { part: 'constraints'; doc: ConstraintsDoc }
  | { part: 'indexes'; doc: IndexesDoc }
  | { part: 'types'; rows: TypeRow[] }
  | { part: 'functions'; doc: FunctionsDoc }
  | { part: 'views'; doc: ViewsDoc };

/** The big queries' single row holds a JSON document (text, so parsing is explicit and done once). */
export function parseCatalogResult(part: CatalogPart, rows: unknown[]): CatalogResult {
  if (part === 'types') return { part, rows: rows as TypeRow[] };
  const doc: unknown = JSON.parse((rows[0] as { data: string }).data);
  return { part, doc } as CatalogResult;
}

/** The model from all the catalog results of one introspection. */
export function modelFromCatalog(results: CatalogResult[]): SchemaModel {
  return runSteps(modelSteps(results));
}

/**
 * `modelFromCatalog` as steps, for the extension host to run in slices: at 5,000 tables, building the model
 * in one go held the editor for about 450 ms. A step takes at most `stepSize` columns (relations, keys,
 * indexes; views by the 512th of it). By default a loop is one step: each new call of a loop's range starts
 * unoptimised, so 4,096-column steps made the CLI's model 10% slower at 10,000 tables.
 */
export function modelSteps(results: CatalogResult[], stepSize = Infinity): Steps<SchemaModel> {
  const columns: ColumnsDoc[] = [];
  let constraints: ConstraintsDoc | undefined;
  let indexes: IndexesDoc | undefined;
  let functions: FunctionsDoc | undefined;
  let views: ViewsDoc | undefined;
  let types: TypeRow[] = [];
  for (const r of results) {
    if (r.part === 'columns') columns.push(r.doc);
    else if (r.part === 'constraints') constraints = r.doc;
    else if (r.part === 'indexes') indexes = r.doc;
    else if (r.part === 'functions') functions = r.doc;
    else if (r.part === 'views') views = r.doc;
    else types = r.rows;
  }
  if (!constraints || !functions) throw new Error('catalog results are incomplete');
  return buildModelSteps(stepSize, columns, constraints, indexes ?? NO_INDEXES, types, functions, views);
}

/** The indexes document when the query was left out (`forGeneration`): every entity gets `indexes: []`. */
const NO_INDEXES: IndexesDoc = {
  idx: { rel: null, oid: null, name: null, flags: null, am: null, keys: null, nkeys: null },
  methods: { oid: null, name: null },
  predicates: { oid: null, expr: null },
  exprs: { oid: null, pos: null, expr: null },
};

const RELKIND: Record<string, EntityKind | 'composite'> = {
  r: 'table', p: 'partitioned_table', f: 'foreign_table', v: 'view', m: 'materialized_view', c: 'composite',
};
const FK_ACTION = { a: 'no_action', r: 'restrict', c: 'cascade', n: 'set_null', d: 'set_default' } as const;

const list = <T>(a: T[] | null | undefined): T[] => a ?? [];

/** `{1,2}` (int2[]) or `1 2` (int2vector) to numbers, without regular expressions (it runs per key). */
function keyNums(text: string): number[] {
  const out: number[] = [];
  let n = 0;
  let inNum = false;
  let neg = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch >= 48 && ch <= 57) {
      n = n * 10 + (ch - 48);
      inNum = true;
    } else if (ch === 45) {
      neg = true;
    } else {
      if (inNum) out.push(neg ? -n : n);
      n = 0;
      inNum = false;
      neg = false;
    }
  }
  if (inNum) out.push(neg ? -n : n);
  return out;
}

/** What few columns have, from the documents' sparse lists. */
interface ColumnExtras {
  def?: string;
  typmod?: number;
  identity?: string;
  generated?: string;
  comment?: string;
  /** A computed column of a view written through. */
  readonly?: boolean;
}

interface RelIn {
  oid: number;
  schema: string;
  name: string;
  kind: string;
  /** A view PostgreSQL writes through: INSERT, UPDATE and DELETE. */
  updatable: boolean;
  /** The planner's estimate of its rows; negative when never analysed. */
  rows: number;
  /** The columns document that has this relation in scope, or -1: then it is only a foreign key's target. */
  part: number;
  comment?: string;
  /** Column names by attribute number, to name key columns of constraints and indexes. */
  names: string[];
  /** By attribute number. */
  extras: (ColumnExtras | undefined)[];
  nums: number[];
  fields: Field[];
}

/**
 * Builds the model from the catalog documents (several columns documents, each with its share of the
 * relations). Written for tens of thousands of columns: what few columns have (defaults, comments, type
 * modifiers, identity) is put on its relation by attribute number first, so the per-column loop does array
 * lookups, not map lookups; and each distinct column type is resolved once.
 */
function* buildModelSteps(stepSize: number, docs: ColumnsDoc[], constraints: ConstraintsDoc, indexes: IndexesDoc, typeRows: TypeRow[], functions: FunctionsDoc, views?: ViewsDoc): Steps<SchemaModel> {
  const types = new TypeResolver(typeRows);
  const namespaces = new Map<string, Namespace>();
  const ns = (name: string): Namespace => {
    let n = namespaces.get(name);
    if (!n) namespaces.set(name, (n = { name, entities: [], enums: [], domains: [], composites: [], functions: [] }));
    return n;
  };

  // Relations (and composite types). One may come twice: in scope in its own share, and as the target of a
  // foreign key in another.
  const rels: RelIn[] = [];
  const relIndex = new Map<number, number>();
  for (let part = 0; part < docs.length; part++) {
    const r = docs[part]!.rels, oid = list(r.oid), schema = list(r.schema), name = list(r.name), kind = list(r.kind), inScope = list(r.in_scope);
    const writes = list(r.writes), rows = list(r.rows);
    for (let i = 0; i < oid.length; i++) {
      const known = relIndex.get(oid[i]!);
      if (known !== undefined) {
        if (inScope[i]) rels[known]!.part = part;
        continue;
      }
      relIndex.set(oid[i]!, rels.length);
      const updatable = ((writes[i] ?? 0) & ALL_WRITES) === ALL_WRITES;
      rels.push({ oid: oid[i]!, schema: schema[i]!, name: name[i]!, kind: kind[i]!, updatable, rows: rows[i] ?? -1, part: inScope[i] ? part : -1, names: [], extras: [], nums: [], fields: [] });
    }
    yield;
  }
  const relOf = (oid: number): RelIn | undefined => {
    const ri = relIndex.get(oid);
    return ri === undefined ? undefined : rels[ri];
  };
  // Sparse per-column values go straight onto their relation, indexed by attribute number.
  const spread = <K extends keyof ColumnExtras>(prop: K, relOids: Col<number>, nums: Col<number>, values: Col<ColumnExtras[K]>) => {
    const r = list(relOids), n = list(nums), v = list(values);
    for (let i = 0; i < r.length; i++) {
      const rel = relOf(r[i]!);
      if (!rel) continue;
      if (n[i] === 0 && prop === 'comment') rel.comment = v[i] as string; // the relation's own comment
      else (rel.extras[n[i]!] ??= {})[prop] = v[i];
    }
  };
  for (const d of docs) {
    spread('def', d.defaults.rel, d.defaults.num, d.defaults.expr);
    spread('comment', d.comments.rel, d.comments.num, d.comments.text);
    spread('typmod', d.cols.typmod_rel, d.cols.typmod_num, d.cols.typmod);
    spread('identity', d.cols.identity_rel, d.cols.identity_num, d.cols.identity);
    spread('generated', d.cols.generated_rel, d.cols.generated_num, d.cols.generated);
    spread('readonly', d.cols.readonly_rel, d.cols.readonly_num, list(d.cols.readonly_rel).map(() => true));
    yield;
  }

  const columnTypes = new Map<number, ColumnType>();
  const natives = new Map<number, Map<number, string>>();
  for (const doc of docs) {
    types.addInfo(doc.types, columnTypes);
    const typid = list(doc.natives.typid), typmod = list(doc.natives.typmod), text = list(doc.natives.text);
    for (let i = 0; i < typid.length; i++) {
      let m = natives.get(typid[i]!);
      if (!m) natives.set(typid[i]!, (m = new Map()));
      m.set(typmod[i]!, text[i]!);
    }
  }

  // The columns of one document, [from, to).
  const addColumns = (part: number, from: number, to: number) => {
    const c = docs[part]!.cols, relid = list(c.rel), packed = list(c.packed), name = list(c.name), typid = list(c.typid);
    let rel: RelIn | undefined;
    let relOid = -1;
    for (let i = from; i < to; i++) {
      // Columns come grouped by relation: look it up only when it changes.
      if (relid[i] !== relOid) rel = relOf((relOid = relid[i]!));
      if (!rel) continue;
      const p = packed[i]!;
      const n = p % 2048;
      rel.names[n] = name[i]!;
      if (rel.part !== part) continue;
      const x = rel.extras[n];
      const t = typid[i]!;
      rel.nums.push(n);
      rel.fields.push(
        field(
          name[i]!, natives.get(t)?.get(x?.typmod ?? -1) ?? 'unknown', columnTypes.get(t), Math.floor(p / 2048) % 2 === 1, Math.floor(p / 4096),
          // A view's computed column is never writable, like a generated column.
          x?.def ?? null, x?.identity, x?.readonly ? 'v' : x?.generated, x?.comment,
        ),
      );
    }
  };
  for (let part = 0; part < docs.length; part++) yield* inRanges(list(docs[part]!.cols.rel).length, stepSize, (from, to) => addColumns(part, from, to));

  // Views and materialized views: each column's nullability traced to the column it comes from.
  // A view's rule tree takes about 0.5 ms to read (a column about 2 µs): 8 views a step where 4,096 columns are.
  const traced = views ? yield* traceViewColumnsSteps(views, Math.max(1, stepSize / 512)) : new Map<number, Traced[]>();
  const entities = new Map<number, Entity>();
  // COMMENT ON TYPE stores a composite type's comment on its pg_type row, not on its pg_class row.
  const typeComments = new Map(typeRows.filter((t) => t.typtype === 'c' && t.comment).map((t) => [`${t.schema}\u0000${t.name}`, t.comment!]));
  yield* inRanges(rels.length, stepSize, (from, to) => {
    for (let ri = from; ri < to; ri++) {
      const rel = rels[ri]!;
      if (rel.part < 0) continue;
      const kind = RELKIND[rel.kind] ?? 'table';
      const fields = withTracedNullability(inAttnumOrder(rel), rel, traced.get(rel.oid));
      const relComment = rel.comment;
      if (kind === 'composite') {
        const c: CompositeType = { name: rel.name, fields };
        const comment = relComment ?? typeComments.get(`${rel.schema}\u0000${rel.name}`);
        if (comment) c.comment = comment;
        ns(rel.schema).composites.push(c);
        continue;
      }
      const e: Entity = { name: rel.name, kind, fields, primaryKey: null, uniques: [], indexes: [], relations: [] };
      if (relComment) e.comment = relComment;
      if (rel.updatable) e.sql = { updatable: true };
      if (rel.rows >= 0 && (rel.kind === 'r' || rel.kind === 'm')) e.stats = { rows: rel.rows };
      entities.set(rel.oid, e);
      ns(rel.schema).entities.push(e);
    }
  });
  for (const t of typeRows) {
    if (!t.in_scope) continue;
    if (t.typtype === 'e') {
      const e: EnumType = { name: t.name, values: t.labels ?? [] };
      if (t.comment) e.comment = t.comment;
      ns(t.schema).enums.push(e);
    } else if (t.typtype === 'd') {
      const r = types.resolve(t.oid, t.name);
      const d: DomainType = { name: t.name, baseType: t.base_native ?? 'unknown', type: r.type, arrayDims: r.arrayDims, nullable: !t.notnull, default: t.def };
      if (r.enumRef) d.enumRef = r.enumRef;
      if (t.comment) d.comment = t.comment;
      ns(t.schema).domains.push(d);
    }
  }

  // Key columns arrive as attribute numbers; a number without a live column is left out, as a join would.
  const namesOf = (rel: RelIn | undefined, nums: number[]): string[] => {
    const out: string[] = [];
    for (const n of nums) {
      const name = rel?.names[n];
      if (name !== undefined) out.push(name);
    }
    return out;
  };
  {
    const c = constraints, relid = list(c.rel), name = list(c.name), type = list(c.type), cols = list(c.cols), frel = list(c.frel);
    const fcols = list(c.fcols), onUpdate = list(c.on_update), onDelete = list(c.on_delete), check = list(c.check);
    yield* inRanges(relid.length, stepSize, (from, to) => {
      for (let i = from; i < to; i++) {
        const e = entities.get(relid[i]!);
        if (!e) continue;
        const columns = namesOf(relOf(relid[i]!), keyNums(cols[i]!));
        // The condition only: pg_get_constraintdef says `CHECK (…)`, other servers just the condition.
        if (type[i] === 'c') (e.sql ??= {}).checks = [...(e.sql.checks ?? []), { name: name[i]!, expression: (check[i] ?? '').replace(/^CHECK /, '') }];
        else if (type[i] === 'p') e.primaryKey = { name: name[i]!, columns };
        else if (type[i] === 'u') e.uniques.push({ name: name[i]!, columns });
        else if (type[i] === 'f') {
          const target = relOf(frel[i]!);
          if (!target) continue;
          e.relations.push({
            name: name[i]!,
            columns,
            target: { namespace: target.schema, entity: target.name, columns: namesOf(target, keyNums(fcols[i] ?? '')) },
            onDelete: FK_ACTION[onDelete[i] as keyof typeof FK_ACTION] ?? 'no_action',
            onUpdate: FK_ACTION[onUpdate[i] as keyof typeof FK_ACTION] ?? 'no_action',
          });
        }
      }
    });
  }
  {
    const predicates = new Map<number, string>();
    const p = indexes.predicates, pOid = list(p.oid), pExpr = list(p.expr);
    for (let i = 0; i < pOid.length; i++) predicates.set(pOid[i]!, pExpr[i]!);
    // Expression key columns by index oid and key position.
    const exprs = new Map<number, string[]>();
    const x = indexes.exprs, xOid = list(x.oid), xPos = list(x.pos), xExpr = list(x.expr);
    for (let i = 0; i < xOid.length; i++) {
      let a = exprs.get(xOid[i]!);
      if (!a) exprs.set(xOid[i]!, (a = []));
      a[xPos[i]!] = xExpr[i]!;
    }
    const methods = new Map<number, string>();
    const m = indexes.methods, mOid = list(m.oid), mName = list(m.name);
    for (let i = 0; i < mOid.length; i++) methods.set(mOid[i]!, mName[i]!);
    const d = indexes.idx, relid = list(d.rel), oid = list(d.oid), name = list(d.name), flags = list(d.flags), am = list(d.am);
    const keys = list(d.keys), nkeys = list(d.nkeys);
    yield* inRanges(relid.length, stepSize, (from, to) => {
      for (let i = from; i < to; i++) {
        const e = entities.get(relid[i]!);
        if (!e) continue;
        const rel = relOf(relid[i]!)!;
        // Key columns only (INCLUDE columns follow them); 0 marks an expression, deparsed by the server.
        const nums = keyNums(keys[i]!);
        const columns: (string | null)[] = [];
        for (let k = 0; k < nkeys[i]! && k < nums.length; k++) {
          columns.push((nums[k] === 0 ? exprs.get(oid[i]!)?.[k + 1] : rel.names[nums[k]!]) ?? null);
        }
        const predicate = predicates.get(oid[i]!);
        e.indexes.push({
          name: name[i]!,
          columns: columns as string[],
          unique: (flags[i]! & 1) === 1,
          primary: (flags[i]! & 2) === 2,
          method: methods.get(am[i]!)!,
          ...(predicate ? { predicate } : {}),
        });
      }
    });
  }

  const functionTypes = new Map<number, ColumnType>();
  types.addInfo(functions.types, functionTypes);
  for (const { schema, routine } of buildRoutines(functions, functionTypes)) ns(schema).functions.push(routine);

  const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const sorted = [...namespaces.values()].sort(byName);
  for (const n of sorted) {
    n.entities.sort(byName);
    n.composites.sort(byName);
    n.enums.sort(byName);
    n.domains.sort(byName);
    n.functions.sort(bySignature);
    const nsEntities = n.entities;
    yield* inRanges(nsEntities.length, stepSize, (from, to) => {
      for (let i = from; i < to; i++) {
        const e = nsEntities[i]!;
        e.uniques.sort(byName);
        e.sql?.checks?.sort(byName);
        e.indexes.sort(byName);
        e.relations.sort(byName);
      }
    });
  }
  return { version: 2, source: { kind: 'postgres', database: docs[0]?.database, serverVersion: docs[0]?.version }, namespaces: sorted };
}

/** Overloads share a name: order them by their argument types, as the fingerprint does. */
const signature = (r: Routine) => `${r.name}(${r.args.map((a) => a.nativeType).join(',')})`;
function bySignature(a: Routine, b: Routine): number {
  const x = signature(a), y = signature(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A view's fields with the nullability worked out for them (by attribute number), when it was. */
function withTracedNullability(fields: Field[], rel: RelIn, traced: Traced[] | undefined): Field[] {
  if (!traced) return fields;
  const nums = [...rel.nums].sort((a, b) => a - b);
  return fields.map((f, i) => {
    const t = traced[nums[i]! - 1];
    return t ? { ...f, nullable: t.nullable, nullability: t.note } : f;
  });
}

/** A relation's fields by attribute number. The server sends them in that order already; only check. */
function inAttnumOrder(rel: RelIn): Field[] {
  const { nums, fields } = rel;
  let ordered = true;
  for (let i = 1; i < nums.length && ordered; i++) ordered = nums[i - 1]! < nums[i]!;
  if (ordered) return fields;
  return nums.map((n, i) => [n, i] as const).sort((a, b) => a[0] - b[0]).map(([, i]) => fields[i]!);
}
