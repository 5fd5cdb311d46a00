/**
 * Startup: what a user pays before Plugboard does anything. A production build (node esbuild.js --production,
 * into .bench-tmp/startup/dist) is measured in fresh node processes, each set against `node -e 0` in the same
 * run (alternating, so drift in machine load hits both alike):
 * - the size of dist/extension.js, and of every dist file that requiring it loads;
 * - the time to require extension.js (a stand-in 'vscode' module), measured inside the process;
 * - activate() with a minimal stand-in context, and the dist files loaded by then;
 * - `node dist/cli.js --help`, wall clock, minus `node -e 0`;
 * - the files `vsce ls` would ship (and the .vsix itself with PLUGBOARD_BENCH_VSIX=1: packaging takes a while).
 * A benchmark prints; it asserts nothing. Env: PLUGBOARD_BENCH_STARTUP_RUNS (fresh processes per
 * measurement, default 15), PLUGBOARD_BENCH_STARTUP_DIST (measure this dist folder, e.g. another version's
 * production build, instead of building one).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fs, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { PROBE, VSCODE_STUB } from '../test/support/vscodeStub';
import { median } from './measure';

export const STARTUP_TARGETS = { extensionKb: 300, requireMs: 25, cliHelpOverNodeMs: 40 } as const;

const ROOT = path.resolve(__dirname, '..', '..');

interface Probe {
  requireMs: number;
  loaded: string[];
  activateMs?: number;
  activated?: string[];
}

function wallMs(args: string[], cwd: string): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (${r.status}): ${r.stderr.toString().slice(0, 2000)}`);
  return ms;
}

function probe(dir: string, dist: string, mode: 'require' | 'activate'): Probe {
  const r = spawnSync(process.execPath, [path.join(dir, 'probe.js'), dist, mode, path.join(dir, 'storage')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`probe (${mode}) failed: ${r.stderr.toString().slice(0, 2000)}`);
  return JSON.parse(r.stdout.toString()) as Probe;
}

const kb = (bytes: number) => bytes / 1024;
const f1 = (n: number) => n.toFixed(1);
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

export async function benchStartup(): Promise<void> {
  const runs = Number(process.env.PLUGBOARD_BENCH_STARTUP_RUNS ?? 15);
  const dir = path.join(ROOT, '.bench-tmp', 'startup');
  const dist = path.join(dir, 'dist');
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(path.join(dir, 'node_modules', 'vscode'), { recursive: true });
  await fs.mkdir(path.join(dir, 'storage'), { recursive: true });
  await fs.writeFile(path.join(dir, 'node_modules', 'vscode', 'index.js'), VSCODE_STUB);
  await fs.writeFile(path.join(dir, 'probe.js'), PROBE);
  const given = process.env.PLUGBOARD_BENCH_STARTUP_DIST;
  if (given) {
    process.stdout.write(`startup: measuring the build in ${given}…\n`);
    await fs.cp(path.resolve(given), dist, { recursive: true });
  } else {
    process.stdout.write(`startup: production build into ${path.relative(ROOT, dist)}…\n`);
    execFileSync(process.execPath, ['esbuild.js', '--production', '--outdir', dist], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }

  const size = (f: string) => statSync(path.join(dist, f)).size;
  const distJs = readdirSync(dist).filter((f) => f.endsWith('.js'));
  const cli = path.join(dist, 'cli.js');
  // Warm the disk cache, then alternate the floor with each measurement.
  wallMs(['-e', '0'], dir);
  probe(dir, dist, 'require');
  wallMs([cli, '--help'], dir);
  const floor: number[] = [];
  const requireMs: number[] = [];
  const requireWall: number[] = [];
  const activateMs: number[] = [];
  const help: number[] = [];
  let first: Probe | undefined;
  let activated: Probe | undefined;
  for (let i = 0; i < runs; i++) {
    floor.push(wallMs(['-e', '0'], dir));
    const t0 = performance.now();
    const p = probe(dir, dist, 'require');
    requireWall.push(performance.now() - t0);
    requireMs.push(p.requireMs);
    first ??= p;
    const a = probe(dir, dist, 'activate');
    activateMs.push(a.activateMs ?? NaN);
    activated ??= a;
    help.push(wallMs([cli, '--help'], dir));
  }
  const floorMs = median(floor);
  const extKb = kb(size('extension.js'));
  const loadedKb = kb((first?.loaded ?? []).reduce((n, f) => n + size(f), 0));
  const activatedKb = kb((activated?.activated ?? []).reduce((n, f) => n + size(f), 0));
  const helpOver = median(help) - floorMs;
  const allKb = kb(distJs.reduce((n, f) => n + size(f), 0));

  console.log(`\nStartup (production build, node ${process.version}, median of ${runs} fresh processes; node -e 0 = ${f1(floorMs)} ms):`);
  console.log(`  dist/extension.js            ${f1(extKb)} KB  [target <= ${STARTUP_TARGETS.extensionKb} KB: ${verdict(extKb <= STARTUP_TARGETS.extensionKb)}]`);
  console.log(`  loaded by require            ${f1(loadedKb)} KB in ${first?.loaded.length} files  [target <= ${STARTUP_TARGETS.extensionKb} KB: ${verdict(loadedKb <= STARTUP_TARGETS.extensionKb)}]`);
  console.log(`  require(extension.js)        ${f1(median(requireMs))} ms in process; whole process ${f1(median(requireWall) - floorMs)} ms over node -e 0  [target < ${STARTUP_TARGETS.requireMs} ms: ${verdict(median(requireMs) < STARTUP_TARGETS.requireMs)}]`);
  console.log(`  activate() (stand-in context) ${f1(median(activateMs))} ms; loaded by then ${f1(activatedKb)} KB in ${activated?.activated?.length} files`);
  console.log(`  plugboard --help             ${f1(median(help))} ms, ${f1(helpOver)} ms over node -e 0  [target <= ${STARTUP_TARGETS.cliHelpOverNodeMs} ms over: ${verdict(helpOver <= STARTUP_TARGETS.cliHelpOverNodeMs)}]`);
  console.log(`  all of dist/*.js             ${f1(allKb)} KB in ${distJs.length} files (each loaded on first use)`);
  await vsix(dir);
}

/** What the .vsix would hold (vsce ls), and with PLUGBOARD_BENCH_VSIX=1 the packaged size. */
async function vsix(dir: string): Promise<void> {
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  if (process.env.PLUGBOARD_BENCH_VSIX !== '1') {
    console.log('  .vsix                        not packaged (PLUGBOARD_BENCH_VSIX=1 runs vsce package: a production build into dist/ and a zip)');
    return;
  }
  const out = path.join(dir, 'plugboard.vsix');
  execFileSync(process.execPath, [vsce, 'package', '--no-update-package-json', '--no-rewrite-relative-links', '--out', out], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  console.log(`  .vsix                        ${f1(kb(statSync(out).size))} KB`);
}

if (require.main === module) {
  benchStartup().catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exitCode = 1;
  });
}
