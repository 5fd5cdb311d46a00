/**
 * Messy seed documents for MongoDB tests: the same field with different types, missing and null fields, nested
 * documents and arrays, and one of every BSON type the backend must carry (ObjectId, Decimal128, Long, Int32,
 * Double, Date, Binary, UUID, Timestamp, regex). `_id`s are fixed so tests can address documents.
 */
import { Binary, BSONRegExp, Decimal128, type Document, Double, Int32, Long, ObjectId, Timestamp, UUID } from 'bson';

export const IDS = {
  ada: new ObjectId('64b000000000000000000001'),
  bob: new ObjectId('64b000000000000000000002'),
  cy: new ObjectId('64b000000000000000000003'),
  dee: new ObjectId('64b000000000000000000004'),
};

export function people(): Document[] {
  return [
    { _id: IDS.ada, name: 'Ada', age: new Int32(36), email: 'ada@example.com', tags: ['admin', 'math'], address: { city: 'London', zip: 'N1' } },
    { _id: IDS.bob, name: 'Bob', age: new Double(41.5), email: null, tags: [], address: { city: 'Paris' } },
    { _id: IDS.cy, name: 'Cy', age: '29', tags: ['ops'], nickname: 'cyborg' },
    { _id: IDS.dee, name: 'Dee', age: Long.fromNumber(52), address: null, tags: ['math', { nested: [1, 2, [3]] }] },
  ];
}

export function orders(): Document[] {
  return [
    { _id: new ObjectId('64c000000000000000000001'), customer: IDS.ada, total: Decimal128.fromString('19.99'), quantity: new Int32(2), placedAt: new Date('2024-01-02T03:04:05.678Z'), lines: [{ sku: 'A-1', price: new Double(9.995) }] },
    { _id: new ObjectId('64c000000000000000000002'), customer: IDS.bob, total: Decimal128.fromString('5.00'), quantity: Long.fromString('9007199254740993'), placedAt: new Date('2024-02-01T00:00:00Z'), lines: [] },
    { _id: new ObjectId('64c000000000000000000003'), customer: IDS.ada, total: Decimal128.fromString('0.10'), quantity: new Int32(1), placedAt: new Date('2023-12-31T23:59:59Z'), status: 'void' },
  ];
}

export function events(): Document[] {
  return [
    { _id: 'evt-1', kind: 'login', payload: new Binary(Buffer.from([0, 1, 2, 255]), 0), session: new UUID('0f9c9a1e-2b1d-4c55-9a3c-7d1e2f3a4b5c'), at: new Timestamp({ t: 1700000000, i: 7 }), pattern: new BSONRegExp('^ev(en)?t', 'ix'), ratio: new Double(1), count: new Int32(1), nothing: null },
    { _id: 'evt-2', kind: 'logout', payload: new Binary(Buffer.from('hello'), 128), at: new Timestamp({ t: 1700000100, i: 1 }), ratio: new Double(0.25), count: new Int32(7), extra: { deep: { deeper: { deepest: [new Int32(1), new Double(2), Long.fromNumber(3)] } } } },
    { _id: 'evt-3', kind: 'login', payload: new Binary(Buffer.alloc(0), 0), ratio: new Double(-0.5), count: Long.fromNumber(2 ** 40) },
  ];
}
