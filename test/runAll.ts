/**
 * `npm test`: ESLint (one check: the whole tree lints clean), unit and integration suites (mocha, in this
 * process), then the real-editor suite (its own runner, in a child process), and one closing line
 * `N passed, N failed` over all of them.
 * PLUGBOARD_SKIP_E2E=1 leaves the editor suite out on a developer's machine; CI never sets it.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

const root = path.resolve(__dirname, '..', '..');

async function collect(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await collect(full)));
    else if (e.name.endsWith('.test.js')) out.push(full);
  }
  return out.sort();
}

async function runMocha(): Promise<{ passed: number; failed: number }> {
  const mocha = new Mocha({ timeout: 60_000, slow: 2_000, reporter: 'spec' });
  for (const dir of ['unit', 'integration']) for (const f of await collect(path.join(root, 'out', 'test', dir))) mocha.addFile(f);
  return new Promise((resolve) => {
    const runner = mocha.run(() => resolve({ passed: runner.stats?.passes ?? 0, failed: runner.stats?.failures ?? 0 }));
  });
}

async function runE2e(): Promise<{ passed: number; failed: number }> {
  const results = path.join(root, 'artifacts', 'e2e', 'results.json');
  await fs.rm(results, { force: true });
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'out', 'test', 'e2e', 'run.js')], { stdio: 'inherit', cwd: root });
    child.on('exit', (c) => resolve(c ?? 1));
  });
  const parsed = await fs
    .readFile(results, 'utf8')
    .then((t) => JSON.parse(t) as { passed?: number; failed?: number })
    .catch(() => undefined);
  if (!parsed) return { passed: 0, failed: 1 }; // the runner itself failed before it could count
  const failed = parsed.failed ?? 0;
  return { passed: parsed.passed ?? 0, failed: code !== 0 && failed === 0 ? 1 : failed };
}

/** ESLint over the tree (eslint.config.mjs): counted as one test that passes only with no problems at all. */
async function runLint(): Promise<{ passed: number; failed: number }> {
  const eslint = path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [eslint, '--max-warnings', '0', '.'], { stdio: 'inherit', cwd: root });
    child.on('exit', (c) => resolve(c ?? 1));
  });
  console.log(`lint: ${code === 0 ? 'clean' : 'FAILED (eslint reported problems above)'}`);
  return code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
}

async function main(): Promise<void> {
  const lint = await runLint();
  const unit = await runMocha();
  console.log(`\nunit + integration: ${unit.passed} passed, ${unit.failed} failed`);
  const e2e = process.env.PLUGBOARD_SKIP_E2E === '1' ? { passed: 0, failed: 0 } : await runE2e();
  if (process.env.PLUGBOARD_SKIP_E2E === '1') console.log('e2e: skipped (PLUGBOARD_SKIP_E2E=1)');
  else console.log(`e2e: ${e2e.passed} passed, ${e2e.failed} failed`);
  const passed = lint.passed + unit.passed + e2e.passed;
  const failed = lint.failed + unit.failed + e2e.failed;
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  console.log('\n0 passed, 1 failed');
  process.exit(1);
});
