/**
 * The CLI as CI uses it: dist/cli.js in a child process, against the local server, a password-protected
 * cluster (whose password is the canary) and the embedded demo database. Exit codes: 0 ok, 1 drift,
 * 2 usage, 3 backend, 4 internal.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { SchemaModel } from '../../src/core/model';
import { parseHeader } from '../../src/core/codegen/header';
import { assertNoCanary, CANARY } from '../support/canary';
import { ensureCliBuilt, runCli } from '../support/cli';
import { HOSTILE_SCHEMA } from '../support/hostileExpected';
import { freePort } from '../support/net';
import { createScratchDatabase, requirePostgres, type ScratchDatabase } from '../support/postgres';
import { startScramCluster, type ScramCluster } from '../support/scramCluster';
import { HOSTILE_SQL } from '../support/sessions';
import { startTogether } from '../support/settle';
import { CLI, listFiles, makeWorkDir, runProgram, type RunResult } from '../support/workdir';

/** Every line of output is checked for the canary; failures show the exit code and both streams. */
function expectExit(result: RunResult, code: number, what: string): RunResult {
  assertNoCanary(result.stdout + result.stderr, `the output of ${what}`);
  assert.equal(result.code, code, `${what}: exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result;
}

function errorLine(result: RunResult): string {
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${result.stderr}`);
  return lines[0]!;
}

