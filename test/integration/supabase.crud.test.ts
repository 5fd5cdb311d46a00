/**
 * supabase-crud end to end against the real PostgREST: the generated client and test/fixtures/
 * supabase-crud-driver.ts compile under tsc --strict and run as their own process, reading SUPABASE_URL and
 * SUPABASE_ANON_KEY, through supabase-js; and the RLS advisor's warnings match what the anon key can
 * really do, table by table.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { anonClientConfirmation } from '../../src/backends/supabase/confirm';
import { adviseRls, hasRlsFacts, rlsOffTables, type Advice } from '../../src/core/advise/rls';
import { generate } from '../../src/core/codegen/generate';
import { writeGeneratedFiles } from '../../src/core/codegen/writer';
import type { SchemaModel } from '../../src/core/model';
import { canaryForms } from '../support/canary';
import { codegenFor } from '../support/host';
import { nodeOptionsForSupabaseJs, supabaseClient } from '../support/supabase';
import { introspectSupabase, startSupabaseProject, type SupabaseProject } from '../support/supabaseProject';
import { compileFolder, listFiles, makeWorkDir, REPO, runProgram } from '../support/workdir';

const SQL = readFileSync(path.join(REPO, 'test', 'fixtures', 'supabase-crud.sql'), 'utf8');

const SCENARIOS = [
  'a table by its key: insert, get, update, list, count, delete (every write returns the row)',
  'a composite primary key',
  'hostile names in keys and filters',
  'read-only helpers for a table without a key and a view that is not written through',
  'a view written through: insert, and update and delete by a filter',
  'typed RPC: a scalar with a default, a set of rows, void',
  'RLS refusals arrive as SupabaseCrudError with the server code',
];

/** A row each table accepts (fresh keys every call). */
const SAMPLE_ROWS: Record<string, () => Record<string, unknown>> = {
  notes: () => ({ body: `rls ${randomUUID()}` }),
  log_lines: () => ({ line: `rls ${randomUUID()}` }),
  'weird "name"': () => ({ 'has space': randomUUID() }),
  memberships: () => ({ org: 'rls', member: randomUUID() }),
  audit: () => ({ id: Math.floor(Math.random() * 1e9), entry: 'from anon' }),
  guarded: () => ({ id: Math.floor(Math.random() * 1e9), body: 'from anon' }),
};

