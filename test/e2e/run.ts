// `node out/test/e2e/run.js [--vsix file] [--only host|ui]`: the real-editor tests.
// Installs code-server + Chromium on first use, runs the mocha suite inside the extension host, runs the UI
// checks against the packaged extension, prints "N passed, N failed" and writes artifacts/e2e/results.json.
// Exit 0 only when nothing failed and something ran. Whatever happens, nothing is left running.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { artifactsDir, E2eConfig, readConfig, repoRoot } from './config';
import { ensureInstalled } from './install';
import { buildVsix, HostResult, hostPass, RunContext, uiPass } from './phases';
import { Cleanup, Deadline, killProcessesMentioning, log } from './proc';
import { UiCheckResult } from './ui/checks';

interface Report {
  host?: HostResult;
  ui?: UiCheckResult[];
  /** Runner-level failures (timeouts, crashes); each counts as one failed test. */
  errors: string[];
}

const resultsFile = path.join(artifactsDir, 'results.json');

/** Stale screenshots from an earlier run would mislead whoever opens the folder. */
function prepareArtifacts(): void {
  fs.mkdirSync(artifactsDir, { recursive: true });
  for (const f of fs.readdirSync(artifactsDir)) {
    if (/\.(png|log|json)$/.test(f)) fs.rmSync(path.join(artifactsDir, f), { force: true });
  }
}

function totals(report: Report): { passed: number; failed: number } {
  const ui = report.ui ?? [];
  const passed = (report.host?.passes ?? 0) + ui.filter((c) => c.ok).length;
  const failed = (report.host?.failures ?? 0) + ui.filter((c) => !c.ok).length + report.errors.length;
  return { passed, failed };
}

function writeResults(report: Report, started: number): { passed: number; failed: number } {
  const { passed, failed } = totals(report);
  const rel = (file?: string): string | undefined => (file ? path.relative(repoRoot, file) : undefined);
  const json = {
    passed,
    failed,
    host: report.host && {
      passed: report.host.passes, failed: report.host.failures, pending: report.host.pending,
      exitCode: report.host.exitCode, failures: report.host.failed,
    },
    ui: report.ui && {
      passed: report.ui.filter((c) => c.ok).length, failed: report.ui.filter((c) => !c.ok).length,
      checks: report.ui.map((c) => ({ ...c, screenshot: rel(c.screenshot) })),
    },
    errors: report.errors,
    durationMs: Date.now() - started,
    finishedAt: new Date().toISOString(),
  };
  fs.mkdirSync(artifactsDir, { recursive: true });
  fs.writeFileSync(resultsFile, `${JSON.stringify(json, null, 2)}\n`);
  return { passed, failed };
}

/**
 * Ends the run early (a signal, or the watchdog) with everything released and results written. The 15 s
 * fallback covers a cleanup step that hangs; process.on('exit') then kills what is left synchronously.
 */
function abort(cleanup: Cleanup, report: Report, started: number, why: string, code: number): void {
  log(why);
  report.errors.push(why);
  const finish = (): void => {
    const { passed, failed } = writeResults(report, started);
    printSummary(report, passed, failed);
    process.exit(code);
  };
  setTimeout(finish, 15_000).unref();
  void cleanup.runAll().finally(finish);
}

/** SIGINT/SIGTERM/SIGHUP leave with the conventional codes; any exit kills what cleanup has not released. */
function handleSignals(cleanup: Cleanup, report: Report, started: number): void {
  const codes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
  for (const signal of Object.keys(codes) as (keyof typeof codes)[]) {
    process.once(signal, () => abort(cleanup, report, started, `interrupted by ${signal}`, codes[signal]));
  }
  process.on('exit', () => cleanup.runAllSync());
}

async function runPasses(config: E2eConfig, cleanup: Cleanup, report: Report, scratch: string, started: number): Promise<void> {
  const installed = await ensureInstalled(cleanup, new Deadline(config.installTimeoutMs, 'PLUGBOARD_E2E_INSTALL_TIMEOUT_MS'));
  let vsix = config.vsix;
  if (config.phases.includes('ui') && !vsix) {
    vsix = await buildVsix(cleanup, new Deadline(config.installTimeoutMs, 'PLUGBOARD_E2E_INSTALL_TIMEOUT_MS'), config.extensionPath);
  }
  const deadline = new Deadline(config.timeoutMs, 'PLUGBOARD_E2E_TIMEOUT_MS');
  // Every wait is raced against the deadline; this only catches a bug in that, so a run can never hang.
  setTimeout(() => abort(cleanup, report, started, 'runner still busy 30 s past its timeout: forcing exit', 1),
    config.timeoutMs + 30_000).unref();
  const ctx: RunContext = { config, installed, cleanup, deadline, scratch };
  for (const phase of config.phases) {
    if (deadline.expired()) {
      log(`skipping the ${phase} pass: out of time`);
      continue;
    }
    try {
      if (phase === 'host') report.host = await hostPass(ctx);
      else report.ui = await uiPass(ctx, vsix!);
    } catch (err) {
      report.errors.push(`${phase} pass: ${(err as Error).message}`);
      log(`${phase} pass failed: ${(err as Error).message}`);
    }
  }
}

function printSummary(report: Report, passed: number, failed: number): void {
  for (const f of report.host?.failed ?? []) log(`FAILED (extension host) ${f.title}: ${f.error}`);
  for (const c of (report.ui ?? []).filter((check) => !check.ok)) log(`FAILED (UI) ${c.name}: ${c.error}`);
  for (const e of report.errors) log(`ERROR ${e}`);
  log(`results: ${path.relative(process.cwd(), resultsFile) || resultsFile}`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
}

async function main(): Promise<number> {
  const started = Date.now();
  const report: Report = { errors: [] };
  const cleanup = new Cleanup();
  let config: E2eConfig;
  try {
    config = readConfig();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  prepareArtifacts();
  handleSignals(cleanup, report, started);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-e2e-'));
  cleanup.add('remove scratch folder', async () => {
    if (config.keepScratch) log(`kept scratch folder ${scratch}`);
    else await fs.promises.rm(scratch, { recursive: true, force: true });
  }, () => fs.rmSync(scratch, { recursive: true, force: true }));

  try {
    await runPasses(config, cleanup, report, scratch, started);
  } catch (err) {
    report.errors.push((err as Error).message);
    log(`error: ${(err as Error).message}`);
  } finally {
    await cleanup.runAll();
  }
  // Our processes all carry the scratch path on their command line (code-server's and Chromium's profiles).
  const leftovers = killProcessesMentioning(`${scratch}/`);
  if (leftovers.length > 0) report.errors.push(`processes left running after cleanup (now killed): ${leftovers.join(' ')}`);
  const { passed, failed } = writeResults(report, started);
  printSummary(report, passed, failed);
  log(`finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`e2e runner crashed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
