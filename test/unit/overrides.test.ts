/**
 * The overrides file: validation that names the field (and the line), warnings for overrides that name
 * nothing, and what generate() makes of them on a relational model and a document model: renamed
 * properties and entities, replaced types with their imports, nullability, skipped entities, and headers
 * whose "generation inputs" change while the schema fingerprint does not.
 */
import * as assert from 'node:assert/strict';
import { generate } from '../../src/core/codegen/generate';
import { headerStatus, parseHeader } from '../../src/core/codegen/header';
import { parseOverrides, type LoadedOverrides } from '../../src/core/codegen/overrides/file';
import { locateJson } from '../../src/core/codegen/overrides/locate';
import { applyCodeOverrides, displayKey, generationInputs } from '../../src/core/codegen/overrides/resolve';
import { TS_TYPES } from '../../src/core/codegen/targets';
import { isPlugboardError } from '../../src/core/errors';
import { fingerprint } from '../../src/core/introspect/fingerprint';
import { codegenFor } from '../support/host';
import { documentModel } from '../support/documentModel';
import { sampleModel } from '../support/sampleModel';

const pg = (overrides?: LoadedOverrides) => codegenFor('postgres', { profileName: 'unit', targets: ['ts-types', 'pg-crud'], overrides });
const docs = (overrides?: LoadedOverrides) => ({ profileName: 'docs', targets: ['ts-types'], offers: [TS_TYPES], mapping: { types: {} }, overrides });

function invalid(text: string, message: RegExp) {
  assert.throws(() => parseOverrides(text, 'o.json'), (err: unknown) => isPlugboardError(err) && err.code === 'INVALID_CONFIG' && message.test(err.message));
}

const SAMPLE_OVERRIDES = JSON.stringify(
  {
    namespaces: {
      public: {
        orders: {
          name: 'Order',
          fields: {
            total: { nullable: false, tsType: 'Money', import: { name: 'Money', from: '../src/money' } },
            ship_to: { name: 'shipTo' },
          },
        },
        order_lines: { fields: { ['__proto__']: { name: 'proto', nullable: false }, line: { name: 'lineNo' } } },
        'audit log': { skip: true },
        order_totals: { fields: { order_id: { nullable: false } } },
      },
    },
  },
  null,
  2,
);

describe('overrides: the file', () => {
  it('reads a valid file, __proto__ keys included', () => {
    const { overrides } = parseOverrides(SAMPLE_OVERRIDES);
    assert.ok(overrides.namespaces.public);
    const applied = applyCodeOverrides(sampleModel(), parseOverrides(SAMPLE_OVERRIDES));
    const lines = applied.model.namespaces[0]!.entities.find((e) => e.name === 'order_lines')!;
    assert.equal(lines.fields.find((f) => f.name === '__proto__')!.nullable, false, 'the __proto__ override was applied');
    assert.deepEqual(applied.warnings, []);
  });

  it('names the field and the line of what is wrong', () => {
    invalid('{ "namespaces": ', /o\.json is not valid JSON/);
    invalid('{ "namespace": {} }', /^o\.json:1:3: \(root\): Unrecognized key/);
    invalid('{\n "namespaces": { "public": { "orders": { "fields": { "meta": { "tsTyp": "X" } } } } }\n}', /^o\.json:2:\d+: namespaces\.public\.orders\.fields\.meta: Unrecognized key: "tsTyp"/);
    invalid('{ "namespaces": { "public": { "a.b": { "fields": { "m": { "tsType": "X; alert(1)" } } } } } }', /namespaces\.public\["a\.b"\]\.fields\.m\.tsType: is not a TypeScript type expression: it has ";" after the type/);
    invalid('{ "namespaces": { "p": { "t": { "fields": { "m": { "import": { "name": "X", "from": "y" } } } } } } }', /fields\.m\.import: needs "tsType"/);
    invalid('{ "namespaces": { "p": { "t": { "fields": { "m": { "tsType": "X", "import": { "name": "no-dash", "from": "y" } } } } } } }', /import\.name: must be a TypeScript identifier/);
    invalid('{ "namespaces": { "p": { "t": { "fields": { "m": { "fields": { "n": { "name": "x" } } } } } } } }', /fields\.m\.fields\.n: Unrecognized key: "name"/);
    invalid('{ "namespaces": { "p": { "t": { "skip": "yes" } } } }', /namespaces\.p\.t\.skip: /);
  });

  it('locates keys in the text, through arrays and escapes', () => {
    const text = '{\n  "a": [1, {"b\\"c": {\n    "d": true}}]\n}';
    assert.deepEqual(locateJson(text, ['a', 1, 'b"c', 'd']), { offset: 28, line: 3, column: 5, length: 3 });
    assert.deepEqual(locateJson(text, ['a', 7])?.line, 2, 'a missing step ends at the deepest key found');
  });

  it('quotes names with dots, quotes or spaces in keys', () => {
    assert.equal(displayKey(['public', 'a.b', 'c d', 'e"f', 'g']), 'public."a.b"."c d"."e\\"f".g');
  });
});