describe('supabase-crud and the RLS advisor on a real PostgREST', function () {
  this.timeout(180_000);
  let project: SupabaseProject | undefined;
  let work: Awaited<ReturnType<typeof makeWorkDir>> | undefined;
  let model: SchemaModel | undefined;
  let compiled = false;

  before(async () => {
    [project, work] = await Promise.all([startSupabaseProject(SQL), makeWorkDir('supabase-crud')]);
    model = await introspectSupabase(project);
  });
  after(async () => {
    await Promise.allSettled([project?.stop(), work?.remove()]);
  });

  it('generates supabase-crud that compiles with a program using it under tsc --strict', async () => {
    const result = await generate(model!, codegenFor('supabase', { profileName: 'crud test', targets: ['supabase-crud'] }));
    await writeGeneratedFiles(work!.dir, result.files);
    await fs.copyFile(path.join(REPO, 'test', 'fixtures', 'supabase-crud-driver.ts'), path.join(work!.dir, 'supabase-crud-driver.ts'));
    const out = await compileFolder(work!.dir, { emit: true, types: ['node'] });
    assert.equal(out.code, 0, `tsc --strict failed:\n${out.stdout}${out.stderr}`);
    compiled = true;
  });

  it('round-trips through supabase-js in its own process, configured only by SUPABASE_URL and SUPABASE_ANON_KEY', async () => {
    if (!compiled) throw new Error('the client did not compile; see the test above');
    const env = { PATH: process.env.PATH ?? '', SUPABASE_URL: project!.server.url, SUPABASE_ANON_KEY: project!.server.anonKey, NODE_OPTIONS: nodeOptionsForSupabaseJs('') };
    const run = await runProgram(process.execPath, [path.join(work!.dir, 'js', 'supabase-crud-driver.js')], { cwd: work!.dir, env, timeoutMs: 60_000 });
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout.trim().split('\n').pop()!) as { passed: string[]; failed: { name: string; error: string }[] };
    assert.deepEqual(report.failed, []);
    assert.deepEqual(report.passed, SCENARIOS);
  });

  it('the generated client says it reads SUPABASE_URL and SUPABASE_ANON_KEY, and holds no key, URL or password', async () => {
    const files = await listFiles(work!.dir);
    const crud = await fs.readFile(path.join(work!.dir, 'supabase.crud.ts'), 'utf8');
    assert.match(crud.split('\n').slice(0, 12).join('\n'), /SUPABASE_URL[\s\S]*SUPABASE_ANON_KEY/);
    for (const file of files.filter((f) => /\.(ts|json)$/.test(f))) {
      const text = await fs.readFile(file, 'utf8');
      for (const secret of [project!.server.anonKey, project!.server.serviceKey, project!.server.jwtSecret, project!.server.url, ...canaryForms()]) {
        assert.ok(!text.includes(secret), `${path.basename(file)} holds a secret or the project URL (not printed)`);
      }
    }
  });

  it('advises: RLS off, RLS on without a policy, a policy opening writes to anon; nothing for sound policies', () => {
    assert.ok(hasRlsFacts(model!));
    const advice = adviseRls(model!).map((a) => `${a.entity.entity} ${a.code} ${a.severity}${a.policy ? ` ${a.policy}` : ''}`);
    assert.deepEqual(advice.sort(), [
      'audit rls_no_policy warning',
      'log_lines rls_disabled error',
      'memberships anon_write_unrestricted warning anyone may do anything',
      'notes rls_disabled error',
      'weird "name" rls_disabled error',
    ]);
    const open = adviseRls(model!).find((a) => a.code === 'anon_write_unrestricted')!;
    assert.match(open.message, /lets anon INSERT, UPDATE, DELETE any row \(USING \(true\)\)/);
  });

  it('RLS allows and denies exactly as the advisor says, table by table', async () => {
    const anon = supabaseClient(project!.server.url, project!.server.anonKey);
    const service = supabaseClient(project!.server.url, project!.server.serviceKey);
    const advice = adviseRls(model!);
    const tables = model!.namespaces.flatMap((ns) => ns.entities.filter((e) => e.rls).map((e) => e.name));
    assert.deepEqual([...tables].sort(), Object.keys(SAMPLE_ROWS).sort());
    for (const table of tables) {
      const codes = advice.filter((a: Advice) => a.entity.entity === table).map((a) => a.code);
      const anonWrites = codes.includes('rls_disabled') || codes.includes('anon_write_unrestricted');
      const inserted = await anon.from(table).insert(SAMPLE_ROWS[table]!());
      assert.equal(inserted.error === null, anonWrites, `${table}: anon insert ${inserted.error ? `refused (${inserted.error.code})` : 'allowed'}, advice ${codes.join(', ') || 'none'}`);
      if (inserted.error) assert.equal(inserted.error.code, '42501', table);
      const seenByAnon = (await anon.from(table).select('*')).data?.length ?? 0;
      const seenByService = (await service.from(table).select('*')).data?.length ?? 0;
      assert.ok(seenByService > 0, `${table} has rows`);
      assert.equal(seenByAnon === 0, codes.includes('rls_no_policy'), `${table}: anon sees ${seenByAnon} of ${seenByService} rows, advice ${codes.join(', ') || 'none'}`);
    }
  });

  it('asks before generating an anon-key client for tables with RLS off', () => {
    assert.deepEqual(rlsOffTables(model!).map((t) => t.entity), ['log_lines', 'notes', 'weird "name"']);
    const ask = anonClientConfirmation(model!, ['supabase-types', 'supabase-crud']);
    assert.ok(ask);
    assert.deepEqual(ask.tables.map((t) => `${t.namespace}.${t.entity}`), ['public.log_lines', 'public.notes', 'public.weird "name"']);
    assert.match(ask.message, /^supabase-crud calls the API with the anon key, and row-level security is off on public\.log_lines, public\.notes, public\.weird "name"/);
    assert.equal(anonClientConfirmation(model!, ['supabase-types', 'docs-markdown']), undefined, 'types alone need no confirmation');
  });
});
