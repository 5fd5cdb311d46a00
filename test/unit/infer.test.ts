/**
 * Document schema inference (src/core/introspect/infer.ts) on plain values through a tiny classifier:
 * optional vs nullable, unions, nested objects and arrays, confidence, determinism, the depth and width caps,
 * hostile keys. The `$jsonSchema` conversion is in infer.jsonSchema.test.ts.
 */
import * as assert from 'node:assert/strict';
import { DocumentInference, inferFields } from '../../src/core/introspect/infer';
import { Field, type ValueShape } from '../../src/core/model';
import { messyDocuments, ObjectIdLike, plainClassifier, RefLike, seededRandom, shuffled } from '../support/plainClassifier';

const infer = (docs: unknown[], opts?: Parameters<typeof inferFields>[2]) => inferFields(docs, plainClassifier, opts);
const fieldNamed = (fields: readonly Field[], name: string): Field => {
  const f = fields.find((x) => x.name === name);
  assert.ok(f, `field ${name} in ${fields.map((x) => x.name).join(', ')}`);
  return f;
};

describe('infer: fields of documents', () => {
  it('tells optional (absent) from nullable (null); a field only ever null is type null', () => {
    const { fields, seen } = infer([
      { a: 1, b: null, c: null },
      { a: 2, c: null },
      { a: 3, b: 'x', c: null },
    ]);
    assert.equal(seen, 3);
    assert.deepEqual(fields, [
      { name: 'a', optional: false, type: 'integer', nativeType: 'int', nullable: false, confidence: 1 },
      { name: 'b', optional: true, type: 'string', nativeType: 'string', nullable: true, confidence: 0.6667 },
      { name: 'c', optional: false, type: 'null', nativeType: 'null', nullable: true, confidence: 1 },
    ]);
  });

  it('a field seen with two types is a union; type is the common one and confidence its share', () => {
    const docs = Array.from({ length: 10 }, (_, i) => ({ v: i === 3 ? 42 : `s${i}` }));
    const [v] = infer(docs).fields;
    assert.deepEqual(v, {
      name: 'v',
      optional: false,
      type: 'string',
      nativeType: 'string | int',
      nullable: false,
      confidence: 0.9,
      types: [
        { type: 'string', nativeType: 'string' },
        { type: 'integer', nativeType: 'int' },
      ],
    });
  });

  it('int and double stay two alternatives (merging them is the value mapping\'s call)', () => {
    const [n] = infer([{ n: 1 }, { n: 1.5 }, { n: 2 }]).fields;
    assert.deepEqual(n!.types?.map((t) => t.nativeType), ['int', 'double']);
    assert.equal(n!.type, 'integer');
    assert.equal(n!.confidence, 0.6667);
  });

  it('nested objects get nested fields, optional and confident relative to the objects seen', () => {
    const { fields } = infer([
      { address: { city: 'Oslo', zip: '0150' } },
      { address: { city: 'Bergen' } },
      { address: { city: 'Rome', zip: 100 } },
      {},
    ]);
    const address = fieldNamed(fields, 'address');
    assert.equal(address.type, 'object');
    assert.equal(address.optional, true);
    assert.equal(address.confidence, 0.75);
    assert.deepEqual(address.fields, [
      { name: 'city', optional: false, type: 'string', nativeType: 'string', nullable: false, confidence: 1 },
      {
        name: 'zip',
        optional: true,
        type: 'string',
        nativeType: 'string | int',
        nullable: false,
        confidence: 0.3333,
        types: [
          { type: 'string', nativeType: 'string' },
          { type: 'integer', nativeType: 'int' },
        ],
      },
    ]);
  });

  it('two object shapes under one field merge into one object alternative, beside the scalar ones', () => {
    const [v] = infer([{ v: { a: 1 } }, { v: { b: 'x' } }, { v: 'plain' }]).fields;
    assert.equal(v!.type, 'object');
    assert.equal(v!.nativeType, 'string | object');
    assert.equal(v!.confidence, 0.6667);
    assert.deepEqual(v!.types, [
      { type: 'string', nativeType: 'string' },
      {
        type: 'object',
        nativeType: 'object',
        fields: [
          { name: 'a', optional: true, type: 'integer', nativeType: 'int', nullable: false, confidence: 0.5 },
          { name: 'b', optional: true, type: 'string', nativeType: 'string', nullable: false, confidence: 0.5 },
        ],
      },
    ]);
  });

  it('arrays of objects of varying shapes: items are the merged element shape', () => {
    const [tags] = infer([{ tags: [{ k: 'a', v: 1 }, { k: 'b' }] }, { tags: [{ k: 'c', v: 2 }, { k: 'd', v: null }] }]).fields;
    assert.deepEqual(tags, {
      name: 'tags',
      optional: false,
      type: 'array',
      nativeType: 'array',
      nullable: false,
      confidence: 1,
      items: {
        type: 'object',
        nativeType: 'object',
        fields: [
          { name: 'k', optional: false, type: 'string', nativeType: 'string', nullable: false, confidence: 1 },
          { name: 'v', optional: true, type: 'integer', nativeType: 'int', nullable: true, confidence: 0.75 },
        ],
      },
    });
  });

  it('mixed elements give items with types (null among them); empty arrays give no items', () => {
    const { fields } = infer([{ mixed: [1, 'a', null, 2], empty: [], grows: [] }, { mixed: [], empty: [], grows: [[true]] }]);
    assert.deepEqual(fieldNamed(fields, 'mixed').items, {
      type: 'integer',
      nativeType: 'string | int | null',
      types: [
        { type: 'string', nativeType: 'string' },
        { type: 'integer', nativeType: 'int' },
        { type: 'null', nativeType: 'null' },
      ],
    });
    const empty = fieldNamed(fields, 'empty');
    assert.equal(empty.type, 'array');
    assert.equal(empty.items, undefined);
    assert.deepEqual(fieldNamed(fields, 'grows').items, { type: 'array', nativeType: 'array', items: { type: 'boolean', nativeType: 'bool' } });
  });

  it('driver classes are leaves, references keep a consistent collection path', () => {
    const { fields } = infer([
      { _id: new ObjectIdLike('a1'), owner: new RefLike('users/u1'), any: new RefLike('users/u2'), at: new Date(0), big: 1n },
      { _id: new ObjectIdLike('a2'), owner: new RefLike('users/u9'), any: new RefLike('teams/t1'), at: new Date(1), big: 2n },
    ]);
    assert.deepEqual(fields.map((f) => [f.name, f.type, f.nativeType, f.refPath]), [
      ['_id', 'objectid', 'objectId', undefined],
      ['any', 'reference', 'reference', undefined],
      ['at', 'timestamptz', 'date', undefined],
      ['big', 'bigint', 'long', undefined],
      ['owner', 'reference', 'reference', 'users'],
    ]);
  });

  it('undefined members are absent; a key repeated in one object counts once; non-objects are not documents', () => {
    const repeated = new Map<string, unknown>([
      ['k', 1],
      ['k', 'two'],
    ]);
    const twice = { [Symbol.iterator]: () => [['k', 1] as const, ['k', 'x'] as const][Symbol.iterator]() };
    const dupClassifier = {
      classify: (v: unknown) => (v === twice ? { type: 'object' as const, nativeType: 'object', entries: twice } : plainClassifier.classify(v)),
    };
    assert.deepEqual(inferFields([twice, { k: 2 }], dupClassifier).fields, [{ name: 'k', optional: false, type: 'integer', nativeType: 'int', nullable: false, confidence: 1 }]);
    const { fields, seen } = infer([{ a: undefined, b: 1 }, 'not a document', 42, null, repeated]);
    assert.equal(seen, 2);
    assert.deepEqual(fields.map((f) => [f.name, f.optional]), [
      ['b', true],
      ['k', true],
    ]);
  });

  it('confidence is the share of documents with the dominant type, to 4 decimals', () => {
    const docs = Array.from({ length: 1000 }, (_, i) => (i < 870 ? { note: `n${i}`, n: i % 3 === 0 ? 'x' : i } : { n: i }));
    const { fields } = infer(docs);
    assert.equal(fieldNamed(fields, 'note').confidence, 0.87);
    assert.equal(fieldNamed(fields, 'note').optional, true);
    assert.equal(fieldNamed(fields, 'n').confidence, 0.71); // 290 of the 870 first are 'x'
    const third = infer(Array.from({ length: 3 }, (_, i) => (i ? {} : { t: 1 }))).fields[0]!;
    assert.equal(third.confidence, 0.3333);
  });

  it('all fields validate against the model schema', () => {
    const { fields } = infer(messyDocuments(200, 7));
    for (const f of fields) Field.parse(f);
  });
});