describe('overrides: warnings', () => {
  it('warns, with the line, about a schema, an entity, a field or nested fields that are not there', () => {
    const text = JSON.stringify(
      { namespaces: { nope: {}, public: { ghost: {}, orders: { fields: { gone: { nullable: true }, status: { fields: { x: { nullable: true } } } } } } } },
      null,
      2,
    );
    const { warnings } = applyCodeOverrides(sampleModel(), parseOverrides(text, '/w/.plugboard/overrides.json'));
    assert.deepEqual(
      warnings.map((w) => [w.key, w.message, w.location?.line]),
      [
        ['nope', 'no schema "nope" in this connection\'s model', 3],
        ['public.ghost', 'no table, view or collection "ghost" in public', 5],
        ['public.orders.gone', 'no field "gone" in public.orders', 8],
        ['public.orders.status', 'public.orders.status has no nested fields', 12],
      ],
    );
    assert.equal(warnings[0]!.location?.file, '/w/.plugboard/overrides.json');
    assert.deepEqual(warnings[2]!.path, ['namespaces', 'public', 'orders', 'fields', 'gone']);
  });

  it('generate() returns them and still generates', async () => {
    const result = await generate(sampleModel(), pg(parseOverrides('{ "namespaces": { "public": { "orders": { "fields": { "gone": { "name": "x" } } } } } }')));
    assert.deepEqual(result.warnings.map((w) => w.key), ['public.orders.gone']);
    assert.ok(result.files.length > 0);
  });

  it('refuses renames that would clash, and one name imported from two modules', async () => {
    const clash = (text: string, message: RegExp) =>
      assert.rejects(generate(sampleModel(), pg(parseOverrides(text))), (err: unknown) => isPlugboardError(err) && err.code === 'INVALID_CONFIG' && message.test(err.message));
    await clash('{ "namespaces": { "public": { "orders": { "fields": { "status": { "name": "total" } } } } } }', /public\.orders: two fields would both be named "total"/);
    await clash('{ "namespaces": { "public": { "orders": { "name": "order_lines" } } } }', /public: two entities would both be named "order_lines"/);
    await clash(
      '{ "namespaces": { "public": { "orders": { "fields": { "total": { "tsType": "M", "import": { "name": "M", "from": "a" } }, "tags": { "tsType": "M", "import": { "name": "M", "from": "b" } } } } } } }',
      /"M" is imported from both "[ab]" and "[ab]"/,
    );
  });
});

