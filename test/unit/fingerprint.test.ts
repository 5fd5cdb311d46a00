import * as assert from 'node:assert/strict';
import { diffModels, formatChanges } from '../../src/core/introspect/diff';
import { canonicalJson, fingerprint, normaliseModel } from '../../src/core/introspect/fingerprint';
import { field, sampleModel, shuffled } from '../support/sampleModel';

describe('fingerprint', () => {
  it('has the documented shape', () => {
    assert.match(fingerprint(sampleModel()), /^sha256:[0-9a-f]{32}$/);
  });

  it('is stable: the same model in another order (and from another server) has the same fingerprint', () => {
    const a = sampleModel();
    const b = shuffled(a);
    assert.notDeepEqual(b.namespaces.map((n) => n.name), a.namespaces.map((n) => n.name), 'the shuffle did reorder');
    assert.equal(fingerprint(b), fingerprint(a));
    assert.deepEqual(normaliseModel(b), normaliseModel(a));
  });

  it('does not depend on object key order', () => {
    assert.equal(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] }), '{"a":[{"d":2}],"b":1}');
    const a = sampleModel();
    const reordered = JSON.parse(JSON.stringify(a), (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    ) as typeof a;
    assert.equal(fingerprint(reordered), fingerprint(a));
  });

  const changes: [string, (m: ReturnType<typeof sampleModel>) => void][] = [
    ['a column type', (m) => (m.namespaces[0]!.entities[0]!.fields[4]!.nativeType = 'numeric(12,2)')],
    ['nullability', (m) => (m.namespaces[0]!.entities[0]!.fields[0]!.nullable = true)],
    ['a default', (m) => (m.namespaces[0]!.entities[0]!.fields[4]!.sql!.default = '1')],
    ['an added column', (m) => m.namespaces[0]!.entities[0]!.fields.push(field('note', 'string'))],
    ['column order', (m) => m.namespaces[0]!.entities[0]!.fields.reverse()],
    ['an enum value', (m) => m.namespaces[0]!.enums[0]!.values.push('refunded')],
    ['enum value order', (m) => m.namespaces[0]!.enums[0]!.values.reverse()],
    ['the primary key', (m) => (m.namespaces[0]!.entities[0]!.primaryKey = null)],
    ['a table name', (m) => (m.namespaces[0]!.entities[0]!.name = 'Orders')],
  ];
  for (const [what, change] of changes) {
    it(`changes when ${what} changes`, () => {
      const m = sampleModel();
      change(m);
      assert.notEqual(fingerprint(m), fingerprint(sampleModel()));
    });
  }
});

describe('diffModels / formatChanges', () => {
  it('finds nothing between a model and its shuffled self', () => {
    assert.deepEqual(diffModels(sampleModel(), shuffled(sampleModel())), []);
  });

  it('names added, removed and changed things', () => {
    const before = sampleModel();
    const after = sampleModel();
    const pub = after.namespaces[0]!;
    pub.entities[0]!.fields.push(field('nick name', 'string', { nullable: true }));
    pub.entities[0]!.fields[4]!.nativeType = 'numeric(12,2)';
    pub.entities[0]!.fields[4]!.nullable = false;
    pub.entities[1]!.fields.splice(2, 1);
    pub.entities[1]!.primaryKey = { name: 'order_lines_pkey', columns: ['order_id'] };
    pub.entities.splice(3, 1);
    pub.enums[0]!.values.push('refunded');
    after.namespaces.splice(1, 1);
    after.namespaces.push({ name: 'billing', entities: [], enums: [], domains: [], composites: [], functions: [] });
    const changes = diffModels(before, after);
    assert.deepEqual(changes, [
      { kind: 'changed', subject: 'column public.orders.total', detail: 'numeric(10,2) → numeric(12,2); now not null' },
      { kind: 'added', subject: 'column public.orders.nick name' },
      { kind: 'removed', subject: 'column public.order_lines.__proto__' },
      { kind: 'changed', subject: 'primary key of public.order_lines', detail: 'order_id, line → order_id' },
      { kind: 'removed', subject: 'table public.audit log' },
      { kind: 'changed', subject: 'enum public.order status', detail: `new, it's paid, a "quoted" one → new, it's paid, a "quoted" one, refunded` },
      { kind: 'added', subject: 'schema billing', detail: '0 entities' },
      { kind: 'removed', subject: 'schema crm' },
    ]);
    const text = formatChanges(changes);
    assert.match(text, /^ {2}~ column public\.orders\.total: numeric\(10,2\) → numeric\(12,2\); now not null$/m);
    assert.match(text, /^ {2}\+ column public\.orders\.nick name$/m);
    assert.match(text, /^ {2}- schema crm$/m);
  });

  it('a column named __proto__ or constructor is diffed like any other', () => {
    const before = sampleModel();
    const after = sampleModel();
    after.namespaces[0]!.entities[1]!.fields.push(field('constructor', 'string'), field('toString', 'string'));
    assert.deepEqual(diffModels(before, after).map((c) => c.subject), ['column public.order_lines.constructor', 'column public.order_lines.toString']);
  });

  it('formatChanges caps long lists', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ kind: 'added' as const, subject: `table t${i}` }));
    const lines = formatChanges(many, 50).split('\n');
    assert.equal(lines.length, 51);
    assert.equal(lines.at(-1), '  … and 10 more');
  });
});
