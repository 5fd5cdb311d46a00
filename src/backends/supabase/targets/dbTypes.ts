import { tsString } from '../../../core/codegen/naming';
import { sqlOf, type CompositeType, type DomainType, type Entity, type EnumType, type Field, type SchemaModel, type TypeRef } from '../../../core/model';
import { builtinTs, splitNative } from './pgTypeNames';

export type Section = 'Tables' | 'Views';

const TABLE_KINDS = new Set(['table', 'partitioned_table', 'foreign_table']);

export function sectionOf(e: Entity): Section {
  return TABLE_KINDS.has(e.kind) ? 'Tables' : 'Views';
}

const refKey = (namespace: string, name: string) => `${namespace}\u0000${name}`;

/** A field, an argument or an attribute: what is needed to type its value. */
type Typed = Pick<Field, 'nativeType' | 'type' | 'enumRef' | 'compositeRef' | 'values' | 'sql'>;

/**
 * The TypeScript of values in the `Database` type, by the rules `supabase gen types typescript` follows: a
 * type is known by its pg_type name (int8 and numeric are numbers, as PostgREST's JSON has them; dates and
 * times are strings; anything it has no rule for is `unknown`); enums, composite types and row types of the
 * generated schemas are referenced through `Database`. A column of a domain type is typed as the domain's base
 * type; an argument, a result or a composite attribute of a domain type is `unknown`, as there.
 */
export class DbTypes {
  private readonly enums = new Map<string, EnumType>();
  private readonly composites = new Map<string, CompositeType>();
  private readonly domains = new Map<string, DomainType>();
  private readonly entities = new Map<string, { namespace: string; entity: Entity }>();

  constructor(readonly model: SchemaModel) {
    for (const ns of model.namespaces) {
      for (const e of ns.enums) this.enums.set(refKey(ns.name, e.name), e);
      for (const c of ns.composites) this.composites.set(refKey(ns.name, c.name), c);
      for (const d of ns.domains) this.domains.set(refKey(ns.name, d.name), d);
      for (const e of ns.entities) this.entities.set(refKey(ns.name, e.name), { namespace: ns.name, entity: e });
    }
  }

  entity(namespace: string, name: string): Entity | undefined {
    return this.entities.get(refKey(namespace, name))?.entity;
  }

  /** A column's type with its nullability (`string | null`; `NonNullable<Json>` for a NOT NULL json). */
  column(f: Typed & { nullable: boolean }): string {
    return nullable(this.columnType(f), f.nullable);
  }

  /** A column's type without nullability: a domain column has its base type. */
  columnType(f: Typed): string {
    const domain = sqlOf(f).domainRef;
    if (!domain) return this.plain(f);
    const { typname, array } = splitNative(f.nativeType);
    // An array of a domain is an array of a type the generator does not know.
    if (array) return arrayOf('unknown');
    // Only the column's own domain is looked through; a domain over a domain is not known.
    if (typname !== domain.name) return 'unknown';
    const d = this.domains.get(refKey(domain.namespace, domain.name));
    if (!d) return 'unknown';
    return this.plain({ ...f, nativeType: d.baseType, sql: { ...sqlOf(f), domainRef: undefined } });
  }

  /** An argument's, a result's or an attribute's type (a domain type is unknown). */
  value(f: Typed): string {
    if (sqlOf(f).domainRef) return splitNative(f.nativeType).array ? arrayOf('unknown') : 'unknown';
    return this.plain(f);
  }

  /** A type that is not a domain: an array of, or one of, a built-in, an enum, a composite or a row type. */
  private plain(f: Typed): string {
    const { typname, array } = splitNative(f.nativeType);
    let element: string;
    if (f.type === 'enum' && f.enumRef) element = this.enumType(f.enumRef, f.values);
    else if (f.type === 'composite' && f.compositeRef) element = this.compositeType(f.compositeRef);
    else element = builtinTs(typname) ?? 'unknown';
    return array ? arrayOf(element) : element;
  }

  private enumType(ref: TypeRef, labels: string[] | undefined): string {
    const e = this.enums.get(refKey(ref.namespace, ref.name));
    // An enum of a schema not generated is spelled out, when the backend read its labels.
    if (!e) return labels?.length ? labels.map(tsString).join(' | ') : labels ? 'unknown' : 'string';
    if (!e.values.length) return 'unknown';
    return `Database[${tsString(ref.namespace)}]["Enums"][${tsString(ref.name)}]`;
  }

  private compositeType(ref: TypeRef): string {
    const c = this.composites.get(refKey(ref.namespace, ref.name));
    if (c) return c.fields.length ? `Database[${tsString(ref.namespace)}]["CompositeTypes"][${tsString(ref.name)}]` : 'unknown';
    const e = this.entities.get(refKey(ref.namespace, ref.name));
    if (!e) return 'unknown';
    return `Database[${tsString(ref.namespace)}][${tsString(sectionOf(e.entity))}][${tsString(ref.name)}]["Row"]`;
  }
}

/** `T | null`, except that `unknown` already holds null and a NOT NULL json is `NonNullable<Json>`. */
export function nullable(ts: string, isNullable: boolean): string {
  if (ts === 'Json' && !isNullable) return 'NonNullable<Json>';
  if (ts === 'unknown' || !isNullable) return ts;
  return `${ts} | null`;
}

function arrayOf(element: string): string {
  return `(${element})[]`;
}
