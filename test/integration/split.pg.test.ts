/**
 * Issue 15, item 11: big schemas split into parts with an index file. On a real PostgreSQL schema (the hostile
 * one, plus names with slashes and Cyrillic, `Users` beside `users`), generated with a threshold of 1 so every
 * schema splits one entity per part: the files compile under tsc --strict, the index of every target exports
 * exactly the names the unsplit file does, the CRUD round trips of test/fixtures/crud-driver.ts (which imports
 * `./public.crud` and `./public.types`) pass unchanged, and parts of dropped tables, or of a schema no longer
 * split, are removed (never a user's file), all or nothing.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Pool } from 'pg';
import * as ts from 'typescript';
import { generate } from '../../src/core/codegen/generate';
import { parseHeader } from '../../src/core/codegen/header';
import { writeGeneratedFiles } from '../../src/core/codegen/writer';
import type { SchemaModel } from '../../src/core/model';
import { codegenFor } from '../support/host';
import { createScratchDatabase, requirePostgres, type ScratchDatabase } from '../support/postgres';
import { HOSTILE_SQL, introspectOnce } from '../support/sessions';
import { compileFolder, listFiles, makeWorkDir, REPO } from '../support/workdir';

type Scenarios = Record<string, (pool: Pool) => Promise<void>>;

const EXTRA_SQL = `
CREATE TABLE public."a/b\\c" (id int PRIMARY KEY, "Заказ" text);
CREATE TABLE public."Заказы" (id int PRIMARY KEY, status public.status NOT NULL);
CREATE TABLE public.con (id int PRIMARY KEY);
`;

const TARGETS = ['ts-types', 'pg-crud', 'zod'];
const PROFILE = 'split "profile"';

async function gen(model: SchemaModel, splitThreshold: number) {
  return generate(model, codegenFor('postgres', { profileName: PROFILE, targets: TARGETS, splitThreshold }));
}

/** The names a module exports, as TypeScript resolves them (through `export *`). */
function exportsOf(dir: string, files: string[]): Map<string, string[]> {
  const program = ts.createProgram(
    files.map((f) => path.join(dir, f)),
    { strict: true, noEmit: true, skipLibCheck: true, types: [], module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, target: ts.ScriptTarget.ES2022, baseUrl: REPO, paths: { 'zod/v4': [path.join(REPO, 'node_modules', 'zod', 'v4')] } },
  );
  const checker = program.getTypeChecker();
  const out = new Map<string, string[]>();
  for (const f of files) {
    const source = program.getSourceFile(path.join(dir, f))!;
    const symbol = checker.getSymbolAtLocation(source)!;
    out.set(f, checker.getExportsOfModule(symbol).map((s) => s.name).sort());
  }
  return out;
}

