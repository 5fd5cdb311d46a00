import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generate, SNAPSHOT_FILE } from '../../src/core/codegen/generate';
import { writeGeneratedFiles } from '../../src/core/codegen/writer';
import { checkDrift } from '../../src/core/introspect/drift';
import { fingerprint } from '../../src/core/introspect/fingerprint';
import { codegenFor } from '../support/host';
import { field, sampleModel } from '../support/sampleModel';

describe('drift check', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'plugboard-drift-'));
    await writeGeneratedFiles(dir, (await generate(sampleModel(), codegenFor('postgres', { profileName: 'unit', targets: ['ts-types', 'pg-crud'] }))).files);
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('is fresh for the model the files were generated from (in any order)', async () => {
    const report = await checkDrift(dir, sampleModel());
    assert.equal(report.stale, false);
    assert.equal(report.live, fingerprint(sampleModel()));
    assert.equal(report.files.length, 6);
    assert.deepEqual(report.changes, []);
  });

  it('is stale after a change and explains it from the snapshot', async () => {
    const live = sampleModel();
    live.namespaces[0]!.entities[0]!.fields.push(field('nick name', 'string', { nullable: true }));
    const report = await checkDrift(dir, live);
    assert.equal(report.stale, true);
    assert.ok(report.files.every((f) => f.stale));
    assert.deepEqual(report.changes, [{ kind: 'added', subject: 'column public.orders.nick name' }]);
  });

  it('a damaged snapshot costs the details, not the check', async () => {
    await fs.writeFile(path.join(dir, SNAPSHOT_FILE), '{ "$plugboard": oops');
    const live = sampleModel();
    live.namespaces[0]!.enums[0]!.values.push('late');
    const report = await checkDrift(dir, live);
    assert.equal(report.stale, true);
    assert.deepEqual(report.changes, []);
    await fs.writeFile(path.join(dir, SNAPSHOT_FILE), 'null');
    assert.equal((await checkDrift(dir, live)).stale, true);
  });

  it('on a worker thread (the editor), says the same as on this one', async () => {
    const live = sampleModel();
    live.namespaces[0]!.entities[0]!.fields.push(field('nick name', 'string', { nullable: true }));
    live.namespaces[0]!.enums[0]!.values.push('late');
    live.namespaces[0]!.entities[1]!.comment = 'now with a comment, and "quotes" \u2028 and ünïcode';
    const here = await checkDrift(dir, live);
    const there = await checkDrift(dir, live, undefined, { offThread: true });
    assert.equal(here.changes.length, 3, JSON.stringify(here.changes));
    assert.deepEqual(there, here);
    await fs.writeFile(path.join(dir, SNAPSHOT_FILE), '{ "$plugboard": oops');
    assert.deepEqual(await checkDrift(dir, live, undefined, { offThread: true }), await checkDrift(dir, live));
    assert.equal((await checkDrift(dir, live, undefined, { offThread: true })).snapshot, 'unreadable');
    await fs.rm(path.join(dir, SNAPSHOT_FILE));
    assert.equal((await checkDrift(dir, live, undefined, { offThread: true })).snapshot, 'missing');
  });

  it('when the worker fails, answers on this thread instead', async () => {
    const live = sampleModel();
    // Not a valid model: it hashes and diffs, but the worker cannot read it back and throws.
    live.namespaces[0]!.entities[0]!.fields.push(field('odd', 'not-a-type' as never));
    const there = await checkDrift(dir, live, undefined, { offThread: true });
    assert.equal(there.snapshot, 'read');
    assert.deepEqual(there, await checkDrift(dir, live));
    assert.deepEqual(there.changes, [{ kind: 'added', subject: 'column public.orders.odd' }]);
  });

  it('finds no files in an empty or missing folder', async () => {
    assert.deepEqual((await checkDrift(path.join(dir, 'nope'), sampleModel())).files, []);
  });
});
