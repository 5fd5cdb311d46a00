/**
 * The editor on a big database, measured in plain Node (no extension host here): what the extension host
 * holds and how long it is blocked, for a 5,000-table schema built on the local PostgreSQL server.
 *
 *  - retained heap: V8 heap in use after a full GC, before introspection and with the model held (what the
 *    schema service caches per profile and the tree reads), and the process's peak RSS growth while
 *    generating ts-types + pg-crud in-process (what Generate does on the extension host);
 *  - longest task while checking drift: a probe that hops through the event loop records the longest gap
 *    between two of its turns while `checkDrift` runs, with the files current and after a schema change
 *    (then the snapshot is read and diffed: on a worker thread as the editor does, and on this thread as the
 *    CLI does); beside it, the one-piece `fingerprint()` the CodeLens used to run;
 *  - reading a header: `readHeader` on the snapshot (first 8 KB only).
 *
 * `node --expose-gc out/bench/editor.js` alone, or `npm run bench -- editor`.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client } from 'pg';
import { postgresBackend } from '../src/backends/postgres';
import { postgresDriver } from '../src/backends/postgres/driver';
import { generate, SNAPSHOT_FILE } from '../src/core/codegen/generate';
import { readHeader } from '../src/core/codegen/headerFiles';
import { writeGeneratedFiles } from '../src/core/codegen/writer';
import { checkDrift } from '../src/core/introspect/drift';
import { fingerprint } from '../src/core/introspect/fingerprint';
import type { SchemaModel } from '../src/core/model';
import { MemorySecretStore } from '../src/core/profiles/secrets';
import { withLongestTask } from './probe';
import { DEFAULT_URL, ScratchDatabases, server } from './scratch';
import { schemaSql } from './schemaGen';

const TABLES = Number(process.env.PLUGBOARD_BENCH_EDITOR_TABLES) || 5_000;
export const EDITOR_TARGETS = { growthMb: 150, taskMs: 50 };

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapMb = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

/** The longest task while `fn` runs, in ms, and its value. */
async function longestTask<T>(fn: () => Promise<T> | T): Promise<[ms: number, value: T]> {
  const { longestTaskMs, value } = await withLongestTask(fn);
  return [longestTaskMs, value];
}

export interface EditorResult {
  tables: number;
  columns: number;
  heapBeforeMb: number;
  heapModelMb: number;
  rssBeforeMb: number;
  rssPeakGeneratingMb: number;
  snapshotMb: number;
  oneShotFingerprintMs: number;
  driftCurrentMs: number;
  driftStaleMs: number;
  driftStaleInThreadMs: number;
  readHeaderMs: number;
}