describe('split generation on PostgreSQL (issue 15, item 11)', function () {
  this.timeout(180_000);
  let scratch: ScratchDatabase | undefined;
  let work: Awaited<ReturnType<typeof makeWorkDir>> | undefined;
  let model: SchemaModel;
  let splitDir: string;
  let wholeDir: string;

  before(async function () {
    await requirePostgres();
    [scratch, work] = await Promise.all([createScratchDatabase('split'), makeWorkDir('split')]);
    await scratch.exec(HOSTILE_SQL + EXTRA_SQL);
    model = (await introspectOnce(scratch.profile, scratch.secret)).model;
    splitDir = path.join(work.dir, 'split');
    wholeDir = path.join(work.dir, 'whole');
  });

  after(async () => {
    await Promise.allSettled([scratch?.drop(), work?.remove()]);
  });

  it('splits every schema above the threshold into an index and parts, each with the header', async () => {
    const result = await gen(model, 1);
    await writeGeneratedFiles(splitDir, result.files);
    await writeGeneratedFiles(wholeDir, (await gen(model, 0)).files);
    const names = (await listFiles(splitDir)).map((f) => path.relative(splitDir, f).split(path.sep).join('/'));
    for (const index of ['public.types.ts', 'public.crud.ts', 'public.zod.ts', 'hostile_schema_cafe.types.ts', 'hostile_schema_cafe.crud.ts']) {
      assert.ok(names.includes(index), `${index} is there`);
    }
    for (const part of ['public/_shared.types.ts', 'public/users.types.ts', 'public/users-2.types.ts', 'public/users.crud.ts', 'public/users-2.crud.ts', 'public/select.zod.ts', 'public/a_b_c.types.ts', 'public/con_.types.ts', 'public/entity.types.ts']) {
      assert.ok(names.includes(part), `${part} is there: ${names.join(', ')}`);
    }
    for (const file of result.files) {
      const header = parseHeader(file.content);
      assert.equal(header?.fingerprint, result.fingerprint, file.path);
      assert.equal(header?.partOf, file.path.includes('/') ? `${file.path.split('/')[0]}.${file.path.split('.').slice(-2, -1)[0]}.ts` : undefined, file.path);
    }
    const index = result.files.find((f) => f.path === 'public.types.ts')!.content;
    assert.ok(index.split('\n').length < 80, `the index is small:\n${index}`);
  });

  it('the split files compile with tsc --strict, as the whole ones do', async () => {
    for (const dir of [splitDir, wholeDir]) {
      const result = await compileFolder(dir, { emit: false, types: [] });
      assert.equal(result.code, 0, `tsc --strict failed in ${path.basename(dir)}:\n${result.stdout}${result.stderr}`);
    }
  });

  it('every index exports exactly the names of the unsplit file', () => {
    const files = ['public.types.ts', 'public.crud.ts', 'public.zod.ts', 'hostile_schema_cafe.types.ts', 'hostile_schema_cafe.crud.ts', 'hostile_schema_cafe.zod.ts'];
    const split = exportsOf(splitDir, files);
    const whole = exportsOf(wholeDir, files);
    for (const f of files) {
      assert.ok(whole.get(f)!.length >= 3, `${f} exports names`);
      assert.deepEqual(split.get(f), whole.get(f), `${f}: the same exported names`);
    }
  });

  it('a program importing ./public.crud and ./public.types runs its round trips against the split client', async () => {
    await fs.copyFile(path.join(REPO, 'test', 'fixtures', 'crud-driver.ts'), path.join(splitDir, 'crud-driver.ts'));
    const compiled = await compileFolder(splitDir, { emit: true, types: ['node'] });
    assert.equal(compiled.code, 0, `tsc --strict failed:\n${compiled.stdout}${compiled.stderr}`);
    const { Pool: PgPool } = await import('pg');
    const o = scratch!.profile.options as { host: string; port: number; database: string; user: string };
    const pool = new PgPool({ host: o.host, port: o.port, database: o.database, user: o.user, password: scratch!.secret.password, max: 4 });
    pool.on('error', () => undefined);
    try {
      const { scenarios } = require(path.join(splitDir, 'js', 'crud-driver.js')) as { scenarios: Scenarios };
      assert.ok(Object.keys(scenarios).length >= 5);
      for (const run of Object.values(scenarios)) await run(pool);
    } finally {
      await pool.end();
    }
  });

  it('removes the parts of dropped tables, and every part once the schema is below the threshold; never a user file', async () => {
    await fs.rm(path.join(splitDir, 'js'), { recursive: true, force: true });
    await fs.rm(path.join(splitDir, 'crud-driver.ts'));
    const mine = path.join(splitDir, 'public', 'notes.ts');
    await fs.writeFile(mine, 'export const mine = 1;\n');
    await scratch!.exec('DROP TABLE public.con; DROP TABLE public."a/b\\c";');
    const smaller = (await introspectOnce(scratch!.profile, scratch!.secret)).model;

    // A cancelled write changes nothing: the stale parts stay.
    const cancel = new AbortController();
    cancel.abort();
    await assert.rejects(writeGeneratedFiles(splitDir, (await gen(smaller, 1)).files, cancel.signal));
    assert.ok(await exists(path.join(splitDir, 'public', 'con_.types.ts')), 'nothing removed after a cancel');

    const dropped = await writeGeneratedFiles(splitDir, (await gen(smaller, 1)).files);
    const removed = dropped.removed.map((f) => path.relative(splitDir, f).split(path.sep).join('/')).sort();
    assert.deepEqual(removed, ['public/a_b_c.crud.ts', 'public/a_b_c.types.ts', 'public/a_b_c.zod.ts', 'public/con_.crud.ts', 'public/con_.types.ts', 'public/con_.zod.ts']);
    assert.equal((await compileFolder(splitDir, { emit: false, types: [] })).code, 0, 'still compiles');

    const unsplit = await writeGeneratedFiles(splitDir, (await gen(smaller, 0)).files);
    assert.ok(unsplit.removed.length > 20, `every part removed (${unsplit.removed.length})`);
    const left = (await listFiles(splitDir)).map((f) => path.relative(splitDir, f).split(path.sep).join('/'));
    assert.deepEqual(left.filter((f) => f.includes('/')), ['public/notes.ts'], 'only the user file is left in a parts folder');
    assert.ok(!(await exists(path.join(splitDir, 'hostile_schema_cafe'))), 'an emptied parts folder is removed');
    assert.equal(await fs.readFile(mine, 'utf8'), 'export const mine = 1;\n');
    await fs.rm(mine);
    const wholeAgain = await gen(smaller, 0);
    for (const f of wholeAgain.files) assert.equal(await fs.readFile(path.join(splitDir, f.path), 'utf8'), f.content, `${f.path} is the unsplit file`);
  });
});

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}
