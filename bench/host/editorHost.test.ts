/**
 * The editor on a big database, measured inside a real extension host: VS Code served by code-server, started
 * by the real-editor runner (test/e2e/run.js) with this folder as its test folder. `npm run bench -- host`
 * starts it (bench/hostRun.ts) and prints what this writes to $PLUGBOARD_BENCH_HOST_OUT. It asserts only that
 * each step worked; the numbers are the point:
 *
 *  - the extension host's memory (RSS, and V8's heap after a full GC, by space) after activation, with a
 *    5,000-table connection's tree loaded (its model cached, every table row built) at once and again once V8
 *    has given back the young generation it grew meanwhile (after some seconds idle), its peak while Generate
 *    writes ts-types + pg-crud, and after;
 *  - the longest task (a probe hopping through the event loop) while the tree loads, while generating, while the
 *    drift monitor checks the files (current, then after a schema change), and while the CodeLens is asked for
 *    on a generated file.
 *
 * The database is built on the machine's PostgreSQL (the same generator as `npm run bench`) and dropped after.
 */
import * as assert from 'assert';
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { Session } from 'inspector';
import { getHeapSpaceStatistics, setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';
import * as vscode from 'vscode';
import type { PlugboardApi } from '../../src/extension';
import type { TreeNode } from '../../src/vscode/tree/nodes';
import { adminSql } from '../../test/e2e/suite/pgAdmin';
import { profileWindow, withLongestTask } from '../probe';
import { schemaSql } from '../schemaGen';

const TABLES = Number(process.env.PLUGBOARD_BENCH_EDITOR_TABLES) || 5_000;
const DB = `plugboard_hostbench_${randomBytes(4).toString('hex')}`;
const OUT = 'src/generated/host-bench';

export interface HostBenchResult {
  vscode: string;
  node: string;
  tables: number;
  tableRows: number;
  /** MB at each point, after a full GC: RSS; V8's heap in use and held; memory outside it (Buffers and the like). */
  memory: Record<'activated' | 'treeLoaded' | 'treeSettled' | 'generated', Memory>;
  /** Seconds of idle after the tree loaded until V8 gave back the young generation it grew, and whether it did (within IDLE_S). */
  treeSettled: { afterS: number; givenBack: boolean };
  rssPeakGeneratingMb: number;
  /** ms: wall time and longest task of each step. */
  steps: Record<'treeLoad' | 'generate' | 'driftCurrent' | 'driftChanged' | 'codeLens', { wallMs: number; longestTaskMs: number }>;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
const settle = () => new Promise((resolve) => setTimeout(resolve, 200));
export interface Memory {
  rssMb: number;
  heapMb: number;
  heapTotalMb: number;
  externalMb: number;
  /** MB V8 holds for each of its heap's spaces (in use or not), the biggest first. */
  spacesMb: Record<string, number>;
}
async function memory(): Promise<Memory> {
  await settle(); // frames of the step just finished let go of what they held
  gc();
  gc();
  const m = process.memoryUsage();
  const spaces = getHeapSpaceStatistics().sort((a, b) => b.space_size - a.space_size);
  const spacesMb = Object.fromEntries(spaces.map((s) => [s.space_name.replace(/_space$/, '').replace(/_/g, ' '), mb(s.space_size)]));
  return { rssMb: mb(m.rss), heapMb: mb(m.heapUsed), heapTotalMb: mb(m.heapTotal), externalMb: mb(m.external), spacesMb };
}

/** How long the bench waits, at most, for V8 to shrink the young generation after a step, and to what size. */
const IDLE_S = 40;
const YOUNG_SETTLED_MB = 8;
const newSpaceMb = () => mb(getHeapSpaceStatistics().find((x) => x.space_name === 'new_space')?.space_size ?? 0);

/**
 * Waits, doing nothing, until V8 has shrunk the young generation (to YOUNG_SETTLED_MB or less) or IDLE_S seconds have
 * passed, then measures. The probe is `v8.getHeapSpaceStatistics()` once a second, which allocates nothing
 * worth speaking of, so the host stays idle.
 */
async function afterIdle(): Promise<{ memory: Memory; afterS: number; givenBack: boolean }> {
  const started = Date.now();
  while (newSpaceMb() > YOUNG_SETTLED_MB && Date.now() - started < IDLE_S * 1000) await new Promise((resolve) => setTimeout(resolve, 1000));
  const givenBack = newSpaceMb() <= YOUNG_SETTLED_MB;
  return { memory: await memory(), afterS: Math.round((Date.now() - started) / 1000), givenBack };
}

/** `post` on an inspector session of this very process, as a promise. */
function post<R>(session: Session, method: string, params?: object): Promise<R> {
  return new Promise((resolve, reject) => session.post(method, params, (err, result) => (err ? reject(err) : resolve(result as R))));
}

/**
 * With $PLUGBOARD_BENCH_HOST_PROFILE set to a folder, a CPU profile of the extension host while `fn` runs is
 * written there as <name>.cpuprofile (open it in Chrome's DevTools or VS Code), and what it sampled during the
 * longest task as <name>.longest.txt.
 */
async function profiled<T extends { longestTaskUs: [number, number] }>(name: string, fn: () => Promise<T>): Promise<T> {
  const dir = process.env.PLUGBOARD_BENCH_HOST_PROFILE;
  if (!dir) return fn();
  const session = new Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.setSamplingInterval', { interval: 500 });
  await post(session, 'Profiler.start');
  let result: T | undefined;
  try {
    return (result = await fn());
  } finally {
    const { profile } = await post<{ profile: Parameters<typeof profileWindow>[0] }>(session, 'Profiler.stop');
    session.disconnect();
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    if (result) await fs.writeFile(path.join(dir, `${name}.longest.txt`), profileWindow(profile, result.longestTaskUs));
  }
}

/** Runs `fn` while a probe hops through the event loop: wall time and the longest gap between two hops. */
function step<T>(name: string, fn: () => Thenable<T> | T): Promise<{ wallMs: number; longestTaskMs: number; longestTaskUs: [number, number]; value: T }> {
  return profiled(name, () => withLongestTask(fn));
}

describe(`bench: the extension host with ${TABLES.toLocaleString('en-US')} tables`, function () {
  this.timeout(600_000);
  let api: PlugboardApi;
  let profileId = '';
  const result: Omit<Partial<HostBenchResult>, 'steps' | 'memory'> & { steps: Partial<HostBenchResult['steps']>; memory: Partial<HostBenchResult['memory']> } = { steps: {}, memory: {} };
  const label = (n: TreeNode) => String(api.tree.getTreeItem(n).label);
  const child = async (parent: TreeNode | undefined, name: string) => {
    const kids = await api.tree.getChildren(parent);
    const found = kids.find((k) => label(k) === name);
    assert.ok(found, `expected "${name}" among ${JSON.stringify(kids.map(label))}`);
    return found;
  };

  before(async () => {
    api = await vscode.extensions.getExtension<PlugboardApi>('plugboard.plugboard')!.activate();
    await adminSql(`CREATE DATABASE ${DB}`);
    await adminSql(schemaSql({ label: 'XL', tables: TABLES, enums: 40, views: 120 }), DB);
    await adminSql('ANALYZE', DB);
    // Extensions that wake on a TypeScript file (VS Code's own TypeScript features) start now, not inside a step.
    await vscode.workspace.openTextDocument({ language: 'typescript', content: 'export {};\n' });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
  });

  after(async () => {
    if (profileId) await vscode.commands.executeCommand('plugboard.removeConnection', profileId, { confirm: false });
    await api?.context.sessions.closeAll();
    await adminSql(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await fs.rm(path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, OUT), { recursive: true, force: true });
    const file = process.env.PLUGBOARD_BENCH_HOST_OUT;
    if (file) await fs.writeFile(file, JSON.stringify({ ...result, vscode: vscode.version, node: process.version, tables: TABLES }, null, 2));
  });

  it('measures the tree, Generate, the drift check and the CodeLens', async () => {
    result.memory.activated = await memory();
    const saved = await vscode.commands.executeCommand<{ id: string }>('plugboard.addConnection', {
      kind: 'postgres', name: 'Host bench', host: '127.0.0.1', port: 5432, database: DB, user: 'postgres', sslmode: 'disable',
    });
    profileId = saved.id;

    // What expanding the connection, then each schema's Tables, asks of the tree.
    const tree = await step('treeLoad', async () => {
      const conn = await child(undefined, 'Host bench');
      let rows = 0;
      for (const ns of await api.tree.getChildren(conn)) {
        const tables = (await api.tree.getChildren(ns)).find((n) => label(n) === 'Tables');
        if (!tables) continue;
        for (const row of await api.tree.getChildren(tables)) {
          api.tree.getTreeItem(row);
          rows++;
        }
      }
      return rows;
    });
    result.tableRows = tree.value;
    assert.ok(tree.value >= TABLES * 0.9, `${tree.value} table rows`);
    result.steps.treeLoad = { wallMs: tree.wallMs, longestTaskMs: tree.longestTaskMs };
    result.memory.treeLoaded = await memory();
    // V8 keeps the young generation it grew while the model was built until the isolate has been idle a while
    // (its memory reducer): what the host holds once that is done, and how long it took.
    const { memory: settled, ...idle } = await afterIdle();
    result.memory.treeSettled = settled;
    result.treeSettled = idle;

    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const generated = await step('generate', () => vscode.commands.executeCommand<{ written: string[] }>('plugboard.generateClient', profileId, { targets: ['ts-types', 'pg-crud'], outDir: OUT }));
    clearInterval(sampler);
    assert.ok(generated.value.written.length > 0);
    result.rssPeakGeneratingMb = mb(Math.max(peak, process.memoryUsage().rss));
    result.steps.generate = { wallMs: generated.wallMs, longestTaskMs: generated.longestTaskMs };
    result.memory.generated = await memory();

    const current = await step('driftCurrent', () => api.drift.update(profileId));
    assert.equal(api.drift.report(profileId)?.stale, false, 'the files just generated are current');
    result.steps.driftCurrent = { wallMs: current.wallMs, longestTaskMs: current.longestTaskMs };

    // A column added and the schema read again (the re-read is not the drift check's: it is not measured here).
    await adminSql(`ALTER TABLE app.t1000 ADD COLUMN added_for_bench text`, DB);
    await api.context.schemas.model((await api.context.profiles.list()).find((p) => p.id === profileId)!, { fresh: true });
    const changed = await step('driftChanged', () => api.drift.update(profileId));
    assert.match(String(api.drift.summary(profileId)), /added_for_bench/);
    result.steps.driftChanged = { wallMs: changed.wallMs, longestTaskMs: changed.longestTaskMs };

    const file = vscode.Uri.file(path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, OUT, 'app.types.ts'));
    await vscode.workspace.openTextDocument(file);
    const lens = await step('codeLens', () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file));
    assert.ok((lens.value ?? []).some((l) => l.command?.title.includes('Schema changed')), JSON.stringify((lens.value ?? []).map((l) => l.command?.title)));
    result.steps.codeLens = { wallMs: lens.wallMs, longestTaskMs: lens.longestTaskMs };
  });
});