export async function runEditorBench(url = process.env.PLUGBOARD_BENCH_PG_URL || DEFAULT_URL): Promise<EditorResult> {
  const srv = server(url);
  const scratch = new ScratchDatabases(srv, new URL(url).pathname.slice(1) || 'postgres', async () => undefined);
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'plugboard-editor-bench-'));
  try {
    const db = await scratch.create('editor');
    const builder = new Client(srv.clientConfig(db));
    await builder.connect();
    process.stdout.write(`editor: building ${TABLES.toLocaleString('en-US')} tables…\n`);
    await builder.query(schemaSql({ label: 'XL', tables: TABLES, enums: 40, views: 120 })).finally(() => builder.end());

    const { profile, secret } = srv.profileFor(db);
    const host = { log: () => undefined, secrets: new MemorySecretStore(), fetch: globalThis.fetch, providers: { get: () => undefined }, timeoutMs: 120_000 };
    const introspect = async () => {
      const session = await postgresDriver.connect(profile, secret, host);
      try {
        return await session.introspect({});
      } finally {
        await session.close();
      }
    };
    await introspect(); // loads the code and warms the server's plans; its model is let go
    // Only after a turn of the event loop: until then the finished introspection's frames still hold that model
    // (measured: 64 MB still in use at 10,000 tables right after, 10 MB a moment later).
    await new Promise((resolve) => setTimeout(resolve, 100));
    const heapBeforeMb = heapMb();
    let model: SchemaModel | undefined = await introspect();
    const heapModelMb = heapMb();
    const columns = model.namespaces.reduce((n, ns) => n + ns.entities.reduce((m, e) => m + e.fields.length, 0), 0);

    // Generate in-process, sampling RSS while it runs.
    const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
    let rssPeak = rssBeforeMb;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss / 2 ** 20)), 5);
    const out = path.join(work, 'gen');
    const result = await generate(model, { profileName: 'bench', targets: ['ts-types', 'pg-crud'], offers: postgresBackend.targets, mapping: postgresBackend.valueMapping });
    await writeGeneratedFiles(out, result.files);
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss / 2 ** 20);
    const snapshotMb = (await fs.stat(path.join(out, SNAPSHOT_FILE))).size / 2 ** 20;

    const [oneShotFingerprintMs] = await longestTask(() => fingerprint(model!));
    const [driftCurrentMs, current] = await longestTask(() => checkDrift(out, model!));
    if (current.stale) throw new Error('the files just generated show as drifted');
    // A column added: the files are stale and the snapshot is read to say what changed.
    const changed: SchemaModel = { ...model, namespaces: model.namespaces.map((ns, i) => (i ? ns : { ...ns, entities: ns.entities.map((e, j) => (j ? e : { ...e, fields: [...e.fields, { ...e.fields[0]!, name: 'added_column' }] })) })) };
    const [driftStaleInThreadMs, inThread] = await longestTask(() => checkDrift(out, changed));
    // What the editor runs: the snapshot read and diffed on a worker thread.
    const [driftStaleMs, stale] = await longestTask(() => checkDrift(out, changed, undefined, { offThread: true }));
    for (const r of [inThread, stale]) if (!r.stale || r.snapshot !== 'read' || !r.changes.length) throw new Error('the changed schema was not reported with its change');
    if (JSON.stringify(stale.changes) !== JSON.stringify(inThread.changes)) throw new Error('the worker thread found other changes than the main thread');
    const [readHeaderMs] = await longestTask(() => readHeader(path.join(out, SNAPSHOT_FILE)));
    model = undefined;
    return {
      tables: TABLES, columns, heapBeforeMb, heapModelMb, rssBeforeMb, rssPeakGeneratingMb: rssPeak, snapshotMb,
      oneShotFingerprintMs, driftCurrentMs, driftStaleMs, driftStaleInThreadMs, readHeaderMs,
    };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
    await scratch.dropAll();
    scratch.dispose();
  }
}

export function formatEditorBench(r: EditorResult): string {
  const f0 = (n: number) => n.toFixed(0);
  const v = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  const growth = r.heapModelMb - r.heapBeforeMb;
  return [
    `Editor, ${r.tables.toLocaleString('en-US')} tables / ${r.columns.toLocaleString('en-US')} columns (plain Node, node ${process.version}):`,
    `  model held: heap ${f0(r.heapBeforeMb)} → ${f0(r.heapModelMb)} MB (+${f0(growth)} MB) [target growth <= ${EDITOR_TARGETS.growthMb} MB: ${v(growth <= EDITOR_TARGETS.growthMb)}]`,
    `  generating ts-types + pg-crud: RSS ${f0(r.rssBeforeMb)} → peak ${f0(r.rssPeakGeneratingMb)} MB (+${f0(r.rssPeakGeneratingMb - r.rssBeforeMb)} MB); snapshot ${r.snapshotMb.toFixed(1)} MB`,
    `  longest task: one-piece fingerprint() ${f0(r.oneShotFingerprintMs)} ms (what the CodeLens ran before); checkDrift, files current ${f0(r.driftCurrentMs)} ms [target <= ${EDITOR_TARGETS.taskMs} ms: ${v(r.driftCurrentMs <= EDITOR_TARGETS.taskMs)}]; checkDrift after a change (snapshot read and diffed on a worker thread, as the editor does) ${f0(r.driftStaleMs)} ms [${v(r.driftStaleMs <= EDITOR_TARGETS.taskMs)}], on the main thread (the CLI) ${f0(r.driftStaleInThreadMs)} ms`,
    `  readHeader on the snapshot: ${r.readHeaderMs.toFixed(1)} ms (first 8 KB only)`,
  ].join('\n');
}

if (require.main === module) {
  runEditorBench().then((r) => console.log(`\n${formatEditorBench(r)}`), (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exitCode = 1;
  });
}
