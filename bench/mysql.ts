/**
 * MySQL / MariaDB introspection and codegen benchmark: S / M / L schemas (bench/mysqlSchema.ts) on the local
 * server. For each size a scratch database is built; then, on a warm session, introspection is timed
 * (median), its catalog queries counted, and it is set against the floor measured in the same run: one query
 * for every column of every table with its type, on a warm connection of the same driver. Codegen
 * (ts-types + mysql-crud) is timed on the model. It prints; it asserts nothing.
 *
 * `runMysqlBench()` is what a bench runner calls; `node out/bench/mysql.js` runs it alone.
 * Env: PLUGBOARD_BENCH_MYSQL_URL (default mysql://root@127.0.0.1:3306/test), PLUGBOARD_BENCH_SIZES ("S,M").
 */
import * as os from 'node:os';
import { createConnection, escapeId, type Connection, type ConnectionOptions } from 'mysql2/promise';
import { mysqlBackend } from '../src/backends/mysql';
import { catalogQueries, viewsQuery, type CatalogQuery, type CatalogRows, type TableRow } from '../src/backends/mysql/catalog';
import { buildModel } from '../src/backends/mysql/introspect';
import { databaseScope } from '../src/backends/mysql/options';
import { serverInfo } from '../src/backends/mysql/server';
import type { MySqlOptions } from '../src/backends/mysql/options';
import type { Session } from '../src/core/backend';
import { generate } from '../src/core/codegen/generate';
import type { Secret, SchemaModel } from '../src/core/model';
import { MemorySecretStore } from '../src/core/profiles/secrets';
import { median, timed } from './measure';
import { MYSQL_SIZES, mysqlSchemaBatches, type MysqlSizeSpec } from './mysqlSchema';

export const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306/test';
const RUNS: Record<MysqlSizeSpec['label'], number> = { S: 21, M: 11, L: 7 };
const WARMUP = 2;
export const MYSQL_TARGET_RATIO = 1.5;

/** One query for every column of every table with its type: the least an introspection has to read. */
export const MYSQL_FLOOR_SQL = 'SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?';

export interface MysqlBenchResult {
  label: MysqlSizeSpec['label'];
  tables: number;
  entities: number;
  columns: number;
  buildS: number;
  introspectMs: number;
  queries: string;
  floorMs: number;
  ratio: number;
  codegenMs: number;
  files: number;
  /** Each catalog query alone on one warm connection (median ms), and building the model from their rows. */
  parts: { part: string; ms: number; rows: number }[];
  buildMs: number;
}

interface Target {
  options: MySqlOptions;
  secret: Secret;
  connection(database?: string): ConnectionOptions;
}

function target(url: string): Target {
  const { options, secret } = mysqlBackend.parse(url);
  // A loopback benchmark measures catalog work, not TLS.
  const o: MySqlOptions = { ...options, sslMode: options.sslMode ?? 'DISABLED' };
  return {
    options: o,
    secret,
    connection: (database) => ({
      host: o.host ?? 'localhost', port: o.port ?? 3306, user: o.user ?? 'root', password: secret.password,
      ...(database && { database }), multipleStatements: true, supportBigNumbers: true,
    }),
  };
}

async function connect(t: Target, database: string): Promise<Session> {
  const driver = await mysqlBackend.load();
  const host = { log: () => undefined, secrets: new MemorySecretStore(), fetch: globalThis.fetch, providers: { get: () => undefined }, timeoutMs: 120_000 };
  return driver.connect({ id: 'bench', name: 'bench', kind: 'mysql', options: { ...t.options, database } }, t.secret, host);
}

