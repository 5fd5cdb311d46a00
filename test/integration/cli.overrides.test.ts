/**
 * The CLI with an overrides file and in watch mode (dist/cli.js in a child process, the local server):
 * warnings on stderr that do not fail the command, errors that name the line, `check` telling changed
 * overrides apart from drift, and `generate --watch` regenerating on DDL and on an edited overrides file,
 * then stopping cleanly on SIGTERM.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { cliEnv, ensureCliBuilt, runCli } from '../support/cli';
import { createScratchDatabase, requirePostgres, type ScratchDatabase } from '../support/postgres';
import { CLI, makeWorkDir } from '../support/workdir';
import { DDL_TRIGGER_SQL } from '../support/ddlTrigger';

/** A running CLI whose output is read line by line; `waitFor` has a deadline, `stop` kills it for sure. */
class RunningCli {
  private out = '';
  private err = '';
  private readonly exited: Promise<number | null>;
  constructor(private readonly child: ChildProcess) {
    child.stdout!.on('data', (d: Buffer) => (this.out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.err += d.toString()));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }
  get stdout(): string {
    return this.out;
  }
  async waitFor(pattern: RegExp, ms: number, from = 0): Promise<number> {
    const deadline = Date.now() + ms;
    for (;;) {
      const at = this.out.slice(from).search(pattern);
      if (at >= 0) return from + at;
      if (Date.now() > deadline) throw new Error(`no ${pattern} within ${ms} ms; stdout:\n${this.out}\nstderr:\n${this.err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  async terminate(ms: number): Promise<{ code: number | null; stderr: string }> {
    this.child.kill('SIGTERM');
    const code = await Promise.race([this.exited, new Promise<'late'>((r) => setTimeout(() => r('late'), ms))]);
    if (code === 'late') {
      this.child.kill('SIGKILL');
      throw new Error(`the CLI did not stop within ${ms} ms of SIGTERM; stdout:\n${this.out}`);
    }
    return { code, stderr: this.err };
  }
  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

describe('the CLI with overrides, and generate --watch', function () {
  this.timeout(90_000);
  let scratch: ScratchDatabase | undefined;
  let work: Awaited<ReturnType<typeof makeWorkDir>> | undefined;
  let env: Record<string, string>;
  const running: RunningCli[] = [];

  before(async () => {
    await requirePostgres();
    await ensureCliBuilt();
    scratch = await createScratchDatabase('cliwatch');
    await scratch.exec('CREATE SCHEMA w; CREATE TABLE w.items (id int PRIMARY KEY, name text NOT NULL, meta jsonb);');
    work = await makeWorkDir('cliwatch');
    env = { PB_TEST_URL: scratch.url };
  });
  afterEach(() => running.splice(0).forEach((r) => r.kill()));
  after(async () => {
    await Promise.allSettled([scratch?.drop(), work?.remove()]);
  });

  const overrides = (fields: object) => JSON.stringify({ namespaces: { w: { items: { fields } } } }, null, 2);

  it('an invalid overrides file fails before connecting, naming the line and the field', async () => {
    const file = path.join(work!.dir, 'bad.json');
    await fs.writeFile(file, overrides({ meta: { tsType: 'X;y' } }));
    const result = await runCli(['generate', '--url-env', 'PB_TEST_URL', '--out', path.join(work!.dir, 'x'), '--overrides', file], { env, cwd: work!.dir });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /bad\.json:7:\d+: namespaces\.w\.items\.fields\.meta\.tsType: is not a TypeScript type expression/);
  });

  it('generate prints warnings on stderr and succeeds; check tells changed overrides from drift', async () => {
    const dir = path.join(work!.dir, 'checked');
    await fs.mkdir(path.join(dir, '.plugboard'), { recursive: true });
    const file = path.join(dir, '.plugboard', 'overrides.json');
    await fs.writeFile(file, overrides({ name: { name: 'title' }, gone: { nullable: true } }));
    const args = ['--url-env', 'PB_TEST_URL', '--out', 'gen', '--schema', 'w'];
    const generated = await runCli(['generate', ...args, '--json'], { env, cwd: dir });
    assert.equal(generated.code, 0, generated.stderr);
    assert.match(generated.stderr, /^plugboard: warning: \.plugboard\/overrides\.json:\d+:\d+: w\.items\.gone: no field "gone" in w\.items$/m);
    const json = JSON.parse(generated.stdout) as { inputs?: string; warnings: unknown[] };
    assert.match(json.inputs ?? '', /^sha256:/);
    assert.equal(json.warnings.length, 1);
    assert.match(await fs.readFile(path.join(dir, 'gen', 'w.types.ts'), 'utf8'), /\n {2}title: string;\n/);

    assert.equal((await runCli(['check', ...args], { env, cwd: dir })).code, 0, 'same schema, same overrides');
    await fs.writeFile(file, overrides({ name: { name: 'label' } }));
    const changed = await runCli(['check', ...args], { env, cwd: dir });
    assert.equal(changed.code, 1);
    assert.match(changed.stdout, /^Settings changed: \d+ of \d+ files match the live schema but were generated with other overrides than \.plugboard\/overrides\.json\./m);
    await fs.rm(file);
    assert.equal((await runCli(['check', ...args], { env, cwd: dir })).code, 1, 'overrides removed is a change too');
  });

  it('--watch regenerates on DDL (heard through the trigger) and on an edited overrides file; SIGTERM stops it', async () => {
    await scratch!.exec(DDL_TRIGGER_SQL);
    const dir = path.join(work!.dir, 'watched');
    await fs.mkdir(dir, { recursive: true });
    const file = path.join(dir, 'o.json');
    await fs.writeFile(file, overrides({}));
    const child = spawn(process.execPath, [CLI, 'generate', '--url-env', 'PB_TEST_URL', '--schema', 'w', '--out', 'gen', '--overrides', file, '--watch', '--interval', '30000'], {
      cwd: dir,
      env: cliEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const cli = new RunningCli(child);
    running.push(cli);
    let at = await cli.waitFor(/Watching .* every 30 s; Ctrl-C stops\./, 20_000);
    at = await cli.waitFor(/listening for DDL notices/, 10_000, at);
    await scratch!.exec('ALTER TABLE w.items ADD COLUMN note text');
    at = await cli.waitFor(/schema changed \(1 change: \+ column w\.items\.note\)/, 10_000, at);
    at = await cli.waitFor(/regenerated: 4 written/, 10_000, at);
    assert.match(await fs.readFile(path.join(dir, 'gen', 'w.types.ts'), 'utf8'), /note: string \| null;/);

    await fs.writeFile(file, overrides({ note: { name: 'remark' } }));
    // The interval is 30 s; a DDL notice makes the watcher look again, overrides included.
    await scratch!.exec('COMMENT ON TABLE w.items IS $$items$$');
    await cli.waitFor(/overrides changed/, 10_000, at);
    assert.match(await fs.readFile(path.join(dir, 'gen', 'w.types.ts'), 'utf8'), /remark: string \| null;/);

    const { code, stderr } = await cli.terminate(10_000);
    assert.equal(code, 0, stderr);
    assert.match(cli.stdout, /Stopped watching\.\n$/);
  });

  it('--watch belongs to generate', async () => {
    const result = await runCli(['check', '--url-env', 'PB_TEST_URL', '--out', 'x', '--watch'], { env, cwd: work!.dir });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--watch and --interval go with generate/);
  });
});
