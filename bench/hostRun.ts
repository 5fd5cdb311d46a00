/**
 * `npm run bench -- host`: bench/host/editorHost.test.ts inside a real extension host. It starts the real-editor
 * runner (out/test/e2e/run.js, host pass only, this extension as built in dist/ by `node esbuild.js`) with
 * bench/host as its test folder, and prints what the bench wrote. The runner installs code-server on first use
 * (see test/e2e/README.md) and, as on every run, replaces what is in artifacts/e2e/.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EDITOR_TARGETS } from './editor';
import type { HostBenchResult, Memory } from './host/editorHost.test';

const ROOT = path.resolve(__dirname, '..', '..');

export async function runHostBench(): Promise<HostBenchResult> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'plugboard-host-bench-'));
  const out = path.join(dir, 'result.json');
  try {
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(ROOT, 'out', 'test', 'e2e', 'run.js'), '--only', 'host'], {
        cwd: ROOT,
        stdio: ['ignore', 'inherit', 'inherit'],
        env: {
          ...process.env,
          PLUGBOARD_E2E_TESTS: path.join(ROOT, 'out', 'bench', 'host'),
          PLUGBOARD_BENCH_HOST_OUT: out,
          PLUGBOARD_E2E_TIMEOUT_MS: process.env.PLUGBOARD_E2E_TIMEOUT_MS ?? '900000',
        },
      });
      child.on('error', reject);
      child.on('exit', (c) => resolve(c ?? 1));
    });
    const text = await fs.readFile(out, 'utf8').catch(() => undefined);
    if (code !== 0 || text === undefined) throw new Error(`the extension-host bench failed (runner exit ${code}); artifacts/e2e/ has its logs`);
    return JSON.parse(text) as HostBenchResult;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export function formatHostBench(r: HostBenchResult): string {
  const v = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  const m = r.memory;
  const growth = m.treeLoaded.rssMb - m.activated.rssMb;
  const settled = m.treeSettled.rssMb - m.activated.rssMb;
  const rest = (x: Memory) => {
    const spaces = Object.entries(x.spacesMb).filter(([, size]) => size >= 1).map(([name, size]) => `${name} ${size}`).join(', ');
    return `heap ${x.heapMb} MB in use of ${x.heapTotalMb} held (${spaces}), external ${x.externalMb} MB`;
  };
  const task = (s: { wallMs: number; longestTaskMs: number }) => `${s.wallMs} ms, longest task ${s.longestTaskMs} ms`;
  return [
    `Extension host (VS Code ${r.vscode} in code-server, node ${r.node}), ${r.tables.toLocaleString('en-US')} tables:`,
    `  after activation:        RSS ${m.activated.rssMb} MB, ${rest(m.activated)}`,
    `  tree loaded (${r.tableRows.toLocaleString('en-US')} rows): RSS ${m.treeLoaded.rssMb} MB (+${growth} MB), ${rest(m.treeLoaded)} [target growth <= ${EDITOR_TARGETS.growthMb} MB: ${v(growth <= EDITOR_TARGETS.growthMb)}]`,
    `  tree loaded, ${r.treeSettled.afterS} s idle later${r.treeSettled.givenBack ? '' : ' (V8 had not given its young generation back yet)'}: RSS ${m.treeSettled.rssMb} MB (+${settled} MB), ${rest(m.treeSettled)} [target growth <= ${EDITOR_TARGETS.growthMb} MB: ${v(settled <= EDITOR_TARGETS.growthMb)}]`,
    `  generating ts-types + pg-crud: peak RSS ${r.rssPeakGeneratingMb} MB (+${r.rssPeakGeneratingMb - m.activated.rssMb} MB over activation); after: RSS ${m.generated.rssMb} MB, ${rest(m.generated)}`,
    `  loading the tree:        ${task(r.steps.treeLoad)} (introspection included)`,
    `  Generate:                ${task(r.steps.generate)}`,
    `  drift check, current:    ${task(r.steps.driftCurrent)} [target <= ${EDITOR_TARGETS.taskMs} ms: ${v(r.steps.driftCurrent.longestTaskMs <= EDITOR_TARGETS.taskMs)}]`,
    `  drift check, changed:    ${task(r.steps.driftChanged)} [${v(r.steps.driftChanged.longestTaskMs <= EDITOR_TARGETS.taskMs)}]`,
    `  CodeLens on a generated file: ${task(r.steps.codeLens)}`,
  ].join('\n');
}