async function benchSize(spec: MysqlSizeSpec, t: Target, database: string, log: (line: string) => void): Promise<MysqlBenchResult> {
  const admin = await createConnection(t.connection());
  try {
    await admin.query(`CREATE DATABASE ${escapeId(database)}`);
  } finally {
    await admin.end();
  }
  const builder = await createConnection(t.connection(database));
  const [buildMs] = await timed(async () => {
    for (const batch of mysqlSchemaBatches(spec)) await builder.query(batch);
  }).finally(() => builder.end());
  log(`${spec.label}: built ${spec.tables} tables in ${(buildMs / 1000).toFixed(1)} s; measuring…`);

  const session = await connect(t, database);
  const floor: Connection = await createConnection(t.connection(database));
  const { parts, buildMs: modelMs } = await breakdown(floor, database, Math.min(RUNS[spec.label], 7));
  let model: SchemaModel | undefined;
  const iTimes: number[] = [];
  const fTimes: number[] = [];
  const counts = new Set<number>();
  try {
    const introspect = async () => {
      const before = session.queryCount;
      const [ms, m] = await timed(() => session.introspect({}));
      return { ms, m, queries: session.queryCount - before };
    };
    const floorOnce = () => timed(() => floor.query({ sql: MYSQL_FLOOR_SQL, values: [database], rowsAsArray: true }));
    // Warm both sides, then alternate them so that drift in machine load hits both alike.
    for (let i = 0; i < WARMUP; i++) await Promise.all([introspect(), floorOnce()].map((p) => p.then(() => undefined)));
    for (let i = 0; i < RUNS[spec.label]; i++) {
      const r = await introspect();
      iTimes.push(r.ms);
      counts.add(r.queries);
      model = r.m;
      fTimes.push((await floorOnce())[0]);
    }
  } finally {
    await Promise.allSettled([session.close(), floor.end()]);
  }
  if (!model) throw new Error('no introspection run');

  const options = { profileName: 'bench', targets: ['ts-types', 'mysql-crud'], offers: mysqlBackend.targets, mapping: mysqlBackend.valueMapping };
  await generate(model, options); // loads and compiles the templates once, as a session would
  const cTimes: number[] = [];
  let files = 0;
  for (let i = 0; i < Math.min(RUNS[spec.label], 7); i++) {
    const [ms, out] = await timed(() => generate(model, options));
    cTimes.push(ms);
    files = out.files.length;
  }
  const entities = model.namespaces.reduce((n, ns) => n + ns.entities.length, 0);
  const columns = model.namespaces.reduce((n, ns) => n + ns.entities.reduce((m, e) => m + e.fields.length, 0), 0);
  const introspectMs = median(iTimes);
  const floorMs = median(fTimes);
  return {
    label: spec.label, tables: spec.tables, entities, columns, buildS: buildMs / 1000, introspectMs, queries: [...counts].join('/'),
    floorMs, ratio: introspectMs / floorMs, codegenMs: median(cTimes), files, parts, buildMs: modelMs,
  };
}

/**
 * Where introspection time goes: each catalog query alone on one warm connection, and the model built from
 * their rows. Diagnostic only: it explains the ratio (introspection runs the queries at once), it is not it.
 */
async function breakdown(conn: Connection, database: string, runs: number): Promise<{ parts: MysqlBenchResult['parts']; buildMs: number }> {
  const [[version]] = (await conn.query({ sql: 'SELECT VERSION()', rowsAsArray: true }))[0] as unknown as [[string]];
  const server = serverInfo(version);
  const rows: Record<string, unknown[][]> = {};
  const parts: MysqlBenchResult['parts'] = [];
  const measure = async (q: CatalogQuery) => {
    const times: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const [ms, [result]] = await timed(() => conn.query({ sql: q.sql, values: q.values, rowsAsArray: true }));
      if (i > 0) times.push(ms); // the first run warms the caches
      rows[q.part] = result as unknown as unknown[][];
    }
    parts.push({ part: q.part, ms: median(times), rows: rows[q.part]!.length });
  };
  for (const q of catalogQueries(server, databaseScope({ database }, {}))) await measure(q);
  await measure(viewsQuery((rows.tables as TableRow[]).filter((r) => r[2] === 'VIEW').map((r) => [r[0], r[1]] as const)));
  const builds: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const [ms] = await timed(async () => buildModel(server, rows as unknown as CatalogRows, { tinyint1AsBoolean: true }));
    if (i > 0) builds.push(ms);
  }
  return { parts, buildMs: median(builds) };
}

