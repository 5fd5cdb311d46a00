// Entry point the extension host loads (`extensionTestsPath`), under code-server and under
// @vscode/test-electron alike: runs mocha over the compiled *.test.js files and, besides the usual spec
// output, writes a JSON summary to $PLUGBOARD_E2E_RESULTS for the runner to count.
import * as fs from 'fs';
import * as path from 'path';
import type MochaType from 'mocha';

// mocha 12 is an ES module wrapping a CommonJS build; requiring the build directly works in every extension
// host, including Electron builds whose Node cannot require() ES modules.
 
const Mocha = require('mocha/lib/mocha.cjs') as typeof MochaType;

export interface SuiteResults {
  passes: number;
  failures: number;
  pending: number;
  durationMs: number;
  failed: { title: string; error: string }[];
}

/** Compiled test files under `dir`, sorted so the order is the same on every machine. */
function findTests(dir: string): string[] {
  const entries = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' });
  return entries.filter((f) => f.endsWith('.test.js')).map((f) => path.join(dir, f)).sort();
}

function writeResults(results: SuiteResults): void {
  const file = process.env.PLUGBOARD_E2E_RESULTS;
  if (file) fs.writeFileSync(file, JSON.stringify(results, null, 2));
}

export function run(): Promise<void> {
  const started = Date.now();
  const results: SuiteResults = { passes: 0, failures: 0, pending: 0, durationMs: 0, failed: [] };
  const fail = (title: string, err: unknown): void => {
    results.failures++;
    results.failed.push({ title, error: err instanceof Error ? err.message : String(err) });
  };
  // PLUGBOARD_E2E_TESTS lets the runner point the same index at another folder of tests (a throwaway
  // extension's, when proving the runner itself).
  const dir = process.env.PLUGBOARD_E2E_TESTS || __dirname;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 20_000, reporter: 'spec' });

  return new Promise<void>((resolve, reject) => {
    const finish = (): void => {
      results.durationMs = Date.now() - started;
      writeResults(results);
      if (results.failures > 0) reject(new Error(`${results.failures} extension-host test(s) failed`));
      else if (results.passes === 0) reject(new Error(`no extension-host test ran (looked for *.test.js in ${dir})`));
      else resolve();
    };
    try {
      for (const file of findTests(dir)) mocha.addFile(file);
      const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;
      const runner = mocha.run(() => finish());
      runner.on(EVENT_TEST_PASS, () => results.passes++);
      runner.on(EVENT_TEST_PENDING, () => results.pending++);
      // Also fires for failing hooks, which then count as a failure of their own.
      runner.on(EVENT_TEST_FAIL, (test, err) => fail(test.fullTitle(), err));
    } catch (err) {
      // A test file that throws while loading (syntax error, missing module) lands here.
      fail('loading the test files', err);
      finish();
    }
  });
}