describe('overrides: generated code', () => {
  it('relational: renames, replaced types with imports, nullability and skips; pg-crud maps names', async () => {
    const result = await generate(sampleModel(), pg(parseOverrides(SAMPLE_OVERRIDES)));
    const types = result.files.find((f) => f.path === 'public.types.ts')!.content;
    assert.match(types, /^import type \{ Money \} from "\.\.\/src\/money";$/m);
    assert.match(types, /export interface OrderRow \{/);
    assert.doesNotMatch(types, /OrdersRow|AuditLog/);
    assert.match(types, /\n {2}total: Money;\n/, 'tsType, and not null by the override');
    assert.match(types, /column "ship_to" in the database \*\/\n {2}shipTo: Address \| null;/);
    assert.match(types, /export interface OrderLinesKey \{\n {2}order_id: string;\n {2}lineNo: number;\n\}/);
    assert.match(types, /\n {2}proto: string;\n/);
    assert.match(types, /export interface OrderTotalsRow \{\n[^}]*\n {2}order_id: string;\n/);
    const crud = result.files.find((f) => f.path === 'public.crud.ts')!.content;
    assert.match(crud, /export const order = defineTable<T\.OrderRow, T\.OrderInsert, T\.OrderUpdate, T\.OrderKey>/);
    assert.match(crud, /\{"name":"shipTo","sql":"\\"ship_to\\""/, 'the runtime meta maps the property to the quoted column');
    assert.match(crud, /key: \["order_id","lineNo"\]/);
    assert.match(crud, /\["Order"\]: order\.bind\(db\)/);
    assert.doesNotMatch(crud, /audit log/);
  });

  it('headers carry the inputs hash; the fingerprint is the schema\'s alone', async () => {
    const plain = await generate(sampleModel(), pg());
    const withOverrides = await generate(sampleModel(), pg(parseOverrides(SAMPLE_OVERRIDES)));
    assert.equal(withOverrides.fingerprint, plain.fingerprint);
    assert.equal(withOverrides.fingerprint, fingerprint(sampleModel()));
    assert.equal(plain.inputs, undefined);
    assert.match(withOverrides.inputs ?? '', /^sha256:[0-9a-f]{32}$/);
    for (const f of withOverrides.files) assert.equal(parseHeader(f.content)?.inputs, withOverrides.inputs, f.path);
    for (const f of plain.files) assert.equal('inputs' in parseHeader(f.content)!, false, f.path);
    assert.equal(plain.files.find((f) => f.path === 'plugboard.schema.json')!.content, withOverrides.files.find((f) => f.path === 'plugboard.schema.json')!.content.replace(`,"inputs":"${withOverrides.inputs}"`, ''));

    const header = parseHeader(withOverrides.files[0]!.content)!;
    assert.equal(headerStatus(header, plain.fingerprint, withOverrides.inputs), 'current');
    assert.equal(headerStatus(header, plain.fingerprint, undefined), 'settings-changed', 'overrides removed');
    assert.equal(headerStatus(header, 'sha256:other', withOverrides.inputs), 'schema-changed');
    assert.equal(headerStatus(parseHeader(plain.files[0]!.content)!, plain.fingerprint, undefined), 'current', 'a header without inputs: no overrides');
    const changed = generationInputs(parseOverrides(SAMPLE_OVERRIDES.replace('"Order"', '"Purchase"')));
    assert.notEqual(changed, withOverrides.inputs);
    assert.equal(generationInputs(parseOverrides(JSON.stringify(JSON.parse(SAMPLE_OVERRIDES)))), withOverrides.inputs, 'formatting is not an input');
    assert.equal(generationInputs(parseOverrides('{}')), undefined);
  });

  it('documents: nested overrides reach nested members and the elements of arrays', async () => {
    const text = JSON.stringify({
      namespaces: {
        shop: {
          orders: {
            name: 'Order',
            fields: {
              meta: { tsType: 'OrderMeta', import: { name: 'OrderMeta', from: './meta' }, nullable: false },
              address: { fields: { zip: { tsType: '`${number}`' } } },
            },
          },
        },
      },
    });
    assert.throws(() => parseOverrides(text), /template literal/);
    const good = text.replace('`${number}`', 'ZipCode').replace('"fields":{"zip"', '"fields":{"geo":{"nullable":true},"zip"');
    const result = await generate(documentModel(), docs(parseOverrides(good.replace('"address":', '"lines":{"fields":{"qty":{"tsType":"number"}}},"address":'))));
    const types = result.files[0]!.content;
    assert.match(types, /^import type \{ OrderMeta \} from "\.\/meta";$/m);
    assert.match(types, /\n {2}meta: OrderMeta;\n/);
    assert.match(types, /\n {4}zip\?: ZipCode;\n/);
    assert.match(types, /\n {4}geo\?: \{\n[^}]*\} \| null;/);
    assert.match(types, /\n {2}lines: \(\{\n {4}sku: string;\n {4}qty: number;\n {2}\}\)\[\];/);
    assert.match(types, /export interface OrderRow/);
  });
});
