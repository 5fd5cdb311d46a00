/**
 * The MongoDB backend's pure parts: the BSON classifier (and its agreement with `$jsonSchema` validators),
 * index specs and collection entries as model entities, which databases are read, and how BSON types come
 * out in generated TypeScript.
 */
import * as assert from 'node:assert/strict';
import { Binary, BSONRegExp, BSONSymbol, Code, DBRef, Decimal128, deserialize, Double, Int32, Long, MaxKey, MinKey, ObjectId, serialize, Timestamp, UUID } from 'bson';
import { BSON_SCHEMA_HINTS, bsonClassifier } from '../../src/backends/mongodb/classifier';
import { MONGO_VALUE_MAPPING } from '../../src/backends/mongodb/mapping';
import { databasesToRead, entityFrom, indexFrom } from '../../src/backends/mongodb/model';
import { buildLayout, TsTypeMapper } from '../../src/core/codegen/layout';
import { fieldsFromJsonSchema, inferFields } from '../../src/core/introspect/infer';
import type { Field, SchemaModel } from '../../src/core/model';

const kind = (v: unknown) => {
  const c = bsonClassifier.classify(v);
  return c && `${c.type}/${c.nativeType}`;
};

describe('MongoDB: the BSON classifier', () => {
  it('names every BSON value the way $type does', () => {
    const cases: [unknown, string | undefined][] = [
      [new ObjectId(), 'objectid/objectId'],
      [new Int32(1), 'integer/int'],
      [new Double(1), 'float/double'],
      [Long.fromNumber(1), 'bigint/long'],
      [Decimal128.fromString('1.5'), 'decimal/decimal'],
      [new Date(0), 'timestamptz/date'],
      [new Timestamp({ t: 1, i: 1 }), 'timestamp/timestamp'],
      [new Binary(Buffer.from('x')), 'bytes/binData'],
      [new UUID(), 'uuid/uuid'],
      [new Binary(new UUID().buffer, Binary.SUBTYPE_UUID), 'uuid/uuid'],
      [new BSONRegExp('a', 'x'), 'unknown/regex'],
      [/a/i, 'unknown/regex'],
      [new BSONSymbol('s'), 'string/symbol'],
      [new Code('f()'), 'unknown/javascript'],
      [new Code('f()', { a: 1 }), 'unknown/javascriptWithScope'],
      [new MinKey(), 'unknown/minKey'],
      [new MaxKey(), 'unknown/maxKey'],
      [new DBRef('users', new ObjectId(), 'crm'), 'reference/dbref'],
      ['s', 'string/string'],
      [true, 'boolean/bool'],
      [null, 'null/null'],
      [undefined, undefined],
      // Promoted numbers, as bson would write them back: 32-bit integers as int, anything else as double.
      [7, 'integer/int'],
      [2 ** 31, 'float/double'],
      [1.5, 'float/double'],
      [5n, 'bigint/long'],
      [{ a: 1 }, 'object/object'],
      [[1], 'array/array'],
    ];
    for (const [value, expected] of cases) assert.equal(kind(value), expected, String(value));
    const ref = bsonClassifier.classify(new DBRef('users', new ObjectId(), 'crm'));
    assert.deepEqual(ref, { type: 'reference', nativeType: 'dbref', refPath: 'crm.users' });
  });

  it('a sampled field and a validator field of the same BSON type read the same', () => {
    const doc = { _id: new ObjectId(), i: new Int32(1), l: Long.fromNumber(2), d: new Double(3), m: Decimal128.fromString('4'), t: new Date(0), ts: new Timestamp({ t: 1, i: 1 }), b: new Binary(Buffer.from('x')), r: new BSONRegExp('a', 'i'), s: 'x', o: true };
    const sampled = inferFields([deserialize(serialize(doc), { promoteValues: false, bsonRegExp: true })], bsonClassifier).fields;
    const aliases: Record<string, string> = { _id: 'objectId', i: 'int', l: 'long', d: 'double', m: 'decimal', t: 'date', ts: 'timestamp', b: 'binData', r: 'regex', s: 'string', o: 'bool' };
    const schema = { bsonType: 'object', required: Object.keys(aliases), properties: Object.fromEntries(Object.entries(aliases).map(([k, a]) => [k, { bsonType: a }])) };
    const declared = fieldsFromJsonSchema({ $jsonSchema: schema }, BSON_SCHEMA_HINTS);
    const shape = (fs: Field[]) => fs.map((f) => `${f.name} ${f.type} ${f.nativeType}`);
    assert.deepEqual(shape(declared), shape(sampled));
  });
});

