import type { CompositeType, DomainType, Entity, EntityKind, EnumType, Field, Namespace, NeutralType, SchemaModel, TypeRef } from '../../core/model';

/** Rows of the catalog queries (see catalog.ts); int8 arrive as strings from pg. */
export interface ColumnRow {
  relid: string; schema: string; rel: string; relkind: string; rel_comment: string | null;
  num: number | null; col: string | null; native: string | null; notnull: boolean | null; ndims: number | null;
  def: string | null; identity: string | null; generated: string | null; col_comment: string | null;
  typid: string | null; typname: string | null; typtype: string | null; is_array: boolean | null;
  elemid: string | null; elemname: string | null;
}
export interface ConstraintRow {
  relid: string; name: string; type: string; cols: string[]; fschema: string | null; frel: string | null;
  fcols: string[]; on_update: string; on_delete: string;
}
export interface IndexRow {
  relid: string; name: string; is_unique: boolean; is_primary: boolean; method: string; predicate: string | null; cols: string[];
}
export interface TypeRow {
  oid: string; schema: string; name: string; typtype: string; base_native: string | null; notnull: boolean; def: string | null;
  base_name: string | null; base_typtype: string | null; base_id: string | null; base_is_array: boolean | null;
  base_elem_name: string | null; base_elem_id: string | null; comment: string | null; labels: string[] | null; in_scope: boolean;
}

const BUILTIN: Record<string, NeutralType> = {
  int2: 'integer', int4: 'integer', oid: 'integer', xid: 'integer', int8: 'bigint', numeric: 'decimal',
  float4: 'float', float8: 'float', bool: 'boolean', uuid: 'uuid', json: 'json', jsonb: 'json',
  date: 'date', timestamp: 'timestamp', timestamptz: 'timestamptz', time: 'time', timetz: 'time',
  interval: 'interval', bytea: 'bytes', text: 'string', varchar: 'string', bpchar: 'string', char: 'string',
  name: 'string', citext: 'string', money: 'string', inet: 'string', cidr: 'string', macaddr: 'string',
  macaddr8: 'string', xml: 'string', tsvector: 'string', tsquery: 'string', bit: 'string', varbit: 'string',
};

const RELKIND: Record<string, EntityKind | 'composite'> = {
  r: 'table', p: 'partitioned_table', f: 'foreign_table', v: 'view', m: 'materialized_view', c: 'composite',
};
const FK_ACTION = { a: 'no_action', r: 'restrict', c: 'cascade', n: 'set_null', d: 'set_default' } as const;

interface Resolved {
  type: NeutralType;
  arrayDims: number;
  enumRef?: TypeRef;
  compositeRef?: TypeRef;
  domainRef?: TypeRef;
  /** The domain forbids NULL. */
  notnull?: boolean;
}

class TypeResolver {
  private readonly byOid = new Map<string, TypeRow>();
  constructor(rows: TypeRow[]) {
    for (const r of rows) this.byOid.set(r.oid, r);
  }

  resolve(oid: string | null, name: string | null, depth = 0): Resolved {
    const row = oid ? this.byOid.get(oid) : undefined;
    if (!row || depth > 8) return { type: (name && BUILTIN[name]) || 'unknown', arrayDims: 0 };
    const ref = { namespace: row.schema, name: row.name };
    if (row.typtype === 'e') return { type: 'enum', arrayDims: 0, enumRef: ref };
    if (row.typtype === 'c') return { type: 'composite', arrayDims: 0, compositeRef: ref };
    // A domain: resolve its base (which may itself be an array, an enum or another domain).
    const base = row.base_is_array
      ? this.resolve(row.base_elem_id, row.base_elem_name, depth + 1)
      : this.resolve(row.base_id, row.base_name, depth + 1);
    return {
      ...base,
      arrayDims: base.arrayDims + (row.base_is_array ? 1 : 0),
      domainRef: base.domainRef ?? ref,
      notnull: row.notnull || base.notnull,
    };
  }
}

