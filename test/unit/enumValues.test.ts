/**
 * ts-types' enum value arrays: one readonly array per enum, in the database's order, its strings escaped,
 * named through the namespace's allocator (so a clash gets a suffix, and no existing name moved), and typed
 * so that its elements are exactly the enum's union.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { generate } from '../../src/core/codegen/generate';
import { TS_TYPES } from '../../src/core/codegen/targets';
import { SchemaModel } from '../../src/core/model';
import { documentModel, strictDiagnostics } from '../support/documentModel';
import { codegenFor } from '../support/host';
import { sampleModel } from '../support/sampleModel';
import { makeWorkDir } from '../support/workdir';

describe('ts-types: enum value arrays', () => {
  it('relational: escaped values in order; a clashing name gets a suffix and moves nothing else', async () => {
    const model = sampleModel();
    model.namespaces[0]!.composites.push({ name: 'order status values', fields: [] });
    model.namespaces[0]!.enums.push({ name: 'empty', values: [] });
    const types = (await generate(SchemaModel.parse(model), codegenFor('postgres', { profileName: 'e', targets: ['ts-types'] }))).files[0]!.content;
    assert.match(types, /export type OrderStatus =\n {2}\| "new"/, 'the enum keeps its name');
    assert.match(types, /export interface OrderStatusValues \{/, 'the composite keeps its name');
    assert.match(types, /export const OrderStatusValues_2 = \[\n {2}"new",\n {2}"it's paid",\n {2}"a \\"quoted\\" one",\n\] as const;/);
    assert.match(types, /export const EmptyValues = \[\] as const;/);
  });

  it('documents: the array\'s element type is the enum, under tsc --strict', async () => {
    const result = await generate(documentModel(), { profileName: 'd', targets: ['ts-types'], offers: [TS_TYPES], mapping: { types: {} } });
    const work = await makeWorkDir('enum-values');
    try {
      await fs.writeFile(path.join(work.dir, 'shop.types.ts'), result.files[0]!.content);
      await fs.writeFile(
        path.join(work.dir, 'use.ts'),
        [
          "import { ChannelValues, type Channel } from './shop.types';",
          'type Eq<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;',
          'export const same: Eq<(typeof ChannelValues)[number], Channel> = true;',
          "export const first: 'web' = ChannelValues[0];",
          '// @ts-expect-error the array is readonly',
          'ChannelValues.push("web");',
        ].join('\n'),
      );
      assert.deepEqual(strictDiagnostics(work.dir, ['shop.types.ts', 'use.ts']), []);
    } finally {
      await work.remove();
    }
  });
});
