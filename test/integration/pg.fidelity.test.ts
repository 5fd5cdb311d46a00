/**
 * The types pg reads in its own way, end to end: ts-types and pg-crud generated from
 * test/fixtures/pg-functions.sql compile under `tsc --strict`, and test/fixtures/fidelity-driver.ts, compiled
 * against them, round-trips points, numeric arrays, an int[] domain, composites of a table's row type,
 * intervals and an updatable view through the generated client, on the local server and on PGlite.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Pool } from 'pg';
import { writeGeneratedFiles } from '../../src/core/codegen/writer';
import { generatePg, introspectPg, scratchProfile } from '../support/pgBackend';
import { FUNCTIONS_FILTER, FUNCTIONS_SQL } from '../support/pgFunctionsExpected';
import { startPglite, type PgliteServer } from '../support/pglite';
import { clientConfig, createScratchDatabase, requirePostgres, type ScratchDatabase } from '../support/postgres';
import { startTogether } from '../support/settle';
import { compileFolder, makeWorkDir, REPO } from '../support/workdir';

type Scenarios = Record<string, (pool: Pool) => Promise<void>>;

/** The scenarios test/fixtures/fidelity-driver.ts must export, listed here so mocha can name one test each. */
const SCENARIOS = [
  'point and circle: objects that write back',
  'numeric arrays keep every digit',
  'an int[] domain holds numbers',
  "a composite of a table row type is that table's Row",
  'intervals: an Interval object means what it says',
  'an updatable view without a key: insert, and update and delete by a filter',
];

describe('generated pg-crud reads back what its types say', function () {
  this.timeout(120_000);
  let scratch: ScratchDatabase | undefined;
  let pglite: PgliteServer | undefined;
  let work: Awaited<ReturnType<typeof makeWorkDir>> | undefined;
  let gen: string;
  let scenarios: Scenarios | undefined;

  before(async () => {
    await requirePostgres();
    await startTogether([createScratchDatabase('fidelity'), startPglite(FUNCTIONS_SQL, 'pglite-fidelity'), makeWorkDir('fidelity')] as const, (s) => {
      [scratch, pglite, work] = s;
    });
    await scratch!.exec(FUNCTIONS_SQL);
    gen = path.join(work!.dir, 'gen');
  });
  after(async () => {
    await Promise.allSettled([scratch?.drop(), pglite?.stop(), work?.remove()]);
  });

  it('generates ts-types and pg-crud that compile with tsc --strict on their own', async () => {
    const { model } = await introspectPg(scratchProfile(scratch!), scratch!.secret, FUNCTIONS_FILTER);
    const result = await generatePg(model, ['pg-crud'], 'fidelity');
    await writeGeneratedFiles(gen, result.files);
    const compiled = await compileFolder(gen, { emit: false, types: [] });
    assert.equal(compiled.code, 0, `tsc --strict failed:\n${compiled.stdout}${compiled.stderr}`);
  });

  it('a program reading the values into their generated types compiles (and misuse does not)', async () => {
    await fs.copyFile(path.join(REPO, 'test', 'fixtures', 'fidelity-driver.ts'), path.join(gen, 'fidelity-driver.ts'));
    const compiled = await compileFolder(gen, { emit: true, types: ['node'] });
    assert.equal(compiled.code, 0, `tsc --strict failed:\n${compiled.stdout}${compiled.stderr}`);
     
    scenarios = (require(path.join(gen, 'js', 'fidelity-driver.js')) as { scenarios: Scenarios }).scenarios;
    assert.deepEqual(Object.keys(scenarios), SCENARIOS);
  });

  for (const server of ['local PostgreSQL', 'PGlite'] as const) {
    describe(`round trips on ${server}`, () => {
      let pool: Pool | undefined;
      before(function () {
        if (!scenarios) throw new Error('the client did not compile; see the test above');
        // PGlite runs every client in one session: one connection.
        const target = server === 'PGlite' ? { host: pglite!.host, port: pglite!.port, database: 'postgres', user: 'postgres' } : clientConfig(scratch!.name);
        pool = new Pool({ ...target, password: server === 'PGlite' ? undefined : scratch!.secret.password, max: server === 'PGlite' ? 1 : 4, connectionTimeoutMillis: 10_000 });
        pool.on('error', () => undefined);
      });
      after(async () => {
        await pool?.end();
      });
      for (const name of SCENARIOS) {
        it(name, async () => {
          await scenarios![name]!(pool!);
        });
      }
    });
  }
});