/** Builds, measures and drops each size in turn; scratch databases are dropped however the run ends. */
export async function runMysqlBench(opts: { url?: string; sizes?: string[]; log?: (line: string) => void } = {}): Promise<MysqlBenchResult[]> {
  const t = target(opts.url ?? process.env.PLUGBOARD_BENCH_MYSQL_URL ?? DEFAULT_MYSQL_URL);
  const log = opts.log ?? ((line: string) => console.log(line));
  const wanted = (opts.sizes ?? ['S', 'M', 'L']).map((s) => s.toUpperCase());
  const prefix = `pb_bench_${process.pid}_${Date.now().toString(36)}`;
  const created: string[] = [];
  const dropAll = async () => {
    const admin = await createConnection(t.connection());
    try {
      await admin.query('SET FOREIGN_KEY_CHECKS = 0');
      for (const db of created.splice(0)) await admin.query(`DROP DATABASE IF EXISTS ${escapeId(db)}`);
    } finally {
      await admin.end();
    }
  };
  const onSignal = () => void dropAll().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  const results: MysqlBenchResult[] = [];
  try {
    const probe = await createConnection(t.connection());
    const [[version]] = (await probe.query({ sql: 'SELECT VERSION()', rowsAsArray: true }))[0] as unknown as [[string]];
    await probe.end();
    log(`Plugboard MySQL bench: ${version} at ${t.options.host}:${t.options.port ?? 3306}, node ${process.version}, ${os.cpus().length} CPUs; scratch databases ${prefix}_*`);
    for (const spec of MYSQL_SIZES.filter((s) => wanted.includes(s.label))) {
      const db = `${prefix}_${spec.label.toLowerCase()}`;
      created.push(db);
      results.push(await benchSize(spec, t, db, log));
      await dropAll();
    }
  } finally {
    await dropAll();
    process.removeListener('SIGINT', onSignal);
  }
  return results;
}

export function formatMysqlBench(results: readonly MysqlBenchResult[]): string {
  const f1 = (n: number) => n.toFixed(1);
  const rows = [
    ['size', 'tables', 'entities', 'columns', 'build s', 'introspect ms', 'queries', 'floor ms', 'ratio', 'codegen ms', 'files'],
    ...results.map((r) => [
      r.label, String(r.tables), String(r.entities), String(r.columns), r.buildS.toFixed(1), f1(r.introspectMs), r.queries,
      f1(r.floorMs), `${r.ratio.toFixed(2)}x`, f1(r.codegenMs), String(r.files),
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  const verdicts = results
    .filter((r) => r.label === 'L')
    .map((r) => `L: ${r.ratio.toFixed(2)}x the floor [target <= ${MYSQL_TARGET_RATIO}x ${r.ratio <= MYSQL_TARGET_RATIO ? 'met' : 'MISSED'}], ${r.queries} queries`);
  const parts = results.map(
    (r) => `  ${r.label}: ${r.parts.map((p) => `${p.part} ${f1(p.ms)} (${p.rows})`).join(', ')}; model ${f1(r.buildMs)}; floor ${f1(r.floorMs)}`,
  );
  return [
    line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line), '',
    'Catalog queries alone, one after another on one warm connection (ms; rows), and building the model:', ...parts, '', ...verdicts,
  ].join('\n');
}

if (require.main === module) {
  runMysqlBench({ sizes: process.env.PLUGBOARD_BENCH_SIZES?.split(/[\s,]+/) })
    .then((results) => console.log(`\n${formatMysqlBench(results)}`))
    .catch((err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      process.exitCode = 1;
    });
}
