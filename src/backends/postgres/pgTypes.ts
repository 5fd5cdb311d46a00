import type { Field, NeutralType, SqlFacets, TypeRef } from '../../core/model';

/** Rows of TYPES_SQL (few, so plain rows); int8 arrive as strings from pg. */
export interface TypeRow {
  oid: string; schema: string; name: string; typtype: string; base_native: string | null; notnull: boolean; def: string | null;
  base_name: string | null; base_typtype: string | null; base_id: string | null; base_is_array: boolean | null;
  base_elem_name: string | null; base_elem_id: string | null; comment: string | null; labels: string[] | null; in_scope: boolean;
}

type Col<T> = T[] | null;

/** TYPE_INFO (catalog.ts): facts about each distinct type a document's columns or arguments use. */
export interface TypeInfoDoc {
  oid: Col<number>; name: Col<string>; native?: Col<string>; is_array: Col<boolean>; elem: Col<number | null>; elem_name: Col<string | null>;
  row_schema?: Col<string | null>; row_name?: Col<string | null>;
}

/** Built-in types by pg_type name; what is not here and not a user type is `unknown`. */
const BUILTIN: Record<string, NeutralType> = {
  int2: 'integer', int4: 'integer', oid: 'integer', xid: 'integer', int8: 'bigint', numeric: 'decimal',
  float4: 'float', float8: 'float', bool: 'boolean', uuid: 'uuid', json: 'json', jsonb: 'json',
  date: 'date', timestamp: 'timestamp', timestamptz: 'timestamptz', time: 'time', timetz: 'time',
  interval: 'interval', bytea: 'bytes', text: 'string', varchar: 'string', bpchar: 'string', char: 'string',
  name: 'string', citext: 'string', money: 'string', inet: 'string', cidr: 'string', macaddr: 'string',
  macaddr8: 'string', xml: 'string', tsvector: 'string', tsquery: 'string', bit: 'string', varbit: 'string',
};

export interface Resolved {
  type: NeutralType;
  arrayDims: number;
  enumRef?: TypeRef;
  compositeRef?: TypeRef;
  domainRef?: TypeRef;
  /** The domain forbids NULL. */
  notnull?: boolean;
}

/** A column or argument type resolved once per distinct pg_type, shared by every use of that type. */
export interface ColumnType {
  isArray: boolean;
  resolved: Resolved;
  /** format_type's spelling without a type modifier (argument types have none). */
  native?: string;
  /** For a table's or view's row type (not an array of one): the relation. */
  rowOf?: TypeRef;
}

const list = <T>(a: T[] | null | undefined): T[] => a ?? [];

/**
 * Resolves pg_type oids to neutral types: user enums, domains and standalone composites from TYPES_SQL rows,
 * the row types of tables and views from the TYPE_INFO documents (a composite whose attributes are the
 * relation's columns), built-in types by name.
 */
export class TypeResolver {
  private readonly byOid = new Map<number, TypeRow>();
  private readonly rowTypes = new Map<number, TypeRef>();
  constructor(rows: TypeRow[]) {
    for (const r of rows) this.byOid.set(Number(r.oid), r);
  }

  resolve(oid: number | string | null, name: string | null, depth = 0): Resolved {
    const row = oid !== null ? this.byOid.get(Number(oid)) : undefined;
    if (!row || depth > 8) {
      const relation = oid !== null ? this.rowTypes.get(Number(oid)) : undefined;
      if (relation) return { type: 'composite', arrayDims: 0, compositeRef: relation };
      return { type: (name && BUILTIN[name]) || 'unknown', arrayDims: 0 };
    }
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

  /** Resolves each type of a TYPE_INFO document not already in `into`, and adds it there. */
  addInfo(info: TypeInfoDoc, into: Map<number, ColumnType>): void {
    const oid = list(info.oid), name = list(info.name), native = list(info.native), isArray = list(info.is_array);
    const elem = list(info.elem), elemName = list(info.elem_name), rowSchema = list(info.row_schema), rowName = list(info.row_name);
    for (let i = 0; i < oid.length; i++) {
      if (rowSchema[i] == null || rowName[i] == null) continue;
      this.rowTypes.set(isArray[i] ? elem[i]! : oid[i]!, { namespace: rowSchema[i]!, name: rowName[i]! });
    }
    for (let i = 0; i < oid.length; i++) {
      if (into.has(oid[i]!)) continue;
      const resolved = isArray[i] ? this.resolve(elem[i] ?? null, elemName[i] ?? null) : this.resolve(oid[i]!, name[i]!);
      const ct: ColumnType = { isArray: isArray[i]!, resolved };
      if (native[i] !== undefined) ct.native = native[i];
      if (!isArray[i] && this.rowTypes.has(oid[i]!)) ct.rowOf = this.rowTypes.get(oid[i]!);
      into.set(oid[i]!, ct);
    }
  }
}

/** Fresh copies, so that no two fields share a mutable object. */
export const copyRef = (r: TypeRef): TypeRef => ({ namespace: r.namespace, name: r.name });

const UNKNOWN: Resolved = { type: 'unknown', arrayDims: 0 };

/** A column (or an argument: no dims, no default) of a resolved type. */
export function field(
  name: string, native: string, ct: ColumnType | undefined, notnull: boolean, ndims: number,
  def: string | null, identity: string | undefined, generated: string | undefined, comment: string | undefined,
): Field {
  const isArray = ct?.isArray ?? false;
  const resolved = ct?.resolved ?? UNKNOWN;
  const sql: SqlFacets = {
    default: def,
    identity: identity === 'a' ? 'always' : identity === 'd' ? 'by_default' : null,
    generated: generated === 's' ? 'stored' : generated === 'v' ? 'virtual' : null,
    arrayDims: isArray ? Math.max(1, ndims) + resolved.arrayDims : resolved.arrayDims,
  };
  if (resolved.domainRef) sql.domainRef = copyRef(resolved.domainRef);
  const f: Field = { name, nativeType: native, type: resolved.type, nullable: !(notnull || (!isArray && resolved.notnull)), sql };
  if (resolved.enumRef) f.enumRef = copyRef(resolved.enumRef);
  if (resolved.compositeRef) f.compositeRef = copyRef(resolved.compositeRef);
  if (comment) f.comment = comment;
  return f;
}
