/**
 * Issue 13, items 9 and 10: the CLI never succeeds silently on input it did not use, and never answers bad
 * input with INTERNAL or a raw control character. A --schema that does not exist, a --templates folder that
 * does not, a line break in the URL, a hexadecimal port and a NUL in the user name are all coded errors.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ensureCliBuilt, runCli } from '../support/cli';
import { createScratchDatabase, requirePostgres, type ScratchDatabase } from '../support/postgres';
import { makeWorkDir, type RunResult } from '../support/workdir';

function oneError(r: RunResult, code: number, pattern: RegExp, what: string): void {
  assert.equal(r.code, code, `${what}: exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `${what}: one line on stderr, got:\n${r.stderr}`);
  assert.match(lines[0]!, pattern, what);
  // eslint-disable-next-line no-control-regex -- no raw control character may reach the terminal
  assert.doesNotMatch(r.stderr.trimEnd(), /[\u0000-\u0008\u000b-\u001f\u007f]/, `${what}: a control character in the output`);
}

describe('the CLI on hostile input (issue 13, items 9 and 10)', function () {
  this.timeout(120_000);
  let scratch: ScratchDatabase;
  let work: Awaited<ReturnType<typeof makeWorkDir>>;
  let env: Record<string, string>;

  before(async () => {
    await requirePostgres();
    await ensureCliBuilt();
    [scratch, work] = await Promise.all([createScratchDatabase('clihostile'), makeWorkDir('clihostile')]);
    await scratch.exec('CREATE TABLE t (id int PRIMARY KEY)');
    env = { PB_HOSTILE_URL: scratch.url };
  });
  after(async () => {
    await Promise.allSettled([scratch?.drop(), work?.remove()]);
  });

  it('check --schema with a schema that does not exist → exit 3 NOT_FOUND naming it (not an empty success)', async () => {
    const out = path.join(work.dir, 'client');
    const generated = await runCli(['generate', '--url-env', 'PB_HOSTILE_URL', '--out', out], { env });
    assert.equal(generated.code, 0, generated.stderr);
    oneError(await runCli(['check', '--url-env', 'PB_HOSTILE_URL', '--out', out, '--schema', 'no_such_schema'], { env }), 3, /^plugboard: NOT_FOUND: .*"no_such_schema"/, 'check');
  });

  it('introspect and generate with one existing and one missing --schema → NOT_FOUND naming the missing one', async () => {
    const args = ['--url-env', 'PB_HOSTILE_URL', '--schema', 'public', '--schema', 'nope'];
    oneError(await runCli(['introspect', ...args], { env }), 3, /^plugboard: NOT_FOUND: .*"nope"/, 'introspect');
    oneError(await runCli(['generate', ...args, '--out', path.join(work.dir, 'partial')], { env }), 3, /^plugboard: NOT_FOUND: .*"nope"/, 'generate');
  });

  it('a --templates folder that does not exist → exit 2, no fallback to the built-in templates', async () => {
    oneError(await runCli(['generate', '--url-env', 'PB_HOSTILE_URL', '--out', path.join(work.dir, 'x'), '--templates', path.join(work.dir, 'no-such-templates')], { env }), 2, /^plugboard: INVALID_CONFIG: --templates .*no such folder/, '--templates');
  });

  const usage: [string, string, RegExp][] = [
    ['a line break in the URL', `${'postgres://postgres@127.0.0.1:5432/postgres'}\n`, /line break/],
    ['a carriage return in the URL', 'postgres://postgres@127.0.0.1:5432/postgres\rx', /line break/],
    ['a hexadecimal port', 'postgres://postgres@127.0.0.1/postgres?port=0x1538', /Invalid port "0x1538"/],
    ['an exponent port', 'postgres://postgres@127.0.0.1/postgres?port=1e0', /Invalid port "1e0"/],
    ['a hexadecimal port in the authority', 'postgres://postgres@127.0.0.1:0x1538/postgres', /malformed/],
    ['a NUL in the user name', 'postgres://us%00er@127.0.0.1:5432/postgres', /user name contains a control character/],
    ['a NUL in the database name', 'postgres://postgres@127.0.0.1:5432/d%00b', /database name contains a control character/],
    ['an unsupported parameter', 'postgres://postgres@127.0.0.1:5432/postgres?target_session_attrs=read-write', /"target_session_attrs"/],
  ];
  for (const [what, url, pattern] of usage) {
    it(`${what} → exit 2 INVALID_CONFIG, nothing echoed raw`, async () => {
      oneError(await runCli(['health', '--url', url]), 2, new RegExp(`^plugboard: INVALID_CONFIG: .*${pattern.source}`), what);
    });
  }
});
