/**
 * `npm run bench`: introspection and codegen against S / M / L schemas on the local PostgreSQL server.
 *
 * For each size: a scratch database is created and filled in one round trip (bench/schemaGen.ts); then, on a
 * warm connected session, introspection is timed (median), its catalog queries are counted, and it is set
 * against the floor measured in the same run (bench/measure.ts); codegen (ts-types + pg-crud) is timed on
 * the model. A benchmark prints; it asserts nothing (exit 0 unless something crashed).
 *
 * Sections (`npm run bench -- <section>…`; none named: all of them, in this order):
 *   pg      the above (in-process introspection and codegen against the floor), sizes S, M, L
 *   whole   whole process, start to written .ts, against the node + pg floor, kysely-codegen and postgres-meta
 *           typegen (bench/wholeProcess.ts), sizes S, M, L, XL
 *   mysql   MySQL / MariaDB introspection and codegen (bench/mysql.ts)
 *   infer   document schema inference against mongodb-schema (bench/infer.ts)
 *   startup the bundle: extension.js size, its require time with a stub vscode, activate(), `--help` over
 *           `node -e 0`, optionally the vsix (bench/startup.ts; no server needed)
 *   editor  with a 5,000-table schema: the heap the model holds, RSS while generating, the longest task
 *           while checking drift (bench/editor.ts)
 *   host    the same schema in a real extension host (code-server): its memory with the tree loaded and while
 *           generating, the longest task of each step (bench/hostRun.ts, bench/host/editorHost.test.ts)
 *
 * Env: PLUGBOARD_BENCH_PG_URL (server, default postgres://postgres@127.0.0.1:5432/postgres),
 *      PLUGBOARD_BENCH_SIZES (e.g. "S,M"; default each section's own), PLUGBOARD_BENCH_DUMP (a folder: the
 *      SchemaModel of each size is written there as <size>.json, to diff two versions of the introspection),
 *      PLUGBOARD_BENCH_RUNS (whole: rounds per size).
 */
