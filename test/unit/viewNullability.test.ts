/**
 * The core resolution of view column lineage, as any backend feeds it (MySQL's keys are names, not oids),
 * and PostgreSQL's node tree reader on the awkward parts of its format.
 */
import * as assert from 'node:assert/strict';
import { listField, NodeTreeError, parseNodeTree, textField, type PgNode } from '../../src/backends/postgres/nodeTree';
import { traceViews, type Lineage } from '../../src/core/introspect/viewNullability';

const col = (relation: string, column: number): Lineage => ({ kind: 'column', relation, column, label: `${relation}.c${column}` });

describe('view nullability: resolution', () => {
  const base = new Map([['db.t:1', true], ['db.t:2', false]]);
  const notNull = (relation: string, column: number) => base.get(`${relation}:${column}`);

  it('follows views over views, coalesce and set operations; unknown stays nullable', () => {
    const views = new Map<string, Lineage[]>([
      ['db.v1', [col('db.t', 1), col('db.t', 2), col('db.t', 9), { kind: 'nullable', why: 'the nullable side of a LEFT JOIN' }]],
      ['db.v2', [col('db.v1', 1), col('db.v1', 2), { kind: 'coalesce', args: [col('db.v1', 2), { kind: 'notNull', why: 'a constant' }] }, col('db.v1', 7)]],
      ['db.v3', [{ kind: 'setop', op: 'union', branches: [col('db.t', 1), col('db.v2', 3)] }, { kind: 'setop', op: 'union', branches: [col('db.t', 1), col('db.t', 2)] }, { kind: 'setop', op: 'except', branches: [col('db.t', 2), col('db.t', 1)] }]],
    ]);
    const traced = traceViews(views, notNull);
    assert.deepEqual(traced.get('db.v1'), [
      { nullable: false, note: 'not null: from db.t.c1' },
      { nullable: true, note: 'nullable: from db.t.c2, which allows null' },
      { nullable: true, note: 'nullable: db.t.c9 could not be traced' },
      { nullable: true, note: 'nullable: the nullable side of a LEFT JOIN' },
    ]);
    assert.deepEqual(traced.get('db.v2')!.map((t) => t.nullable), [false, true, false, true]);
    assert.equal(traced.get('db.v2')![0]!.note, 'not null: from db.t.c1 (through db.v1.c1)');
    assert.deepEqual(traced.get('db.v3')!.map((t) => [t.nullable, t.note]), [
      [false, 'not null: in every branch of the UNION'],
      [true, 'nullable: a branch of the UNION is (from db.t.c2, which allows null)'],
      [true, 'nullable: from db.t.c2, which allows null'],
    ]);
  });

  it('a cycle (which no server allows) ends as nullable, not as a hang', () => {
    const traced = traceViews(new Map([['a', [col('b', 1)]], ['b', [col('a', 1)]]]), () => true);
    assert.equal(traced.get('a')![0]!.nullable, true);
  });
});

describe('view nullability: the PostgreSQL node tree reader', () => {
  it('reads escapes, quoted strings, typed lists, datums and nulls', () => {
    const tree = parseNodeTree('({QUERY :a 1 :name we\\ ird\\} :colon :x :s ("id" "a\\ b") :ints (i 1 2) :bits (b) :c {CONST :constvalue 4 [ 1 0 0 0 ] :constisnull false} :n <>})');
    const q = (tree as PgNode[])[0]!;
    assert.equal(q.type, 'QUERY');
    assert.deepEqual(Object.fromEntries(q.fields), {
      a: '1',
      name: 'we ird}',
      colon: ':x',
      s: ['id', 'a b'],
      ints: ['1', '2'],
      bits: [],
      c: { type: 'CONST', fields: new Map([['constvalue', '4'], ['constisnull', 'false']]) },
      n: null,
    });
  });

  it('refuses what is not a node tree', () => {
    for (const bad of ['({QUERY :a', '({QUERY a 1})', '({QUERY :a 1}) extra', ')']) assert.throws(() => parseNodeTree(bad), NodeTreeError, bad);
    for (const bad of ['({QUERY :skipped {X :a (1 2}', '({QUERY :lazy (1']) {
      assert.throws(() => parseNodeTree(bad, { keep: new Set(['a']), lazy: new Set(['lazy']) }), NodeTreeError, bad);
    }
  });

  it('builds only the kept fields, skips the rest whatever they hold, and parses lazy ones on first read', () => {
    const text = '({QUERY :a 1 :skip {RTE :eref {ALIAS :colnames ("x\\)" "y\\}")} :n (i 1 2)} :c {CONST :constvalue 4 [ 1 0 0 0 ] :a 2} ' +
      ':later ({VAR :a 3 :skip 9} {VAR :a 4}) :word we\\ ird :z <>})';
    const q = (parseNodeTree(text, { keep: new Set(['a', 'c', 'word', 'z']), lazy: new Set(['later']) }) as PgNode[])[0]!;
    assert.deepEqual([...q.fields.keys()], ['a', 'c', 'word', 'z']);
    assert.equal(textField(q, 'word'), 'we ird');
    assert.deepEqual(Object.fromEntries((q.fields.get('c') as PgNode).fields), { a: '2' });
    const later = listField(q, 'later') as PgNode[];
    assert.deepEqual(later.map((v) => Object.fromEntries(v.fields)), [{ a: '3' }, { a: '4' }], 'parsed with the same keep set');
    assert.equal(listField(q, 'later'), later, 'parsed once');
  });
});