describe('MongoDB: catalog entries as entities', () => {
  it('reads indexes: compound with directions, unique, TTL, text fields from weights, special methods', () => {
    const line = (spec: Record<string, unknown>) => {
      const i = indexFrom(spec);
      return `${i.name} [${i.columns.join(',')}] ${i.unique ? 'unique ' : ''}${i.method ?? '-'} ${JSON.stringify(i.options)}`;
    };
    assert.equal(line({ v: 2, key: { _id: 1 }, name: '_id_' }), '_id_ [_id] unique - {"key":"{\\"_id\\":1}"}');
    assert.equal(line({ v: 2, key: { a: 1, b: -1 }, name: 'ab', unique: true, sparse: true }), 'ab [a,b] unique - {"key":"{\\"a\\":1,\\"b\\":-1}","sparse":true}');
    assert.equal(line({ v: 2, key: { at: 1 }, name: 'ttl', expireAfterSeconds: 3600 }), 'ttl [at] - {"key":"{\\"at\\":1}","expireAfterSeconds":3600}');
    assert.equal(line({ v: 2, key: { shop: 1, _fts: 'text', _ftsx: 1 }, name: 'txt', weights: { title: 10, body: 1 } }), 'txt [shop,body,title] text {"key":"{\\"shop\\":1,\\"_fts\\":\\"text\\",\\"_ftsx\\":1}"}');
    assert.equal(indexFrom({ key: { loc: '2dsphere' }, name: 'geo' }).method, '2dsphere');
    assert.equal(indexFrom({ key: { 'attrs.$**': 1 }, name: 'wild' }).method, 'wildcard');
    assert.equal(indexFrom({ key: { a: 1 }, name: 'p', partialFilterExpression: { n: { $gt: new Long(5) } } }).options?.partialFilterExpression, '{"n":{"$gt":"5"}}');
  });

  it('a view has no key and says what it is over; a validator that is off is sampled instead', () => {
    const view = entityFrom({ info: { name: 'v', type: 'view', options: { viewOn: 'people', pipeline: [{ $match: { a: 1 } }] } } });
    assert.deepEqual([view.kind, view.primaryKey, view.details], ['view', null, { viewOn: 'people', pipeline: '[{"$match":{"a":1}}]' }]);
    const off = entityFrom({ info: { name: 'c', type: 'collection', options: { validator: { $jsonSchema: { properties: { a: { bsonType: 'int' } } } }, validationLevel: 'off' } } });
    assert.equal(off.origin, 'sample');
    assert.deepEqual(off.fields.map((f) => f.name), ['_id'], 'every document has an _id, even when nothing was sampled');
    const on = entityFrom({ info: { name: 'c', type: 'collection', options: { validator: { $jsonSchema: { properties: { a: { bsonType: 'int' } } } }, validationAction: 'warn' } } });
    assert.deepEqual([on.origin, on.details], ['validator', { validationAction: 'warn' }]);
  });

  it('reads the URL database alone, a filter, or everything but admin, config and local', () => {
    const listed = ['admin', 'config', 'local', 'shop', 'crm', 'logs'];
    assert.deepEqual(databasesToRead(listed, {}, undefined), ['crm', 'logs', 'shop']);
    assert.deepEqual(databasesToRead(listed, {}, 'shop'), ['shop']);
    assert.deepEqual(databasesToRead(listed, {}, 'nowhere'), []);
    assert.deepEqual(databasesToRead(listed, { include: ['crm', 'admin', 'gone'] }, 'shop'), ['admin', 'crm']);
    assert.deepEqual(databasesToRead(listed, { exclude: ['logs'] }, 'shop'), ['crm', 'shop']);
  });
});

describe('MongoDB: BSON types in generated TypeScript', () => {
  it('maps native types to what the driver returns, and merges unions of them', () => {
    const field = (nativeType: string, type: Field['type'], extra: Partial<Field> = {}): Field => ({ name: 'f', nativeType, type, nullable: false, ...extra });
    const model: SchemaModel = { version: 2, source: { kind: 'mongodb' }, namespaces: [{ name: 'db', entities: [], enums: [], domains: [], composites: [], functions: [] }] };
    const layout = buildLayout(model, MONGO_VALUE_MAPPING);
    const mapper = new TsTypeMapper(layout, layout.get('db')!, MONGO_VALUE_MAPPING);
    const both = (f: Field) => `${mapper.fieldType(f, 'row')} / ${mapper.fieldType(f, 'insert')}`;
    assert.equal(both(field('long', 'bigint')), 'number | Long / Long | bigint');
    assert.equal(both(field('int | long', 'integer', { types: [{ type: 'integer', nativeType: 'int' }, { type: 'bigint', nativeType: 'long' }] })), 'number | Long / number | Long | bigint');
    assert.equal(both(field('regex', 'unknown')), 'RegExp / RegExp | BSONRegExp');
    assert.equal(both(field('uuid', 'uuid', { nullable: true })), 'UUID | null / UUID | null');
    assert.equal(both(field('object', 'object')), 'Document / Document');
    const literal = field('string', 'string', { values: ['a | b', 'c'] });
    assert.equal(mapper.fieldType({ ...literal, types: [literal, { type: 'string', nativeType: 'string' }] }, 'row'), '"a | b" | "c" | string', 'a literal holding " | " stays one alternative');
    assert.deepEqual(mapper.importLines(), [{ names: 'Long, BSONRegExp, UUID, Document', from: 'mongodb' }]);
  });
});