function field(r: ColumnRow, types: TypeResolver): Field {
  const resolved = r.is_array ? types.resolve(r.elemid, r.elemname) : types.resolve(r.typid, r.typname);
  const arrayDims = r.is_array ? Math.max(1, r.ndims ?? 0) + resolved.arrayDims : resolved.arrayDims;
  const f: Field = {
    name: r.col!,
    nativeType: r.native ?? 'unknown',
    type: resolved.type,
    arrayDims,
    nullable: !(r.notnull || (!r.is_array && resolved.notnull)),
    default: r.def,
    identity: r.identity === 'a' ? 'always' : r.identity === 'd' ? 'by_default' : null,
    generated: r.generated === 's' ? 'stored' : r.generated === 'v' ? 'virtual' : null,
  };
  if (resolved.enumRef) f.enumRef = resolved.enumRef;
  if (resolved.compositeRef) f.compositeRef = resolved.compositeRef;
  if (resolved.domainRef) f.domainRef = resolved.domainRef;
  if (r.col_comment) f.comment = r.col_comment;
  return f;
}

export function buildModel(
  source: { database?: string; serverVersion?: string },
  columns: ColumnRow[],
  constraints: ConstraintRow[],
  indexes: IndexRow[],
  typeRows: TypeRow[],
): SchemaModel {
  const types = new TypeResolver(typeRows);
  const namespaces = new Map<string, Namespace>();
  const ns = (name: string): Namespace => {
    let n = namespaces.get(name);
    if (!n) namespaces.set(name, (n = { name, entities: [], enums: [], domains: [], composites: [] }));
    return n;
  };

  // Relations and composite types, with their columns in attnum order.
  const rels = new Map<string, { row: ColumnRow; cols: ColumnRow[] }>();
  for (const r of columns) {
    let rel = rels.get(r.relid);
    if (!rel) rels.set(r.relid, (rel = { row: r, cols: [] }));
    if (r.num !== null && r.col !== null) rel.cols.push(r);
    if (r.rel_comment && !rel.row.rel_comment) rel.row = r;
  }
  const entities = new Map<string, Entity>();
  const composites = new Map<string, CompositeType>();
  for (const [relid, { row, cols }] of rels) {
    cols.sort((a, b) => a.num! - b.num!);
    const fields = cols.map((c) => field(c, types));
    const kind = RELKIND[row.relkind] ?? 'table';
    if (kind === 'composite') {
      const c: CompositeType = { name: row.rel, fields };
      if (row.rel_comment) c.comment = row.rel_comment;
      composites.set(relid, c);
      ns(row.schema).composites.push(c);
      continue;
    }
    const e: Entity = { name: row.rel, kind, fields, primaryKey: null, uniques: [], indexes: [], relations: [] };
    if (row.rel_comment) e.comment = row.rel_comment;
    entities.set(relid, e);
    ns(row.schema).entities.push(e);
  }
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

  for (const c of constraints) {
    const e = entities.get(c.relid);
    if (!e) continue;
    if (c.type === 'p') e.primaryKey = { name: c.name, columns: c.cols };
    else if (c.type === 'u') e.uniques.push({ name: c.name, columns: c.cols });
    else if (c.type === 'f' && c.fschema && c.frel) {
      e.relations.push({
        name: c.name,
        columns: c.cols,
        target: { namespace: c.fschema, entity: c.frel, columns: c.fcols },
        onDelete: FK_ACTION[c.on_delete as keyof typeof FK_ACTION] ?? 'no_action',
        onUpdate: FK_ACTION[c.on_update as keyof typeof FK_ACTION] ?? 'no_action',
      });
    }
  }
  for (const i of indexes) {
    const e = entities.get(i.relid);
    if (!e) continue;
    e.indexes.push({ name: i.name, columns: i.cols, unique: i.is_unique, primary: i.is_primary, method: i.method, ...(i.predicate ? { predicate: i.predicate } : {}) });
  }

  const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const list = [...namespaces.values()].sort(byName);
  for (const n of list) {
    n.entities.sort(byName);
    n.composites.sort(byName);
    n.enums.sort(byName);
    n.domains.sort(byName);
    for (const e of n.entities) {
      e.uniques.sort(byName);
      e.indexes.sort(byName);
      e.relations.sort(byName);
    }
  }
  return { version: 1, source: { kind: 'postgres', ...source }, namespaces: list };
}
