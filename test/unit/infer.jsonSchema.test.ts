/**
 * `$jsonSchema` validators → exact fields (src/core/introspect/infer/jsonSchema.ts): bsonType and JSON
 * `type`, required vs optional, nullable through `['string', 'null']`, nested objects and arrays, enums,
 * anyOf/oneOf, backend hints, and odd or hostile validators that must never throw.
 */
import * as assert from 'node:assert/strict';
import { fieldsFromJsonSchema } from '../../src/core/introspect/infer';
import { Field } from '../../src/core/model';

const VALIDATOR = {
  $jsonSchema: {
    bsonType: 'object',
    required: ['_id', 'name', 'status', 'lines'],
    properties: {
      name: { bsonType: 'string', description: 'Display name' },
      _id: { bsonType: 'objectId' },
      total: { bsonType: ['decimal', 'null'] },
      status: { enum: ['new', 'paid', null] },
      kind: { bsonType: 'string', enum: ['a', 'b', 'a'] },
      lines: {
        bsonType: 'array',
        items: { bsonType: 'object', required: ['sku'], properties: { sku: { bsonType: 'string' }, qty: { bsonType: ['int', 'long'] } } },
      },
      code: { anyOf: [{ bsonType: 'string' }, { bsonType: 'int' }, { bsonType: 'null' }, { bsonType: 'string' }] },
      meta: { bsonType: 'object' },
      flags: { type: 'array', items: { type: 'boolean' } },
      loose: {},
      when: { bsonType: 'date' },
    },
  },
};

describe('infer: $jsonSchema validators', () => {
  it('turns a validator into exact fields', () => {
    const fields = fieldsFromJsonSchema(VALIDATOR);
    for (const f of fields) Field.parse(f);
    const exact = (name: string, type: Field['type'], nativeType: string, extra: Partial<Field> = {}) => ({ name, type, nativeType, nullable: false, optional: true, confidence: 1, ...extra });
    assert.deepEqual(fields, [
      exact('_id', 'objectid', 'objectId', { optional: false }),
      exact('code', 'string', 'string | int', { nullable: true, types: [{ type: 'string', nativeType: 'string' }, { type: 'integer', nativeType: 'int' }] }),
      exact('flags', 'array', 'array', { items: { type: 'boolean', nativeType: 'bool' } }),
      exact('kind', 'string', 'string', { values: ['a', 'b'] }),
      exact('lines', 'array', 'array', {
        optional: false,
        items: {
          type: 'object',
          nativeType: 'object',
          fields: [
            exact('qty', 'integer', 'int | long', { types: [{ type: 'integer', nativeType: 'int' }, { type: 'bigint', nativeType: 'long' }] }),
            exact('sku', 'string', 'string', { optional: false }),
          ],
        },
      }),
      exact('loose', 'unknown', 'unknown'),
      exact('meta', 'object', 'object'),
      exact('name', 'string', 'string', { optional: false, comment: 'Display name' }),
      exact('status', 'string', 'string', { optional: false, nullable: true, values: ['new', 'paid'] }),
      exact('total', 'decimal', 'decimal', { nullable: true }),
      exact('when', 'timestamptz', 'date'),
    ]);
  });

  it('the bare schema (without $jsonSchema) reads the same', () => {
    assert.deepEqual(fieldsFromJsonSchema(VALIDATOR.$jsonSchema), fieldsFromJsonSchema(VALIDATOR));
  });

  it('hints let a backend spell types as its classifier does', () => {
    const [when] = fieldsFromJsonSchema(
      { properties: { when: { bsonType: 'date' } } },
      { bsonType: (alias) => (alias === 'date' ? { type: 'timestamp', nativeType: 'Date' } : undefined) },
    );
    assert.equal(when!.type, 'timestamp');
    assert.equal(when!.nativeType, 'Date');
  });

  it('a field that can only be null, tuple items, nullable items, numeric enums', () => {
    const fields = fieldsFromJsonSchema({
      properties: {
        gone: { bsonType: 'null' },
        pair: { bsonType: 'array', items: [{ bsonType: 'string' }, { bsonType: ['int', 'null'] }] },
        level: { enum: [1, 2, 3] },
        ratio: { enum: [0.5, 1] },
      },
    });
    assert.deepEqual(
      fields.map((f) => [f.name, f.type, f.nativeType, f.nullable]),
      [
        ['gone', 'null', 'null', true],
        ['level', 'integer', 'int', false],
        ['pair', 'array', 'array', false],
        ['ratio', 'float', 'double', false],
      ],
    );
    assert.deepEqual(fields.find((f) => f.name === 'pair')!.items, {
      type: 'string',
      nativeType: 'string | int | null',
      types: [
        { type: 'string', nativeType: 'string' },
        { type: 'integer', nativeType: 'int' },
        { type: 'null', nativeType: 'null' },
      ],
    });
  });

  it('unknown constructs become unknown or open types; nothing throws', () => {
    const cyclic: Record<string, unknown> = { bsonType: 'object' };
    cyclic.properties = { self: cyclic };
    const odd: unknown[] = [null, 42, 'x', [], { properties: 'nope' }, { $jsonSchema: 7 }, cyclic, { properties: { a: { bsonType: 'madeUp' }, b: { allOf: [{}, {}] }, c: { not: {} }, d: true, e: { bsonType: 42 } } }];
    for (const schema of odd) assert.doesNotThrow(() => fieldsFromJsonSchema(schema));
    const fields = fieldsFromJsonSchema(odd[odd.length - 1]);
    assert.deepEqual(
      fields.map((f) => [f.name, f.type, f.nativeType]),
      [
        ['a', 'unknown', 'madeUp'],
        ['b', 'unknown', 'unknown'],
        ['c', 'unknown', 'unknown'],
        ['d', 'unknown', 'unknown'],
        ['e', 'unknown', 'unknown'],
      ],
    );
    let depth = 0;
    let f: Field | undefined = fieldsFromJsonSchema(cyclic)[0];
    while (f?.fields) {
      f = f.fields[0];
      depth++;
    }
    assert.ok(depth > 10 && depth <= 64, `cut at the ceiling, got ${depth}`);
  });

  it('hostile property names are plain data; inherited schema members are ignored', () => {
    const schema = JSON.parse('{"required": ["__proto__", "constructor"], "properties": {"__proto__": {"bsonType": "string"}, "constructor": {"bsonType": "constructor"}, "toString": {"bsonType": "toString"}, "a\\nb": {"bsonType": "int"}}}') as unknown;
    const fields = fieldsFromJsonSchema(schema);
    assert.deepEqual(
      fields.map((f) => [f.name, f.type, f.optional]),
      [
        ['__proto__', 'string', false],
        ['a\nb', 'integer', true],
        ['constructor', 'unknown', false],
        ['toString', 'unknown', true],
      ],
    );
    const inherited = Object.create({ bsonType: 'object', properties: { leaked: { bsonType: 'string' } } }) as unknown;
    assert.deepEqual(fieldsFromJsonSchema(inherited), []);
  });
});
