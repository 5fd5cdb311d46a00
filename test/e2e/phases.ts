// The two passes of a real-editor run. Each starts its own code-server and Chromium on a fresh profile and
// releases them before returning, so the next pass starts clean and memory peaks once, not twice.
import * as fs from 'fs';
import * as path from 'path';
import { launchBrowser, newPage, openWorkbench, runExtensionTests, screenshot } from './browser';
import { installVsix, makeProfile, Profile, startCodeServer } from './codeServer';
import { artifactsDir, E2eConfig, suiteIndex } from './config';
import { Installed } from './install';
import { Cleanup, Deadline, log, runLogged } from './proc';
import type { SuiteResults } from './suite/index';
import { runUiChecks, UiCheckResult } from './ui/checks';

export interface RunContext {
  config: E2eConfig;
  installed: Installed;
  cleanup: Cleanup;
  deadline: Deadline;
  /** Per-run scratch root; removed by the run's cleanup. */
  scratch: string;
}

export interface HostResult extends SuiteResults {
  /** What the workbench passed to codeAutomationExit: 0 when the suite's run() resolved. */
  exitCode: number;
}

/** Runs `body` with a cleanup scope of its own that is released when it returns or throws (or, via the
 * run's cleanup, when the run is interrupted first). Keeps the code-server log as an artifact. */
async function withScope<T>(ctx: RunContext, name: string, body: (scope: Cleanup, profile: Profile) => Promise<T>,
  extraEnv: NodeJS.ProcessEnv = {}): Promise<T> {
  const scope = new Cleanup();
  const forget = ctx.cleanup.add(`${name} pass`, () => scope.runAll(), () => scope.runAllSync());
  const profile = makeProfile(ctx.scratch, name, extraEnv);
  try {
    return await body(scope, profile);
  } finally {
    await scope.runAll();
    forget();
    if (fs.existsSync(profile.logFile)) fs.copyFileSync(profile.logFile, path.join(artifactsDir, `code-server-${name}.log`));
  }
}

/** Pass 1: the mocha suite inside the extension host, extension loaded from source as a development extension. */
export async function hostPass(ctx: RunContext): Promise<HostResult> {
  const { config, deadline } = ctx;
  if (!fs.existsSync(`${suiteIndex}.js`)) throw new Error(`${suiteIndex}.js is missing: compile first (npx tsc -p .)`);
  if (!fs.existsSync(path.join(config.extensionPath, 'package.json'))) throw new Error(`no package.json in ${config.extensionPath}`);
  const resultsFile = path.join(ctx.scratch, 'host-results.json');
  log(`host pass: ${config.extensionPath}, tests from ${config.testsDir}`);
  return withScope(ctx, 'host', async (scope, profile) => {
    // code-server hands its environment to the extension host: that is how the suite learns these.
    profile.env.PLUGBOARD_E2E_WORKSPACE = profile.workspace;
    profile.env.PLUGBOARD_E2E_RESULTS = resultsFile;
    profile.env.PLUGBOARD_E2E_TESTS = config.testsDir;
    profile.env.PLUGBOARD_E2E_USER_DATA = profile.userData;
    const server = await startCodeServer(scope, deadline, ctx.installed, profile, { testDriver: !config.omitTestDriver });
    const browser = await launchBrowser(scope, deadline, path.join(profile.root, 'chromium'), profile.env.HOME!);
    const page = await newPage(browser, path.join(artifactsDir, 'page-host.log'));
    const exitCode = await runExtensionTests(page, deadline, {
      authority: server.authority, workspace: profile.workspace, extensionPath: config.extensionPath, suiteIndex,
    }).catch(async (err: unknown) => {
      // What a hung workbench shows (an error dialog, a spinner) is the quickest diagnosis.
      await screenshot(page, artifactsDir, 'host-failure').catch(() => undefined);
      throw err;
    });
    if (!fs.existsSync(resultsFile)) {
      throw new Error(`the suite finished with code ${exitCode} but wrote no ${resultsFile}; see artifacts/e2e/page-host.log`);
    }
    const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as SuiteResults;
    return { ...results, exitCode };
  });
}

/** Pass 2: the packaged .vsix installed as a user would, then the named UI checks in the browser. */
export async function uiPass(ctx: RunContext, vsix: string): Promise<UiCheckResult[]> {
  const { deadline } = ctx;
  log(`UI pass: ${vsix}`);
  return withScope(ctx, 'ui', async (scope, profile) => {
    await installVsix(scope, deadline, ctx.installed, profile, vsix);
    // A client generated from the demo database, as a teammate would have committed it: the CodeLens check
    // opens it. The CLI's demo profile name matches the one "Open Demo Database" creates in the editor.
    await runLogged(scope, deadline, 'generating a demo client for the CodeLens check', process.execPath,
      [path.join(ctx.config.extensionPath, 'dist', 'cli.js'), 'demo', '--target', 'ts-types', '--out', path.join(profile.workspace, 'src', 'generated', 'demo')],
      { cwd: profile.workspace, logFile: path.join(artifactsDir, 'demo-cli.log') });
    // No smoke-test driver here: it hides notification toasts, and this pass should look like a user's editor.
    const server = await startCodeServer(scope, deadline, ctx.installed, profile, { testDriver: false });
    const browser = await launchBrowser(scope, deadline, path.join(profile.root, 'chromium'), profile.env.HOME!);
    const page = await newPage(browser, path.join(artifactsDir, 'page-ui.log'));
    await openWorkbench(page, deadline, server.authority, profile.workspace);
    return runUiChecks(page, deadline, artifactsDir);
  });
}

/** `npm run package` in the extension folder; returns the .vsix it produced (its name is the script's business). */
export async function buildVsix(cleanup: Cleanup, deadline: Deadline, extensionPath: string): Promise<string> {
  const started = Date.now();
  await runLogged(cleanup, deadline, 'packaging the extension (npm run package)', 'npm', ['run', 'package'],
    { cwd: extensionPath, logFile: path.join(artifactsDir, 'package.log') });
  const fresh = fs.readdirSync(extensionPath)
    .filter((f) => f.endsWith('.vsix'))
    .map((f) => ({ file: path.join(extensionPath, f), mtime: fs.statSync(path.join(extensionPath, f)).mtimeMs }))
    .filter((v) => v.mtime >= started - 1000)
    .sort((a, b) => b.mtime - a.mtime);
  if (fresh.length === 0) throw new Error(`npm run package wrote no new .vsix in ${extensionPath}`);
  return fresh[0].file;
}
