/**
 * Edits of the overrides file made from the editor's column menu: one field's entry changes, everything else
 * in the file (other entries, key order, spacing) stays as written, emptied entries are pruned, and neither a
 * broken file nor an edit that would make it incoherent is written.
 */
import * as assert from 'node:assert/strict';
import { editFieldOverride, findFieldOverride, formatImportSpec, parseImportSpec } from '../../src/core/codegen/overrides/edit';
import { parseOverrides } from '../../src/core/codegen/overrides/file';
import { generatedTypeOf } from '../../src/core/codegen/overrides/fieldType';
import { isPlugboardError } from '../../src/core/errors';
import { documentModel } from '../support/documentModel';
import { CATALOG } from '../support/host';
import { sampleModel } from '../support/sampleModel';

const orders = { namespace: 'public', entity: 'orders', field: ['meta'] };

describe('overrides file edits', () => {
  it('creates the file with the one entry when there is none', () => {
    const text = editFieldOverride(undefined, orders, { tsType: 'OrderMeta', import: { name: 'OrderMeta', from: '../src/types' } });
    assert.deepEqual(JSON.parse(text), { namespaces: { public: { orders: { fields: { meta: { tsType: 'OrderMeta', import: { name: 'OrderMeta', from: '../src/types' } } } } } } });
    assert.ok(text.endsWith('}\n'));
    assert.match(text, /^\{\n {2}"namespaces": \{\n {4}"public"/);
  });

  it('keeps everything else in the file byte for byte (but the lines an edit touches)', () => {
    const original = [
      '{',
      '  "$schema": "../node_modules/plugboard/overrides.schema.json",',
      '  "namespaces": {',
      '    "public": {',
      '      "audit_log": { "skip": true },',
      '      "orders": {',
      '        "name": "Order",',
      '        "fields": {',
      '          "total": { "nullable": false }',
      '        }',
      '      }',
      '    }',
      '  }',
      '}',
      '',
    ].join('\n');
    const text = editFieldOverride(original, { ...orders, field: ['status'] }, { nullable: false });
    assert.ok(text.includes('"audit_log": { "skip": true },'));
    assert.ok(text.includes('"$schema": "../node_modules/plugboard/overrides.schema.json",'));
    const parsed = parseOverrides(text).overrides;
    assert.deepEqual(Object.keys(parsed.namespaces.public!.orders!.fields!), ['total', 'status']);
    assert.equal(findFieldOverride(parsed, { ...orders, field: ['status'] })?.nullable, false);
    // Undone, the file says what it said (the neighbouring entry the insertion touched may be re-indented).
    const undone = editFieldOverride(text, { ...orders, field: ['status'] }, 'clear');
    assert.deepEqual(JSON.parse(undone), JSON.parse(original));
    assert.deepEqual(undone.split('\n').slice(0, 6), original.split('\n').slice(0, 6));
  });

  it('changes one key of an entry and leaves its others', () => {
    const start = editFieldOverride(undefined, orders, { tsType: 'OrderMeta', nullable: false, import: { name: 'OrderMeta', from: './t' } });
    const text = editFieldOverride(start, orders, { tsType: 'Record<string, number>', import: null });
    assert.deepEqual(findFieldOverride(parseOverrides(text).overrides, orders), { tsType: 'Record<string, number>', nullable: false });
    const nullableOnly = editFieldOverride(text, orders, { tsType: null });
    assert.deepEqual(findFieldOverride(parseOverrides(nullableOnly).overrides, orders), { nullable: false });
  });

  it('prunes entries an edit leaves empty, up to the namespaces object', () => {
    const start = editFieldOverride(undefined, orders, { nullable: false });
    assert.deepEqual(JSON.parse(editFieldOverride(start, orders, { nullable: null })), { namespaces: {} });
    const renamed = editFieldOverride(undefined, orders, { nullable: false }).replace('"orders": {', '"orders": {\n        "name": "Order",');
    assert.deepEqual(JSON.parse(editFieldOverride(renamed, orders, 'clear')), { namespaces: { public: { orders: { name: 'Order' } } } });
  });

  it('writes nested document fields under "fields", and names no JavaScript can mistake', () => {
    const nested = { namespace: 'shop', entity: 'customers', field: ['address', 'zip'] };
    const text = editFieldOverride(undefined, nested, { tsType: 'ZipCode' });
    assert.deepEqual(JSON.parse(text), { namespaces: { shop: { customers: { fields: { address: { fields: { zip: { tsType: 'ZipCode' } } } } } } } });
    const odd = { namespace: 'public', entity: 'constructor', field: ['__proto__'] };
    const withProto = editFieldOverride(text, odd, { nullable: false });
    assert.equal(findFieldOverride(parseOverrides(withProto).overrides, odd)?.nullable, false);
    assert.equal(findFieldOverride(parseOverrides(withProto).overrides, { ...odd, field: ['toString'] }), undefined);
  });

  it('keeps CRLF line ends', () => {
    const crlf = '{\r\n  "namespaces": {}\r\n}\r\n';
    const text = editFieldOverride(crlf, orders, { nullable: false });
    assert.ok(!/[^\r]\n/.test(text), JSON.stringify(text));
  });

  it('refuses to edit a broken file, naming where it is broken, and refuses an incoherent result', () => {
    assert.throws(
      () => editFieldOverride('{ "namespaces": { "public": { "orders": { "fields": { "x": { "tsType": "a b" } } } } } }', orders, { nullable: false }, 'o.json'),
      (err: unknown) => isPlugboardError(err) && err.code === 'INVALID_CONFIG' && /^o\.json:1:\d+: namespaces\.public\.orders\.fields\.x\.tsType/.test(err.message),
    );
    assert.throws(() => editFieldOverride('{ nope', orders, { nullable: false }), (err: unknown) => isPlugboardError(err) && /not valid JSON/.test(err.message));
    const withNested = editFieldOverride(undefined, { ...orders, field: ['meta', 'a'] }, { nullable: false });
    assert.throws(() => editFieldOverride(withNested, orders, { tsType: 'Meta' }), (err: unknown) => isPlugboardError(err) && /replaces the whole value/.test(err.message));
    assert.throws(() => editFieldOverride(undefined, orders, { tsType: 'x; process.exit()' }), (err: unknown) => isPlugboardError(err) && /not a TypeScript type expression/.test(err.message));
  });

  it('reads and writes "Name from module" imports', () => {
    assert.deepEqual(parseImportSpec('OrderMeta from ../src/types'), { name: 'OrderMeta', from: '../src/types' });
    assert.deepEqual(parseImportSpec("  Money from '@acme/money' "), { name: 'Money', from: '@acme/money' });
    assert.equal(parseImportSpec('  '), undefined);
    assert.throws(() => parseImportSpec('OrderMeta'), (err: unknown) => isPlugboardError(err) && /Name from module/.test(err.message));
    assert.equal(formatImportSpec({ name: 'A', from: './a' }), 'A from ./a');
  });
});

describe('the type "Override Type…" starts from', () => {
  const pg = CATALOG.get('postgres').valueMapping;

  it('is the type generated code gives the field, without "| null"', () => {
    const model = sampleModel();
    assert.equal(generatedTypeOf(model, pg, {}, { namespace: 'public', entity: 'orders', field: ['status'] }), 'OrderStatus');
    assert.equal(generatedTypeOf(model, pg, {}, { namespace: 'public', entity: 'order_totals', field: ['total'] }), 'string');
    assert.equal(generatedTypeOf(model, pg, { numericAs: 'number' }, { namespace: 'public', entity: 'order_totals', field: ['total'] }), 'number');
    assert.equal(generatedTypeOf(model, pg, {}, { namespace: 'public', entity: 'orders', field: ['nope'] }), undefined);
  });

  it('follows nested document fields, on one line', () => {
    const model = documentModel();
    const mongo = CATALOG.get('mongodb').valueMapping;
    assert.equal(generatedTypeOf(model, mongo, {}, { namespace: 'shop', entity: 'orders', field: ['address', 'city'] }), 'string');
    const address = generatedTypeOf(model, mongo, {}, { namespace: 'shop', entity: 'orders', field: ['address'] });
    assert.ok(address && !address.includes('\n') && address.startsWith('{') && address.includes('city: string;'), address);
    assert.equal(generatedTypeOf(model, mongo, {}, { namespace: 'shop', entity: 'orders', field: ['lines', 'sku'] }), 'string');
  });
});
