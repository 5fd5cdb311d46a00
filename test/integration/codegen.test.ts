/**
 * Generates both SQL targets from the hostile schema, compiles them with `tsc --strict`, and runs the
 * generated pg-crud client against the local server and against PGlite (insert → get → update → list →
 * delete for simple, composite-key, hostile-name, enum/array/json/composite and partitioned tables).
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Pool } from 'pg';
import { generate } from '../../src/core/codegen/generate';
import { writeGeneratedFiles } from '../../src/core/codegen/writer';
import { parseHeader } from '../../src/core/codegen/header';
import { fingerprint } from '../../src/core/introspect/fingerprint';
import type { SchemaModel } from '../../src/core/model';
import { codegenFor } from '../support/host';
import { startPglite, type PgliteServer } from '../support/pglite';
import { createScratchDatabase, requirePostgres, type ScratchDatabase } from '../support/postgres';
import { HOSTILE_SQL, introspectOnce } from '../support/sessions';
import { startTogether } from '../support/settle';
import { compileFolder, listFiles, makeWorkDir, REPO } from '../support/workdir';

type Scenarios = Record<string, (pool: Pool) => Promise<void>>;

/** The scenarios test/fixtures/crud-driver.ts must export, listed here so mocha can name one test each. */
const SCENARIOS = [
  'simple table',
  'composite primary key and composite foreign key',
  'hostile column names',
  'enums, arrays, jsonb, composites, domains',
  'partitioned table',
  'self and cross-schema foreign keys',
  'views and tables without a key are read-only',
];

describe('generated clients for the hostile schema', function () {
  this.timeout(120_000);
  let scratch: ScratchDatabase | undefined;
  let pglite: PgliteServer | undefined;
  let work: Awaited<ReturnType<typeof makeWorkDir>> | undefined;
  let localModel: SchemaModel;
  let pgliteModel: SchemaModel;
  let gen: string;
  let scenarios: Scenarios | undefined;

  before(async function () {
    await requirePostgres();
    await startTogether([createScratchDatabase('codegen'), startPglite(HOSTILE_SQL, 'pglite-codegen'), makeWorkDir('codegen')] as const, (s) => {
      [scratch, pglite, work] = s;
    });
    await scratch!.exec(HOSTILE_SQL);
    [localModel, pgliteModel] = await Promise.all([
      introspectOnce(scratch!.profile, scratch!.secret).then((r) => r.model),
      introspectOnce(pglite!.profile).then((r) => r.model),
    ]);
    gen = path.join(work!.dir, 'gen');
  });

  after(async () => {
    await Promise.allSettled([scratch?.drop(), pglite?.stop(), work?.remove()]);
  });

  it('both servers give the same model, hence the same fingerprint', () => {
    assert.equal(fingerprint(pgliteModel), fingerprint(localModel));
  });

  it('writes ts-types and pg-crud files with our header, one module per schema', async () => {
    const result = await generate(localModel, codegenFor('postgres', { profileName: 'hostile "profile"', targets: ['pg-crud'] }));
    assert.deepEqual(result.targets, ['ts-types', 'pg-crud'], 'pg-crud pulls in the types it imports');
    const written = await writeGeneratedFiles(gen, result.files);
    const names = (await listFiles(gen)).map((f) => path.relative(gen, f));
    assert.deepEqual(names, [
      'hostile_schema_cafe.crud.ts',
      'hostile_schema_cafe.types.ts',
      'plugboard-pg-runtime.ts',
      'plugboard.schema.json',
      'public.crud.ts',
      'public.types.ts',
    ]);
    assert.equal(written.written.length, 6);
    for (const file of written.written) {
      const header = parseHeader(await fs.readFile(file, 'utf8'));
      assert.equal(header?.fingerprint, result.fingerprint, `header of ${file}`);
      assert.equal(header?.profile, 'hostile "profile"');
    }
    const again = await writeGeneratedFiles(gen, (await generate(localModel, codegenFor('postgres', { profileName: 'hostile "profile"', targets: ['ts-types', 'pg-crud'] }))).files);
    assert.deepEqual([again.written.length, again.unchanged.length], [0, 6], 'regenerating an unchanged schema changes nothing on disk');
  });

  it('the generated files compile with tsc --strict and need no pg types', async () => {
    // types: [] — no @types/node, no @types/pg: the generated code stands on its own.
    const result = await compileFolder(gen, { emit: false, types: [] });
    assert.equal(result.code, 0, `tsc --strict failed:\n${result.stdout}${result.stderr}`);
  });

  it('a program using the client with a pg Pool compiles with tsc --strict (and misuse does not)', async () => {
    await fs.copyFile(path.join(REPO, 'test', 'fixtures', 'crud-driver.ts'), path.join(gen, 'crud-driver.ts'));
    const result = await compileFolder(gen, { emit: true, types: ['node'] });
    assert.equal(result.code, 0, `tsc --strict failed:\n${result.stdout}${result.stderr}`);
     
    scenarios = (require(path.join(gen, 'js', 'crud-driver.js')) as { scenarios: Scenarios }).scenarios;
    assert.deepEqual(Object.keys(scenarios), SCENARIOS);
  });

  for (const backend of ['local PostgreSQL', 'PGlite'] as const) {
    describe(`round trips on ${backend}`, () => {
      let pool: Pool | undefined;
      before(function () {
        if (!scenarios) throw new Error('the client did not compile; see the test above');
        const target = backend === 'PGlite' ? pglite!.profile : scratch!.profile;
        // PGlite runs every client in one session: one connection (backends.md).
        const password = backend === 'PGlite' ? undefined : scratch!.secret.password;
        const o = target.options as { host: string; port: number; database: string; user: string };
        pool = new Pool({ host: o.host, port: o.port, database: o.database, user: o.user, password, max: backend === 'PGlite' ? 1 : 4 });
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