describe('the CLI (dist/cli.js)', function () {
  this.timeout(90_000);
  let scratch: ScratchDatabase | undefined;
  let cluster: ScramCluster | undefined;
  let work: Awaited<ReturnType<typeof makeWorkDir>> | undefined;
  let demo: Promise<RunResult> | undefined;
  let env: Record<string, string>;
  let secretUrl: string;

  before(async () => {
    await requirePostgres();
    await ensureCliBuilt();
    // The demo starts PGlite cold (3–4 s): run it alongside the other tests and collect it in its own test.
    demo = runCli(['introspect', '--demo', '--json']);
    await startTogether([createScratchDatabase('cli'), startScramCluster(CANARY), makeWorkDir('cli')] as const, (s) => {
      [scratch, cluster, work] = s;
    });
    await scratch!.exec(HOSTILE_SQL);
    secretUrl = `postgresql://postgres:${encodeURIComponent(CANARY)}@127.0.0.1:${cluster!.port}/postgres?sslmode=require`;
    const client = new Client({ connectionString: secretUrl.replace('sslmode=require', 'sslmode=no-verify') });
    await client.connect();
    await client.query(HOSTILE_SQL);
    await client.end();
    env = { PB_TEST_URL: scratch!.url, PB_SECRET_URL: secretUrl };
  });
  after(async () => {
    await demo?.catch(() => undefined);
    await Promise.allSettled([scratch?.drop(), cluster?.stop(), work?.remove()]);
  });

  describe('usage', () => {
    it('--help prints the usage and exits 0', async () => {
      const r = expectExit(await runCli(['--help']), 0, '--help');
      assert.match(r.stdout, /^Usage: plugboard <command>/);
      assert.match(r.stdout, /Exit codes: 0 ok, 1 schema drift/);
    });

    const usageErrors: [string, string[], RegExp][] = [
      ['no command', [], /Usage/],
      ['an unknown command', ['frobnicate', '--demo'], /Unknown command "frobnicate"/],
      ['an unknown flag', ['introspect', '--bogus'], /INVALID_CONFIG: .*bogus/],
      ['a flag without its value', ['introspect', '--url'], /INVALID_CONFIG: .*--url/],
      ['no connection', ['introspect'], /No connection given/],
      ['an unset --url-env variable', ['introspect', '--url-env', 'PB_NOT_SET_ANYWHERE'], /PB_NOT_SET_ANYWHERE is not set/],
      ['generate without --out', ['generate', '--url-env', 'PB_TEST_URL'], /generate needs --out DIR/],
      // Checked before connecting: the unreachable URL would otherwise turn these into exit 3.
      ['a bad --int8-as', ['generate', '--url', 'postgres://127.0.0.1:1/x', '--out', '/tmp/never', '--int8-as', 'float'], /--int8-as must be one of string, number, bigint/],
      ['an unknown target', ['generate', '--url', 'postgres://127.0.0.1:1/x', '--out', '/tmp/never', '--target', 'cobol'], /Target "cobol" does not apply/],
      ['check without --out', ['check', '--url', 'postgres://127.0.0.1:1/x'], /check needs --out DIR/],
      ['a URL no backend handles', ['health', '--url', 'redis://root@127.0.0.1/test'], /No backend handles "redis:\/\/" URLs/],
    ];
    for (const [what, args, pattern] of usageErrors) {
      it(`${what} → exit 2 with a one-line reason`, async () => {
        const r = expectExit(await runCli(args, { env }), 2, what);
        if (args.length) assert.match(errorLine(r), pattern);
        else assert.match(r.stdout, pattern);
      });
    }

    it('a malformed URL with a password → exit 2, and the password is not echoed', async () => {
      const r = expectExit(await runCli(['health', '--url', `postgres://postgres:${encodeURIComponent(CANARY)}@127.0.0.1:99999/db`]), 2, 'a malformed URL');
      assert.match(errorLine(r), /^plugboard: INVALID_CONFIG: /);
    });
  });

  describe('against the local server', () => {
    let out: string;
    before(() => {
      out = path.join(work!.dir, 'client');
    });

    it('health → exit 0 with the server version and latency', async () => {
      const r = expectExit(await runCli(['health', '--url-env', 'PB_TEST_URL'], { env }), 0, 'health');
      assert.match(r.stdout, /^ok {2}PostgreSQL \d+\S* .* \d+(\.\d+)? ms$/m);
      const json = expectExit(await runCli(['health', '--url-env', 'PB_TEST_URL', '--json'], { env }), 0, 'health --json');
      assert.equal(JSON.parse(json.stdout).status, 'ok');
    });

    it('introspect --url-env prints a summary per schema', async () => {
      const r = expectExit(await runCli(['introspect', '--url-env', 'PB_TEST_URL', '--exclude-schema', 'excluded_schema'], { env }), 0, 'introspect');
      assert.match(r.stdout, new RegExp(`^${scratch!.name} \\(\\d+`));
      assert.match(r.stdout, /^ {2}public: 11 tables, 2 views, 2 enums, \d+ columns$/m);
      assert.match(r.stdout, /^ {2}Hostile "Schema" café: 2 tables, 0 views, 1 enums, 6 columns$/m);
      assert.doesNotMatch(r.stdout, /excluded_schema/);
    });

    it('introspect --json prints a valid SchemaModel; --schema filters', async () => {
      const r = expectExit(await runCli(['introspect', '--url-env', 'PB_TEST_URL', '--json', '--schema', HOSTILE_SCHEMA], { env }), 0, 'introspect --json');
      const model = SchemaModel.parse(JSON.parse(r.stdout));
      assert.deepEqual(model.namespaces.map((n) => n.name), [HOSTILE_SCHEMA]);
    });

    it('generate writes both targets; a second run changes nothing', async () => {
      const args = ['generate', '--url-env', 'PB_TEST_URL', '--exclude-schema', 'excluded_schema', '--target', 'ts-types,pg-crud', '--out', out, '--name', 'ci'];
      const r = expectExit(await runCli(args, { env }), 0, 'generate');
      assert.match(r.stdout, /Generated ts-types, pg-crud into .* in \d+ ms \(fingerprint sha256:[0-9a-f]{32}\)/);
      assert.match(r.stdout, /6 written, 0 unchanged/);
      const files = (await listFiles(out)).map((f) => path.basename(f));
      assert.deepEqual(files, ['hostile_schema_cafe.crud.ts', 'hostile_schema_cafe.types.ts', 'plugboard-pg-runtime.ts', 'plugboard.schema.json', 'public.crud.ts', 'public.types.ts']);
      const header = parseHeader(await fs.readFile(path.join(out, 'public.types.ts'), 'utf8'));
      assert.equal(header?.profile, 'ci');
      const again = expectExit(await runCli(args, { env }), 0, 'generate again');
      assert.match(again.stdout, /0 written, 6 unchanged/);
    });

    it('check → exit 0 while the files match the live schema', async () => {
      const r = expectExit(await runCli(['check', '--url-env', 'PB_TEST_URL', '--exclude-schema', 'excluded_schema', '--out', out], { env }), 0, 'check');
      assert.match(r.stdout, /^Up to date: 6 files match the live schema \(sha256:[0-9a-f]{32}\)\.$/m);
    });

    it('check → exit 1 with a readable diff after ALTER TABLE … ADD COLUMN', async () => {
      await scratch!.exec('ALTER TABLE public.simple ADD COLUMN "nick name" varchar(20)');
      try {
        const r = expectExit(await runCli(['check', '--url-env', 'PB_TEST_URL', '--exclude-schema', 'excluded_schema', '--out', out], { env }), 1, 'check after a change');
        assert.match(r.stdout, /^Schema drift: 6 of 6 files were generated from another schema/m);
        assert.match(r.stdout, /^ {2}\+ column public\.simple\.nick name$/m);
        assert.match(r.stdout, /Run `plugboard generate`/);
        const json = expectExit(await runCli(['check', '--url-env', 'PB_TEST_URL', '--exclude-schema', 'excluded_schema', '--out', out, '--json'], { env }), 1, 'check --json');
        const report = JSON.parse(json.stdout) as { stale: boolean; changes: { kind: string; subject: string }[] };
        assert.equal(report.stale, true);
        assert.deepEqual(report.changes, [{ kind: 'added', subject: 'column public.simple.nick name' }]);
      } finally {
        await scratch!.exec('ALTER TABLE public.simple DROP COLUMN "nick name"');
      }
    });

    it('check on a folder without generated files → exit 1 and says so', async () => {
      const empty = path.join(work!.dir, 'empty');
      await fs.mkdir(empty);
      const r = expectExit(await runCli(['check', '--url-env', 'PB_TEST_URL', '--out', empty], { env }), 1, 'check on an empty folder');
      assert.match(r.stdout, /No Plugboard-generated files/);
    });

    it('generate refuses to overwrite a file it did not write → exit 3, nothing written', async () => {
      const dir = path.join(work!.dir, 'foreign');
      await fs.mkdir(dir);
      await fs.writeFile(path.join(dir, 'public.types.ts'), 'export const mine = 1;\n');
      const r = expectExit(await runCli(['generate', '--url-env', 'PB_TEST_URL', '--out', dir], { env }), 3, 'generate over a foreign file');
      assert.match(errorLine(r), /FILE_CONFLICT: .*public\.types\.ts exists and was not generated by Plugboard/);
      assert.deepEqual((await listFiles(dir)).map((f) => path.basename(f)), ['public.types.ts']);
      assert.equal(await fs.readFile(path.join(dir, 'public.types.ts'), 'utf8'), 'export const mine = 1;\n');
    });

    it('an unreachable server → exit 3 and CONNECTION_REFUSED on one line', async () => {
      const port = await freePort();
      const r = expectExit(await runCli(['health', '--url', `postgres://postgres@127.0.0.1:${port}/postgres`]), 3, 'health on a closed port');
      assert.match(errorLine(r), /^plugboard: CONNECTION_REFUSED: Connecting to 127\.0\.0\.1:\d+\/postgres: .* — Check that the server is running/);
    });

    it('a database that does not exist → exit 3 and DATABASE_NOT_FOUND', async () => {
      const r = expectExit(await runCli(['introspect', '--url', `${scratch!.url}_nope`]), 3, 'introspect a missing database');
      assert.match(errorLine(r), /DATABASE_NOT_FOUND: .*does not exist/);
    });
  });

  describe('with a password (the canary) in the URL', () => {
    let out: string;
    before(() => {
      out = path.join(work!.dir, 'secret-client');
    });

    it('introspect, generate and check work over TLS, and the password appears nowhere', async () => {
      expectExit(await runCli(['introspect', '--url-env', 'PB_SECRET_URL'], { env }), 0, 'introspect with a password');
      expectExit(await runCli(['generate', '--url-env', 'PB_SECRET_URL', '--out', out, '--name', 'secret'], { env }), 0, 'generate with a password');
      expectExit(await runCli(['check', '--url-env', 'PB_SECRET_URL', '--out', out], { env }), 0, 'check with a password');
      const files = await listFiles(out);
      assert.equal(files.length, 8, 'types + CRUD for three schemas, the runtime, the snapshot');
      for (const f of files) assertNoCanary(await fs.readFile(f, 'utf8'), path.basename(f));
    });

    it('the password given with --url on the command line is not echoed in errors', async () => {
      const wrongDb = secretUrl.replace('/postgres?', '/no_such_db?');
      const r = expectExit(await runCli(['introspect', '--url', wrongDb]), 3, 'introspect with --url and a password');
      assert.match(errorLine(r), /DATABASE_NOT_FOUND/);
    });

    it('a wrong password → exit 3 and AUTHENTICATION_FAILED', async () => {
      const wrong = secretUrl.replace(encodeURIComponent(CANARY), encodeURIComponent(`${CANARY}x`));
      const r = expectExit(await runCli(['health', '--url', wrong]), 3, 'health with a wrong password');
      assert.match(errorLine(r), /AUTHENTICATION_FAILED: .*password authentication failed/);
    });

    it('PGPASSWORD supplies the password when the URL has none', async () => {
      const bare = secretUrl.replace(`:${encodeURIComponent(CANARY)}@`, '@');
      const r = expectExit(await runCli(['health', '--url', bare]), 3, 'health without any password');
      assert.match(errorLine(r), /AUTHENTICATION_FAILED: .*none was given/);
      const withEnv = await runProgram(process.execPath, [CLI, 'health', '--url', bare], { env: { ...process.env, PGPASSWORD: CANARY } });
      expectExit(withEnv, 0, 'health with PGPASSWORD');
    });
  });

  describe('--demo', () => {
    it('introspects the embedded demo database (no server needed)', async () => {
      const r = expectExit(await demo!, 0, 'introspect --demo');
      const model = SchemaModel.parse(JSON.parse(r.stdout));
      const pub = model.namespaces.find((n) => n.name === 'public')!;
      assert.ok(['customers', 'orders', 'products'].every((t) => pub.entities.some((e) => e.name === t)), 'the sample tables are there');
      assert.ok(pub.enums.length > 0 && pub.entities.some((e) => e.kind === 'view'));
    });
  });
});
