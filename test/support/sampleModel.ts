/**
 * A small SchemaModel for unit tests (no server): two schemas, an enum, a composite type, a table with a
 * composite key, a view, a table without a key, and some awkward names.
 */
import { SchemaModel, type Field, type SqlFacets } from '../../src/core/model';

/** A column: `extra` may set SQL facets (arrayDims, default, identity, generated, domainRef) at the top level. */
export function field(name: string, type: Field['type'], extra: Partial<Field> & Partial<SqlFacets> = {}): Field {
  const { arrayDims = 0, default: def = null, identity = null, generated = null, autoIncrement, domainRef, ...rest } = extra;
  const sql: SqlFacets = { default: def, identity, generated, arrayDims, ...(autoIncrement ? { autoIncrement } : {}), ...(domainRef ? { domainRef } : {}) };
  return { name, nativeType: extra.nativeType ?? type, type, nullable: false, ...rest, sql };
}

export function sampleModel(): SchemaModel {
  return SchemaModel.parse({
    version: 2,
    source: { kind: 'postgres', database: 'shop', serverVersion: '15.4' },
    namespaces: [
      {
        name: 'public',
        enums: [{ name: 'order status', values: ['new', "it's paid", 'a "quoted" one'] }],
        composites: [{ name: 'address', fields: [field('street', 'string', { nullable: true }), field('zip', 'string', { nullable: true })] }],
        domains: [{ name: 'positive', baseType: 'integer', type: 'integer', nullable: true }],
        entities: [
          {
            name: 'orders',
            kind: 'table',
            fields: [
              field('id', 'bigint', { nativeType: 'bigint', identity: 'always' }),
              field('status', 'enum', { nativeType: 'order status', enumRef: { namespace: 'public', name: 'order status' } }),
              field('ship_to', 'composite', { nullable: true, compositeRef: { namespace: 'public', name: 'address' } }),
              field('tags', 'string', { nativeType: 'text[]', arrayDims: 1, nullable: true }),
              field('total', 'decimal', { nativeType: 'numeric(10,2)', nullable: true, default: '0' }),
            ],
            primaryKey: { name: 'orders_pkey', columns: ['id'] },
            relations: [{ name: 'orders_customer_fkey', columns: ['id'], target: { namespace: 'crm', entity: 'customers', columns: ['id'] } }],
            indexes: [{ name: 'orders_pkey', columns: ['id'], unique: true, primary: true }],
          },
          {
            name: 'order_lines',
            kind: 'table',
            fields: [field('order_id', 'bigint'), field('line', 'integer'), field('__proto__', 'string', { nullable: true })],
            primaryKey: { name: 'order_lines_pkey', columns: ['order_id', 'line'] },
          },
          { name: 'order_totals', kind: 'view', fields: [field('order_id', 'bigint', { nullable: true }), field('total', 'decimal', { nullable: true })] },
          { name: 'audit log', kind: 'table', fields: [field('at', 'timestamptz'), field('what', 'json', { nullable: true })] },
        ],
      },
      {
        name: 'crm',
        entities: [{ name: 'customers', kind: 'table', fields: [field('id', 'bigint'), field('Name', 'string')], primaryKey: { name: 'customers_pkey', columns: ['id'] } }],
      },
    ],
  });
}

/** The same model with every list that has no meaningful order reversed, recursively. */
export function shuffled(model: SchemaModel): SchemaModel {
  const copy = structuredClone(model);
  copy.namespaces.reverse();
  for (const ns of copy.namespaces) {
    ns.entities.reverse();
    ns.enums.reverse();
    ns.domains.reverse();
    ns.composites.reverse();
    ns.functions.reverse();
    for (const e of ns.entities) {
      e.indexes.reverse();
      e.relations.reverse();
      e.uniques.reverse();
    }
  }
  // Property order must not matter either.
  copy.source = { serverVersion: '99.0', database: 'elsewhere', kind: copy.source.kind };
  return copy;
}
