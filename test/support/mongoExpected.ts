/**
 * What introspecting the shop (test/support/mongoBackend.ts `seedShop`) must give, written compactly: one line
 * per field path, `path: nativeType` with `?` for nullable, `optional`, and the confidence when below 100%;
 * array elements are `path[]`, a union member's insides `path<native>`. A failure shows a readable line diff.
 */
import type { Entity, Field, Index, ValueShape } from '../../src/core/model';

export function shapeLines(fields: readonly Field[], prefix = ''): string[] {
  return fields.flatMap((f) => {
    const pct = f.confidence !== undefined && f.confidence < 1 ? ` ${Math.round(f.confidence * 100)}%` : '';
    const line = `${prefix}${f.name}: ${f.nativeType}${f.nullable ? '?' : ''}${f.optional ? ' optional' : ''}${pct}`;
    return [line, ...inside(f, `${prefix}${f.name}`)];
  });
}

function inside(s: ValueShape, path: string): string[] {
  const out: string[] = [];
  if (s.fields) out.push(...shapeLines(s.fields, `${path}.`));
  if (s.items) out.push(`${path}[]: ${s.items.nativeType}`, ...inside(s.items, `${path}[]`));
  for (const t of s.types ?? []) out.push(...inside(t, `${path}<${t.nativeType}>`));
  if (s.values) out.push(`${path} in ${s.values.join(',')}`);
  return out;
}

export function indexLine(i: Index): string {
  const o = i.options ?? {};
  const extras = [i.unique ? 'unique' : '', i.method ?? '', o.expireAfterSeconds !== undefined ? `ttl=${o.expireAfterSeconds}` : '', o.sparse ? 'sparse' : ''].filter(Boolean);
  return `${i.name}(${i.columns.join(',')})${extras.length ? ` ${extras.join(' ')}` : ''}`;
}

export interface ExpectedEntity {
  kind: Entity['kind'];
  origin: Entity['origin'];
  details?: Entity['details'];
  fields: string[];
  /** Collections only (a view has none). */
  indexes?: string[];
  /** Documents seen by the sample; absent for a validator collection. */
  seen?: number;
}

export function entitySummary(e: Entity): ExpectedEntity {
  const out: ExpectedEntity = { kind: e.kind, origin: e.origin, fields: shapeLines(e.fields) };
  if (e.details) out.details = e.details;
  if (e.kind !== 'view') out.indexes = e.indexes.map(indexLine);
  if (e.stats?.sample) out.seen = e.stats.sample.seen;
  return out;
}

const ID = '_id: objectId';
const ID_INDEX = '_id_(_id) unique';

export const EXPECTED_SHOP: Record<string, ExpectedEntity> = {
  accounts: {
    kind: 'collection',
    origin: 'validator',
    details: { validationLevel: 'strict', validationAction: 'error' },
    fields: [
      ID,
      'balance: decimal',
      'kind: string optional',
      'kind in checking,savings',
      'limits: object optional',
      'limits.daily: int',
      'limits.note: string? optional',
      'owner: string',
      'tags: array optional',
      'tags[]: string',
    ],
    indexes: [ID_INDEX],
  },
  adults: {
    kind: 'view',
    origin: 'sample',
    details: { viewOn: 'people', pipeline: '[{"$match":{"name":{"$ne":"Cy"}}},{"$project":{"name":1,"address":1}}]' },
    fields: [ID, 'address: object?', 'address.city: string', 'address.zip: string optional 50%', 'name: string'],
    seen: 3,
  },
  events: {
    kind: 'collection',
    origin: 'sample',
    fields: [
      '_id: string',
      'at: timestamp optional 67%',
      'count: int | long 67%',
      'extra: object optional 33%',
      'extra.deep: object',
      'extra.deep.deeper: object',
      'extra.deep.deeper.deepest: array',
      'extra.deep.deeper.deepest[]: int | long | double',
      'kind: string',
      'nothing: null? optional 33%',
      'pattern: regex optional 33%',
      'payload: binData',
      'ratio: double',
      'session: uuid optional 33%',
    ],
    indexes: [ID_INDEX],
    seen: 3,
  },
  log: {
    kind: 'collection',
    origin: 'sample',
    details: { capped: true, size: 65536, max: 100 },
    fields: [ID, 'at: date', 'level: string', 'ms: int optional 50%', 'msg: string'],
    indexes: [ID_INDEX],
    seen: 2,
  },
  metrics: {
    kind: 'collection',
    origin: 'sample',
    details: { timeseries: true, timeField: 'ts', metaField: 'sensor', granularity: 'minutes' },
    fields: [ID, 'sensor: object', 'sensor.id: string', 'sensor.room: string', 'temp: double', 'ts: date'],
    // The index mongod (6.3+) makes for a time series with a metaField.
    indexes: ['sensor_1_ts_1(sensor,ts)'],
    seen: 2,
  },
  orders: {
    kind: 'collection',
    origin: 'sample',
    fields: [
      ID,
      'customer: objectId',
      'lines: array optional 67%',
      'lines[]: object',
      'lines[].price: double',
      'lines[].sku: string',
      'placedAt: date',
      'quantity: int | long 67%',
      'status: string optional 33%',
      'total: decimal',
    ],
    indexes: [ID_INDEX, 'customer_recent(customer,placedAt)', 'placed_ttl(placedAt) ttl=3153600000'],
    seen: 3,
  },
  people: {
    kind: 'collection',
    origin: 'sample',
    fields: [
      ID,
      'address: object? optional 75%',
      'address.city: string',
      'address.zip: string optional 50%',
      'age: string | int | long | double 25%',
      'email: string? optional 50%',
      'name: string',
      'nickname: string optional 25%',
      'tags: array',
      'tags[]: string | object',
      'tags[]<object>.nested: array',
      'tags[]<object>.nested[]: int | array',
      'tags[]<object>.nested[]<array>[]: int',
    ],
    indexes: [ID_INDEX, 'email_unique(email) unique sparse', 'people_text(name,nickname) text'],
    seen: 4,
  },
  products: {
    kind: 'collection',
    origin: 'sample',
    fields: [
      ID,
      'discontinued: bool optional 13%',
      'image: binData optional 10%',
      'legacyId: long optional 10%',
      'price: decimal | double 75%',
      'sku: string',
      'stock: int optional 80%',
      'variants: array',
      'variants[]: object',
      'variants[].color: string',
      'variants[].extra: object optional 50%',
      'variants[].extra.weight: int?',
      'variants[].sizes: array optional 50%',
      'variants[].sizes[]: string',
    ],
    indexes: [ID_INDEX],
    seen: 40,
  },
};