import { promises as fs, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { postgresBackend } from '../src/backends/postgres';
import { postgresDriver } from '../src/backends/postgres/driver';
import { parsePostgresConnectionString } from '../src/backends/postgres/url';
import type { Session } from '../src/core/backend';
import { generate } from '../src/core/codegen/generate';
import type { SchemaModel } from '../src/core/model';
import { MemorySecretStore } from '../src/core/profiles/secrets';
import { breakdown, FLOOR_SQL, median, timed, type Breakdown } from './measure';
import { DEFAULT_URL, ScratchDatabases, server, type Server } from './scratch';
import { schemaSql, SIZES, type SizeSpec } from './schemaGen';
import { formatMysqlBench, runMysqlBench } from './mysql';
import { benchInference, printInference } from './infer';
import { formatWholeProcess, runWholeProcessBench } from './wholeProcess';
import { benchStartup } from './startup';

const RUNS: Record<SizeSpec['label'], number> = { S: 21, M: 11, L: 9, XL: 5 };
const WARMUP = 2;
const TARGET_RATIO = 1.3;
const TARGET_CODEGEN_MS = 1_000;

interface Result {
  spec: SizeSpec;
  buildS: number;
  entities: number;
  columns: number;
  introspectMs: number;
  queries: string;
  floorMs: number;
  floorRows: number;
  codegenMs: number;
  files: number;
  outKb: number;
  parts: Breakdown;
}

/** Closables still open; closed before the scratch databases are dropped, also on Ctrl-C. */
const open = new Set<{ close(): Promise<void> }>();

async function benchSize(spec: SizeSpec, srv: Server, scratch: ScratchDatabases): Promise<Result> {
  const db = await scratch.create(spec.label.toLowerCase());
  const sql = schemaSql(spec);
  const builder = new Client(srv.clientConfig(db));
  await builder.connect();
  const [buildMs] = await timed(() => builder.query(sql)).finally(() => builder.end());

  const { profile, secret } = srv.profileFor(db);
  const host = { log: () => undefined, secrets: new MemorySecretStore(), fetch: globalThis.fetch, providers: { get: () => undefined }, timeoutMs: 30_000 };
  const session: Session = await postgresDriver.connect(profile, secret, host);
  open.add(session);
  const floor = new Client(srv.clientConfig(db));
  await floor.connect();
  const floorCloser = { close: () => floor.end() };
  open.add(floorCloser);

  const introspect = async () => {
    const before = session.queryCount;
    const [ms, model] = await timed(() => session.introspect({}));
    return { ms, model, queries: session.queryCount - before };
  };
  const floorOnce = () => timed(() => floor.query(FLOOR_SQL));

  // Warm up both sides (the pool opens its connections, plans and catalog caches fill), then alternate the
  // two so that drift in machine load hits them alike.
  for (let i = 0; i < WARMUP; i++) {
    await introspect();
    await floorOnce();
  }
  const iTimes: number[] = [];
  const fTimes: number[] = [];
  const queryCounts = new Set<number>();
  let model: SchemaModel | undefined;
  let floorRows = 0;
  for (let i = 0; i < RUNS[spec.label]; i++) {
    const r = await introspect();
    iTimes.push(r.ms);
    queryCounts.add(r.queries);
    model = r.model;
    const [fms, fres] = await floorOnce();
    fTimes.push(fms);
    floorRows = fres.rowCount ?? fres.rows.length;
  }
  const parts = await breakdown(floor, Math.min(RUNS[spec.label], 7));
  open.delete(session);
  open.delete(floorCloser);
  await Promise.all([session.close(), floor.end()]);
  if (!model) throw new Error('no introspection run');

  if (process.env.PLUGBOARD_BENCH_DUMP) {
    const dir = path.resolve(process.env.PLUGBOARD_BENCH_DUMP);
    await fs.mkdir(dir, { recursive: true });
    // The scratch database's name changes with every run; everything else must not.
    const stable = { ...model, source: { ...model.source, database: '<scratch>' } };
    await fs.writeFile(path.join(dir, `${spec.label}.json`), `${JSON.stringify(stable, null, 1)}\n`);
  }

  const options = { profileName: 'bench', targets: ['ts-types', 'pg-crud'], offers: postgresBackend.targets, mapping: postgresBackend.valueMapping };
  await generate(model, options); // loads and compiles the templates once, as a session would
  const cTimes: number[] = [];
  let files = 0;
  let bytes = 0;
  for (let i = 0; i < Math.min(RUNS[spec.label], 7); i++) {
    const [ms, out] = await timed(() => generate(model, options));
    cTimes.push(ms);
    files = out.files.length;
    bytes = out.files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
  }

  const entities = model.namespaces.reduce((n, ns) => n + ns.entities.length, 0);
  const columns = model.namespaces.reduce((n, ns) => n + ns.entities.reduce((m, e) => m + e.fields.length, 0), 0);
  return {
    spec,
    buildS: buildMs / 1000,
    entities,
    columns,
    introspectMs: median(iTimes),
    queries: [...queryCounts].join('/'),
    floorMs: median(fTimes),
    floorRows,
    codegenMs: median(cTimes),
    files,
    outKb: bytes / 1024,
    parts,
  };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

const f1 = (n: number) => n.toFixed(1);
const int = (n: number) => n.toLocaleString('en-US');

function report(results: Result[]): void {
  console.log(
    `\n${table([
      ['size', 'tables', 'entities', 'columns', 'build s', 'introspect ms', 'queries', 'floor ms', 'ratio', 'codegen ms', 'files', 'out KB'],
      ...results.map((r) => [
        r.spec.label, int(r.spec.tables), int(r.entities), int(r.columns), r.buildS.toFixed(2), f1(r.introspectMs), r.queries,
        f1(r.floorMs), `${(r.introspectMs / r.floorMs).toFixed(2)}x`, f1(r.codegenMs), int(r.files), int(Math.round(r.outKb)),
      ]),
    ])}\n`,
  );
  console.log('Catalog queries alone, sequential on one warm connection, JSON parse included (ms; entries), and model building:');
  for (const r of results) {
    const q = r.parts.queries.map((x) => `${x.part} ${f1(x.ms)} (${int(x.entries)})`).join(', ');
    console.log(`  ${r.spec.label}: ${q}; build ${f1(r.parts.build)}; floor ${f1(r.floorMs)} (${int(r.floorRows)})`);
  }
  console.log('');
  for (const r of results) {
    const ratio = r.introspectMs / r.floorMs;
    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
    const targets = r.spec.label === 'L'
      ? ` [targets: ratio <= ${TARGET_RATIO}x ${verdict(ratio <= TARGET_RATIO)}; codegen < 1 s ${verdict(r.codegenMs < TARGET_CODEGEN_MS)}]`
      : '';
    console.log(
      `${r.spec.label}: introspection ${f1(r.introspectMs)} ms, ${r.queries} queries for ${int(r.entities)} entities / ${int(r.columns)} columns, ` +
        `${ratio.toFixed(2)}x the floor (${f1(r.floorMs)} ms); codegen ${f1(r.codegenMs)} ms, ${int(r.files)} files${targets}`,
    );
  }
  const dist = path.resolve(__dirname, '..', '..', 'dist');
  for (const file of ['extension.js', 'cli.js']) {
    try {
      const kb = statSync(path.join(dist, file)).size / 1024;
      console.log(`activation: dist/${file} is ${f1(kb)} KB${file === 'extension.js' ? ' (what activate() loads before any adapter)' : ''}`);
    } catch {
      console.log(`activation: dist/${file} not built (npm run build)`);
    }
  }
}

async function postgresInProcess(): Promise<void> {
  const url = process.env.PLUGBOARD_BENCH_PG_URL || DEFAULT_URL;
  const srv = server(url);
  const adminDb = parsePostgresConnectionString(url).database ?? 'postgres';
  const wanted = (process.env.PLUGBOARD_BENCH_SIZES ?? 'S,M,L').toUpperCase().split(/[\s,]+/);
  const specs = SIZES.filter((s) => wanted.includes(s.label));
  const scratch = new ScratchDatabases(srv, adminDb, async () => {
    await Promise.all([...open].map((c) => c.close().catch(() => undefined)));
    open.clear();
  });
  const check = new Client(srv.clientConfig(adminDb));
  await check.connect();
  const { rows } = await check.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
  await check.end();
  console.log(
    `Plugboard bench: PostgreSQL ${rows[0]?.v} at ${String(srv.profileFor(adminDb).profile.options.host)}:${String(srv.profileFor(adminDb).profile.options.port ?? 5432)}, ` +
      `node ${process.version}, ${os.cpus().length} CPUs; scratch databases ${scratch.prefix}_*`,
  );
  const results: Result[] = [];
  try {
    for (const spec of specs) {
      process.stdout.write(`${spec.label}: building ${int(spec.tables)} tables and measuring…\n`);
      results.push(await benchSize(spec, srv, scratch));
    }
  } finally {
    await scratch.dropAll();
    scratch.dispose();
  }
  report(results);
}

const sizesFromEnv = () => process.env.PLUGBOARD_BENCH_SIZES?.toUpperCase().split(/[\s,]+/);

const SECTIONS: Record<string, () => Promise<void>> = {
  pg: postgresInProcess,
  whole: async () => {
    const url = process.env.PLUGBOARD_BENCH_PG_URL || DEFAULT_URL;
    console.log(`\nWhole process (start → connect → introspect → write .ts), node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    const result = await runWholeProcessBench({ url, sizes: sizesFromEnv() ?? ['S', 'M', 'L', 'XL'] });
    console.log(`\n${formatWholeProcess(result)}`);
  },
  mysql: async () => console.log(`\n${formatMysqlBench(await runMysqlBench({ sizes: sizesFromEnv() }))}`),
  infer: async () => printInference(await benchInference()),
  startup: benchStartup,
  editor: async () => {
    const { runEditorBench, formatEditorBench } = await import('./editor');
    console.log(`\n${formatEditorBench(await runEditorBench())}`);
  },
  host: async () => {
    const { runHostBench, formatHostBench } = await import('./hostRun');
    console.log(`\n${formatHostBench(await runHostBench())}`);
  },
};

async function main(): Promise<void> {
  const asked = process.argv.slice(2).map((a) => a.toLowerCase());
  const unknown = asked.filter((a) => !(a in SECTIONS));
  if (unknown.length) throw new Error(`Unknown bench section ${unknown.join(', ')}; choose from ${Object.keys(SECTIONS).join(', ')}.`);
  for (const name of asked.length ? asked : Object.keys(SECTIONS)) await SECTIONS[name]!();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
});
