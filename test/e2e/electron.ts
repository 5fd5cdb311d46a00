// `npm run test:electron`: the same extension-host suite (suite/index) under @vscode/test-electron, i.e. in a
// real desktop VS Code. It downloads VS Code on first use, so it needs update.code.visualstudio.com: fine on a
// laptop, impossible on machines that reach only the npm and Debian registries (use `npm run test:e2e` there).
// Linux without a display needs `xvfb-run -a npm run test:electron`.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { artifactsDir, cacheDir, repoRoot, suiteIndex } from './config';
import { killProcessesMentioning, log } from './proc';
import type { SuiteResults } from './suite/index';

const timeoutMs = Number(process.env.PLUGBOARD_E2E_TIMEOUT_MS) || 240_000;

async function download(version: string): Promise<string> {
  try {
    return await downloadAndUnzipVSCode({ version, cachePath: cacheDir, timeout: 30_000 });
  } catch (err) {
    throw new Error(
      `could not download VS Code ${version} into ${cacheDir}: ${(err as Error).message}\n` +
      'This runner needs update.code.visualstudio.com. Offline, or where only package registries are reachable, ' +
      'run the same suite in code-server instead: npm run test:e2e',
      { cause: err },
    );
  }
}

async function main(): Promise<number> {
  const version = process.env.PLUGBOARD_E2E_VSCODE_VERSION || 'stable';
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-e2e-electron-'));
  const workspace = path.join(scratch, 'workspace');
  const resultsFile = path.join(scratch, 'results.json');
  fs.mkdirSync(workspace);
  // A hang (a test that never settles) must end the run; VS Code is found and killed by its profile path.
  const watchdog = setTimeout(() => {
    log(`timed out waiting for the extension tests to finish (limit ${timeoutMs / 1000} s, PLUGBOARD_E2E_TIMEOUT_MS)`);
    killProcessesMentioning(`${scratch}/`);
  }, timeoutMs);
  try {
    const vscodeExecutablePath = await download(version);
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: path.resolve(process.env.PLUGBOARD_E2E_EXTENSION || repoRoot),
      extensionTestsPath: suiteIndex,
      launchArgs: [
        workspace, '--user-data-dir', path.join(scratch, 'user-data'), '--extensions-dir', path.join(scratch, 'extensions'),
        '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--disable-gpu',
      ],
      extensionTestsEnv: {
        PLUGBOARD_E2E_WORKSPACE: workspace,
        PLUGBOARD_E2E_RESULTS: resultsFile,
        PLUGBOARD_E2E_USER_DATA: path.join(scratch, 'user-data'),
        PLUGBOARD_E2E_TESTS: process.env.PLUGBOARD_E2E_TESTS || path.dirname(suiteIndex),
      },
    });
  } catch (err) {
    // runTests rejects when VS Code exits non-zero (a failing test): the results file still says what ran.
    log((err as Error).message);
  } finally {
    clearTimeout(watchdog);
    killProcessesMentioning(`${scratch}/`);
  }
  const results: SuiteResults | undefined = fs.existsSync(resultsFile) ? JSON.parse(fs.readFileSync(resultsFile, 'utf8')) : undefined;
  fs.rmSync(scratch, { recursive: true, force: true });
  const passed = results?.passes ?? 0;
  const failed = results ? results.failures : 1; // no results at all is a failure of the run itself
  for (const f of results?.failed ?? []) log(`FAILED ${f.title}: ${f.error}`);
  fs.mkdirSync(artifactsDir, { recursive: true });
  fs.writeFileSync(path.join(artifactsDir, 'results-electron.json'), `${JSON.stringify({ passed, failed, host: results }, null, 2)}\n`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`electron runner crashed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