describe('infer: determinism', () => {
  it('the same documents in 20 orders (and with shuffled keys) give identical fields and notes', () => {
    const docs = messyDocuments(300, 1);
    const expected = infer(docs, { maxDepth: 4, maxFields: 40 });
    const text = JSON.stringify(expected);
    const random = seededRandom(99);
    for (let i = 0; i < 20; i++) {
      const again = infer(shuffled(docs, random).map((d) => reorderKeys(d, random)), { maxDepth: 4, maxFields: 40 });
      assert.deepEqual(again, expected);
      assert.equal(JSON.stringify(again), text, 'byte-identical');
    }
    assert.ok(expected.notes.length > 0, 'the caps were hit, so their notes are covered too');
  });

  it('feeding a DocumentInference one by one equals inferFields', () => {
    const docs = messyDocuments(50, 3);
    const inc = new DocumentInference(plainClassifier);
    for (const d of docs) inc.add(d);
    assert.deepEqual(inc.result(), infer(docs));
  });

  it('fields are ordered _id first, then by code units (upper case before lower, no locale)', () => {
    const { fields } = infer([{ b: 1, a: 1, B: 1, _id: 1, é: 1, Z: 1, _a: 1, '10': 1, '9': 1 }]);
    assert.deepEqual(fields.map((f) => f.name), ['_id', '10', '9', 'B', 'Z', '_a', 'a', 'b', 'é']);
  });
});

