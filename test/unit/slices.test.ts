/**
 * Generation in slices (the extension host's way): the Slicer yields to the event loop once its slice is used
 * up and stops on a cancel, and generating with it gives exactly the files generating without it gives.
 */
import * as assert from 'node:assert/strict';
import { generate } from '../../src/core/codegen/generate';
import { isPlugboardError } from '../../src/core/errors';
import { generationDigest, generationDigestSliced } from '../../src/core/introspect/fingerprint';
import { SchemaModel } from '../../src/core/model';
import { Slicer } from '../../src/core/slices';
import { codegenFor } from '../support/host';
import { documentModel } from '../support/documentModel';
import { sampleModel } from '../support/sampleModel';

/** sampleModel plus a namespace with an awkward name and no entities, and one with more entities than a slice's step. */
function widerModel(): SchemaModel {
  const base = sampleModel();
  const orders = base.namespaces[0]!.entities[0]!;
  return SchemaModel.parse({
    ...base,
    namespaces: [
      ...base.namespaces,
      { name: 'empty "ns" ü', entities: [], enums: [{ name: 'e', values: ['a', 'b'] }], domains: [], composites: [], functions: [] },
      { name: 'many', entities: Array.from({ length: 40 }, (_, i) => ({ ...orders, name: `t${i}`, relations: [] })), enums: [], domains: [], composites: [], functions: [] },
    ],
  });
}

describe('Slicer', () => {
  it('yields to the event loop once its slice is used up, and not before', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('other task'));
    await new Slicer(60_000).pause();
    order.push('within the slice');
    await new Slicer(0).pause();
    order.push('after the slice');
    assert.deepEqual(order, ['within the slice', 'other task', 'after the slice']);
  });

  it('stops with CANCELLED when its signal has fired', async () => {
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(new Slicer(0, abort.signal, 'Generation').pause(), (err: unknown) => isPlugboardError(err) && err.code === 'CANCELLED' && /Generation was cancelled/.test(err.message));
  });
});

describe('generation in slices', () => {
  for (const [name, model] of [['sample', sampleModel()], ['wider', widerModel()], ['document', documentModel()]] as const) {
    it(`the same fingerprint and snapshot text as in one piece (${name} model)`, async () => {
      const whole = generationDigest(model, { snapshot: true });
      assert.deepEqual(await generationDigestSliced(model, new Slicer(0)), whole);
    });
  }

  for (const splitThreshold of [0, 3]) {
    it(`the same files, in the same order, as in one piece (split threshold ${splitThreshold})`, async () => {
      const options = codegenFor('postgres', { profileName: 'unit', targets: ['ts-types', 'pg-crud', 'zod'], splitThreshold });
      const model = widerModel();
      const whole = await generate(model, options);
      const sliced = await generate(model, { ...options, slicer: new Slicer(0) });
      assert.deepEqual(sliced, whole);
      if (splitThreshold) assert.ok(whole.files.some((f) => f.path.startsWith('many/')), 'the "many" namespace was split');
    });
  }

  it('a cancel between two files stops generation', async () => {
    const abort = new AbortController();
    const options = codegenFor('postgres', { profileName: 'unit', targets: ['ts-types', 'pg-crud'], splitThreshold: 3 });
    const pending = generate(widerModel(), { ...options, slicer: new Slicer(0, abort.signal, 'Generation') });
    abort.abort();
    await assert.rejects(pending, (err: unknown) => isPlugboardError(err) && err.code === 'CANCELLED');
  });
});
