/**
 * Issue 13, items 8 and 9: writing generated files is all or nothing, whatever fails and wherever — a disk
 * that fills up while the new files are written (a 64 KiB tmpfs), a file that cannot be replaced, a folder
 * that refuses a new file after another file was already replaced (both with the immutable attribute, which
 * binds root too) — and an output folder that cannot exist (/proc/self/gen) fails at once with a coded error
 * instead of looping in a recursive mkdir.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { headerComment } from '../../src/core/codegen/header';
import type { GeneratedFile } from '../../src/core/codegen/types';
import { writeGeneratedFiles } from '../../src/core/codegen/writer';
import { isPlugboardError } from '../../src/core/errors';
import { ensureCliBuilt, runCli } from '../support/cli';
import { listFiles } from '../support/workdir';

const run = promisify(execFile);

function file(p: string, fingerprint: string, body: string): GeneratedFile {
  const header = headerComment({ tool: 'plugboard', version: '0.2.0', profile: 'p', target: 'ts-types', fingerprint });
  return { path: p, target: 'ts-types', content: `${header}\n${body}\n` };
}

/** What is in the folder, by relative path (every file, also temps and hidden folders). */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of await listFiles(dir)) out[path.relative(dir, f)] = await fs.readFile(f, 'utf8');
  return out;
}

async function expectFailure(work: Promise<unknown>): Promise<void> {
  const err = await work.then(
    () => assert.fail('the write succeeded'),
    (e: unknown) => e,
  );
  assert.ok(isPlugboardError(err), `expected a PlugboardError, got ${String(err)}`);
  assert.ok(err.code === 'FILE_CONFLICT' || err.code === 'INVALID_CONFIG', err.code);
}

describe('writing generated files: all or nothing (issue 13, items 8 and 9)', function () {
  this.timeout(60_000);
  let root: string;
  const immutable: string[] = [];

  before(async () => {
    if (process.getuid?.() !== 0) throw new Error('These tests need root: they mount a tmpfs and set the immutable attribute (chattr +i).');
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'plugboard-atomic-'));
  });
  afterEach(async () => {
    for (const p of immutable.splice(0)) await run('chattr', ['-i', p]).catch(() => undefined);
  });
  after(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  const oldSet = () => [file('a.types.ts', 'sha256:old', 'export type A = 1;'), file('b/c.types.ts', 'sha256:old', 'export type C = 1;'), file('d.types.ts', 'sha256:old', 'export type D = 1;')];

  it('a disk that fills up while the new files are written leaves the old set and no temp files', async () => {
    const dir = path.join(root, 'tmpfs');
    await fs.mkdir(dir);
    await run('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
    try {
      await writeGeneratedFiles(dir, oldSet());
      const before = await snapshot(dir);
      const big = 'x'.repeat(200_000);
      const next = [file('a.types.ts', 'sha256:new', 'export type A = 2;'), file('b/c.types.ts', 'sha256:new', `export const C = "${big}";`), file('d.types.ts', 'sha256:new', 'export type D = 2;')];
      await expectFailure(writeGeneratedFiles(dir, next));
      assert.deepEqual(await snapshot(dir), before);
      assert.deepEqual(await fs.readdir(dir), ['a.types.ts', 'b', 'd.types.ts'], 'something was left behind');
    } finally {
      await run('umount', [dir]);
    }
  });

  it('a file that cannot be replaced leaves the old set (nothing half-renamed)', async () => {
    const dir = path.join(root, 'locked-file');
    await writeGeneratedFiles(dir, oldSet());
    const before = await snapshot(dir);
    const locked = path.join(dir, 'd.types.ts');
    await run('chattr', ['+i', locked]);
    immutable.push(locked);
    await expectFailure(writeGeneratedFiles(dir, [file('a.types.ts', 'sha256:new', 'export type A = 2;'), file('b/c.types.ts', 'sha256:new', 'export type C = 2;'), file('d.types.ts', 'sha256:new', 'export type D = 2;')]));
    assert.deepEqual(await snapshot(dir), before);
    assert.deepEqual((await fs.readdir(dir)).sort(), ['a.types.ts', 'b', 'd.types.ts']);
  });

  it('a folder that refuses a new file after others were replaced: the replaced ones are put back', async () => {
    const dir = path.join(root, 'locked-folder');
    await writeGeneratedFiles(dir, oldSet());
    const before = await snapshot(dir);
    const folder = path.join(dir, 'b');
    await run('chattr', ['+i', folder]);
    immutable.push(folder);
    // a.types.ts and d.types.ts are replaced first; b/new.types.ts cannot be created in the locked folder.
    await expectFailure(writeGeneratedFiles(dir, [file('a.types.ts', 'sha256:new', 'export type A = 2;'), file('d.types.ts', 'sha256:new', 'export type D = 2;'), file('b/new.types.ts', 'sha256:new', 'export type N = 2;')]));
    assert.deepEqual(await snapshot(dir), before);
    assert.deepEqual((await fs.readdir(dir)).sort(), ['a.types.ts', 'b', 'd.types.ts']);
  });

  it('an output folder that cannot be created (/proc/self/gen) fails at once, not in a mkdir loop', async () => {
    const started = Date.now();
    const work = writeGeneratedFiles('/proc/self/gen', [file('x.types.ts', 'sha256:new', 'export type X = 1;')]);
    const hung = new Promise((_, reject) => setTimeout(() => reject(new Error('the write was still running after 5 s')), 5_000).unref());
    await expectFailure(Promise.race([work, hung]));
    assert.ok(Date.now() - started < 5_000);
  });

  describe('the CLI', () => {
    before(async () => {
      await ensureCliBuilt();
    });

    it('generate --out /proc/self/gen exits with a coded error', async () => {
      const r = await runCli(['generate', '--demo', '--out', '/proc/self/gen'], { timeoutMs: 60_000 });
      assert.ok(r.code === 2 || r.code === 3, `exit ${r.code}\n${r.stderr}`);
      assert.match(r.stderr, /^plugboard: (FILE_CONFLICT|INVALID_CONFIG): /m);
    });

    it('generate --out into a folder that cannot be written exits 3 with FILE_CONFLICT', async () => {
      const parent = path.join(root, 'read-only');
      await fs.mkdir(parent);
      await run('chattr', ['+i', parent]);
      immutable.push(parent);
      const r = await runCli(['generate', '--demo', '--out', path.join(parent, 'sub')], { timeoutMs: 60_000 });
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /^plugboard: FILE_CONFLICT: .*nothing was changed/m);
    });
  });
});