describe('infer: bounds', () => {
  it('values deeper than maxDepth become open JSON, with a note', () => {
    const { fields, notes } = infer([{ a: { b: { c: { d: 1 } }, list: [[[1]]] } }], { maxDepth: 2 });
    const a = fields[0]!;
    assert.deepEqual(fieldNamed(a.fields!, 'b'), { name: 'b', optional: false, type: 'object', nativeType: 'object', nullable: false, confidence: 1 });
    assert.deepEqual(fieldNamed(a.fields!, 'list'), { name: 'list', optional: false, type: 'array', nativeType: 'array', nullable: false, confidence: 1 });
    assert.deepEqual(notes.map((n) => [n.path, n.reason]), [
      ['a.b', 'depth'],
      ['a.list', 'depth'],
    ]);
  });

  it('very deep nesting is neither walked nor a stack overflow (default depth 8, ceiling 64)', () => {
    let deep: unknown = 1;
    let deepArray: unknown = 1;
    for (let i = 0; i < 100_000; i++) {
      deep = { x: deep };
      deepArray = [deepArray];
    }
    const { fields } = infer([{ deep, deepArray }]);
    let shape: ValueShape | undefined = fieldNamed(fields, 'deep');
    let levels = 0;
    while (shape?.fields) {
      shape = shape.fields[0];
      levels++;
    }
    assert.equal(levels, 7, 'levels 1..7 described, level 8 open');
    assert.equal(shape?.type, 'object');
    const huge = infer([{ deep }], { maxDepth: 1e9 });
    assert.ok(JSON.stringify(huge.fields).length < 20_000, 'the ceiling applies');
  });

  it('an object position with more than maxFields distinct keys becomes open, with a note', () => {
    const wide = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`k${i}`, i]));
    const { fields, notes, open } = infer([{ wide, narrow: { a: 1 } }]);
    assert.equal(open, false);
    assert.deepEqual(fieldNamed(fields, 'wide'), { name: 'wide', optional: false, type: 'object', nativeType: 'object', nullable: false, confidence: 1 });
    assert.equal(fieldNamed(fields, 'narrow').fields?.length, 1);
    assert.deepEqual(notes, [{ path: 'wide', reason: 'width', message: 'more than 500 distinct fields: typed as an open object' }]);
    // Distinct keys over all documents count, not per document.
    const spread = infer(Array.from({ length: 4 }, (_, i) => ({ m: { [`k${i}`]: i } })), { maxFields: 3 });
    assert.equal(fieldNamed(spread.fields, 'm').fields, undefined);
  });

  it('documents with too many distinct top-level keys give an open result', () => {
    const r = infer([{ a: 1, b: 2 }, { c: 3 }], { maxFields: 2 });
    assert.deepEqual(r, { fields: [], seen: 2, open: true, notes: [{ path: '', reason: 'width', message: 'more than 2 distinct fields: typed as an open object' }] });
  });
});

describe('infer: hostile keys are plain data', () => {
  it('__proto__, constructor, toString and keys with quotes, newlines and unicode', () => {
    const doc = JSON.parse('{"__proto__": {"polluted": true}, "constructor": "c", "toString": 1, "hasOwnProperty": null, "a\\"b": 1, "line\\nbreak": true, "ünï😀": 1.5, "": 0}') as unknown;
    const { fields } = infer([doc, { constructor: 2 }]);
    assert.deepEqual(fields.map((f) => f.name), ['', '__proto__', 'a"b', 'constructor', 'hasOwnProperty', 'line\nbreak', 'toString', 'ünï😀']);
    assert.deepEqual(fieldNamed(fields, '__proto__').fields?.map((f) => f.name), ['polluted']);
    assert.equal(fieldNamed(fields, 'constructor').nativeType, 'string | int');
    assert.equal(fieldNamed(fields, 'hasOwnProperty').type, 'null');
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was touched');
  });
});

/** The same document with its keys (recursively) in another order. */
function reorderKeys(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => reorderKeys(v, random));
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(shuffled(Object.entries(value), random).map(([k, v]) => [k, reorderKeys(v, random)]));
}
