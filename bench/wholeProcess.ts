/**
 * Whole-process bench: what a person waits for when they run a generator from a shell — start node, load the
 * tool, connect, introspect, write TypeScript, exit — on the same schema, side by side, in one run:
 *
 *   floor            node + pg, one catalog query, one interface per table (bench/floor.ts)
 *   plugboard        `dist/cli.js generate --target ts-types`, and `--target ts-types,pg-crud`; and ts-types
 *                    again over the folder its previous run wrote (regenerating an unchanged schema)
 *   kysely-codegen   its CLI, `--dialect postgres --out-file …`
 *   postgres-meta    the typegen `supabase gen types typescript --db-url` runs (its server.js with
 *                    PG_META_GENERATE_TYPES set: prints the types and exits)
 *
 * Every command is printed exactly as run. The tools run in turn, the order rotating every round so that load
 * from other processes hits them alike; one warm-up round, then medians of wall time (spawn to exit) and of
 * peak RSS (/usr/bin/time's maximum resident set size). Each run writes into an emptied folder (but the
 * regenerating one).
 *
 * The peer tools are found through PLUGBOARD_BENCH_KYSELY_CODEGEN / PLUGBOARD_BENCH_POSTGRES_META (the
 * package folder), else in node_modules, else under the npm prefix PLUGBOARD_BENCH_PEERS
 * (`npm install --prefix DIR kysely-codegen kysely pg @supabase/postgres-meta`). A tool not found is reported
 * as missing, not silently dropped. PLUGBOARD_BENCH_BASELINE_CLI=<path to another build's cli.js> adds that
 * build's ts-types run beside this one's, so a change is measured before and after in the same run.
 */
import { spawn } from 'node:child_process';
import { existsSync, promises as fs, openSync, closeSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { median } from './measure';
import { ScratchDatabases, server, type Server } from './scratch';
import { schemaSql, SIZES, type SizeSpec } from './schemaGen';

const REPO = path.resolve(__dirname, '..', '..');
const DEFAULT_RUNS: Record<SizeSpec['label'], number> = { S: 11, M: 9, L: 7, XL: 3 };

export const TARGETS = { floorRatio: 1.5, kyselyFactor: 3, postgresMetaFactor: 7, xlSeconds: 2, xlMegabytes: 500 };

interface Tool {
  id: string;
  label: string;
  /** The argv (argv[0] is node) and extra environment for a database URL and an output folder. */
  command(url: string, out: string): { argv: string[]; env?: Record<string, string>; stdoutTo?: string };
  /** Runs over what its previous run wrote (regenerating an unchanged schema), instead of into an empty folder. */
  keepsOutput?: boolean;
}

export interface ToolResult {
  id: string;
  label: string;
  command: string;
  ms: number;
  rssMb: number;
  outKb: number;
  runs: number;
  error?: string;
}

export interface SizeResult {
  spec: SizeSpec;
  columns: number;
  tools: ToolResult[];
}

/** A peer package's folder: env var, then node_modules, then the scratch prefix. */
function peer(pkg: string, envVar: string): string | undefined {
  const candidates = [
    process.env[envVar],
    path.join(REPO, 'node_modules', pkg),
    process.env.PLUGBOARD_BENCH_PEERS && path.join(process.env.PLUGBOARD_BENCH_PEERS, 'node_modules', pkg),
  ];
  return candidates.find((dir): dir is string => !!dir && existsSync(path.join(dir, 'package.json')));
}

const version = (dir: string) => (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;

function tools(): { tools: Tool[]; missing: string[] } {
  const node = process.execPath;
  const cli = path.join(REPO, 'dist', 'cli.js');
  const floor = path.join(__dirname, 'floor.js');
  const list: Tool[] = [
    { id: 'floor', label: 'floor (node + pg, one query)', command: (url, out) => ({ argv: [node, floor, url, path.join(out, 'floor.ts')] }) },
    { id: 'ts-types', label: 'plugboard ts-types', command: (url, out) => ({ argv: [node, cli, 'generate', '--url', url, '--target', 'ts-types', '--out', out] }) },
    { id: 'ts-crud', label: 'plugboard ts-types + pg-crud', command: (url, out) => ({ argv: [node, cli, 'generate', '--url', url, '--target', 'ts-types,pg-crud', '--out', out] }) },
    {
      id: 'regen',
      label: 'plugboard ts-types, again over its output',
      command: (url, out) => ({ argv: [node, cli, 'generate', '--url', url, '--target', 'ts-types', '--out', out] }),
      keepsOutput: true,
    },
  ];
  // Another build of the CLI (say main's dist/cli.js) run alongside: before and after in one run.
  const baseline = process.env.PLUGBOARD_BENCH_BASELINE_CLI;
  if (baseline) {
    list.splice(2, 0, { id: 'baseline', label: 'baseline ts-types', command: (url, out) => ({ argv: [node, path.resolve(baseline), 'generate', '--url', url, '--target', 'ts-types', '--out', out] }) });
  }
  const missing: string[] = [];
  const kysely = peer('kysely-codegen', 'PLUGBOARD_BENCH_KYSELY_CODEGEN');
  if (kysely) {
    list.push({
      id: 'kysely',
      label: `kysely-codegen ${version(kysely)}`,
      command: (url, out) => ({ argv: [node, path.join(kysely, 'dist', 'cli', 'bin.js'), '--dialect', 'postgres', '--url', url, '--out-file', path.join(out, 'db.d.ts'), '--log-level', 'error'] }),
    });
  } else missing.push('kysely-codegen (set PLUGBOARD_BENCH_KYSELY_CODEGEN or PLUGBOARD_BENCH_PEERS)');
  const meta = peer('@supabase/postgres-meta', 'PLUGBOARD_BENCH_POSTGRES_META');
  if (meta) {
    list.push({
      id: 'postgres-meta',
      label: `postgres-meta ${version(meta)} typegen`,
      command: (url, out) => ({
        argv: [node, '--no-warnings', path.join(meta, 'dist', 'server', 'server.js')],
        // What `supabase gen types typescript --db-url URL --schema app,ref` sets for the container.
        env: {
          PG_META_DB_URL: url,
          PG_META_GENERATE_TYPES: 'typescript',
          PG_META_GENERATE_TYPES_INCLUDED_SCHEMAS: 'app,ref',
          PG_META_GENERATE_TYPES_DETECT_ONE_TO_ONE_RELATIONSHIPS: 'true',
          PG_QUERY_TIMEOUT_SECS: '300',
          SENTRY_DSN: '',
        },
        stdoutTo: path.join(out, 'database.types.ts'),
      }),
    });
  } else missing.push('@supabase/postgres-meta (set PLUGBOARD_BENCH_POSTGRES_META or PLUGBOARD_BENCH_PEERS)');
  return { tools: list, missing };
}

const shellQuote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

function display(tool: Tool, url: string, out: string): string {
  const { argv, env, stdoutTo } = tool.command(url, out);
  const rel = (s: string) => (s.startsWith(REPO + path.sep) ? path.relative(REPO, s) : s);
  const envText = env ? `${Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`).join(' ')} ` : '';
  return `${envText}${['node', ...argv.slice(1).map(rel)].map(shellQuote).join(' ')}${stdoutTo ? ` > ${shellQuote(rel(stdoutTo))}` : ''}`;
}

const HAVE_TIME = existsSync('/usr/bin/time');

/** One run: wall ms from spawn to exit, peak RSS in MB (NaN without /usr/bin/time). */
async function runOnce(tool: Tool, url: string, out: string): Promise<{ ms: number; rssMb: number }> {
  if (!tool.keepsOutput) await fs.rm(out, { recursive: true, force: true });
  await fs.mkdir(out, { recursive: true });
  const { argv, env, stdoutTo } = tool.command(url, out);
  const rssFile = path.join(os.tmpdir(), `plugboard-bench-rss-${process.pid}`);
  const full = HAVE_TIME ? ['/usr/bin/time', '-f', '%M', '-o', rssFile, ...argv] : argv;
  const stdout = stdoutTo ? openSync(stdoutTo, 'w') : 'ignore';
  const stderr: Buffer[] = [];
  const t0 = performance.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(full[0]!, full.slice(1), { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', stdout, 'pipe'] });
    child.stderr!.on('data', (c: Buffer) => stderr.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.once('error', reject);
    child.once('close', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  const ms = performance.now() - t0;
  if (typeof stdout === 'number') closeSync(stdout);
  if (code !== 0) throw new Error(`${tool.label} exited with ${code}: ${Buffer.concat(stderr).toString('utf8').trim().split('\n').slice(-5).join(' | ')}`);
  const rssMb = HAVE_TIME ? Number((await fs.readFile(rssFile, 'utf8')).trim().split('\n').pop()) / 1024 : NaN;
  return { ms, rssMb };
}

async function folderKb(dir: string): Promise<number> {
  let bytes = 0;
  for (const name of await fs.readdir(dir)) bytes += (await fs.stat(path.join(dir, name))).size;
  return bytes / 1024;
}

function scratchUrl(base: string, database: string): string {
  const u = new URL(base);
  u.pathname = `/${encodeURIComponent(database)}`;
  if (!u.searchParams.has('sslmode')) u.searchParams.set('sslmode', 'disable');
  return u.toString();
}

async function benchSize(spec: SizeSpec, srv: Server, baseUrl: string, scratch: ScratchDatabases, list: Tool[], log: (s: string) => void): Promise<SizeResult> {
  const db = await scratch.create(`wp_${spec.label.toLowerCase()}`);
  const builder = new Client(srv.clientConfig(db));
  await builder.connect();
  let columns: number;
  try {
    await builder.query(schemaSql(spec));
    const { rows } = await builder.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r','p') AND n.nspname IN ('app','ref') AND a.attnum > 0 AND NOT a.attisdropped`,
    );
    columns = Number(rows[0]?.n ?? 0);
  } finally {
    await builder.end();
  }
  const url = scratchUrl(baseUrl, db);
  const runs = Number(process.env.PLUGBOARD_BENCH_RUNS) || DEFAULT_RUNS[spec.label];
  const outRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'plugboard-wp-'));
  const samples = new Map<string, { ms: number[]; rss: number[]; error?: string }>(list.map((t) => [t.id, { ms: [], rss: [] }]));
  try {
    for (let round = 0; round <= runs; round++) {
      // Rotate the order each round; round 0 warms the page cache and the server's catalog caches.
      const order = list.map((_, i) => list[(i + round) % list.length]!);
      for (const tool of order) {
        const s = samples.get(tool.id)!;
        if (s.error) continue;
        try {
          const r = await runOnce(tool, url, path.join(outRoot, tool.id));
          if (round > 0) {
            s.ms.push(r.ms);
            s.rss.push(r.rssMb);
          }
        } catch (err) {
          s.error = (err as Error).message;
        }
      }
      log(`  ${spec.label}: round ${round}/${runs} done`);
    }
    const results: ToolResult[] = [];
    for (const tool of list) {
      const s = samples.get(tool.id)!;
      const outKb = s.error ? 0 : await folderKb(path.join(outRoot, tool.id));
      results.push({ id: tool.id, label: tool.label, command: display(tool, url, path.join(outRoot, tool.id)), ms: median(s.ms), rssMb: median(s.rss), outKb, runs: s.ms.length, ...(s.error ? { error: s.error } : {}) });
    }
    return { spec, columns, tools: results };
  } finally {
    await fs.rm(outRoot, { recursive: true, force: true });
  }
}

export async function runWholeProcessBench(opts: { url: string; sizes: string[]; log?: (s: string) => void }): Promise<{ results: SizeResult[]; missing: string[] }> {
  const log = opts.log ?? ((s: string) => console.log(s));
  if (!existsSync(path.join(REPO, 'dist', 'cli.js'))) throw new Error('dist/cli.js is not built: run `npm run build` first.');
  const srv = server(opts.url);
  const adminDb = new URL(opts.url).pathname.slice(1) || 'postgres';
  const scratch = new ScratchDatabases(srv, adminDb, async () => undefined);
  const { tools: list, missing } = tools();
  const results: SizeResult[] = [];
  try {
    for (const spec of SIZES.filter((s) => opts.sizes.includes(s.label))) {
      log(`whole process ${spec.label}: building ${spec.tables.toLocaleString('en-US')} tables…`);
      results.push(await benchSize(spec, srv, opts.url, scratch, list, log));
      // Each size as soon as it is done: a long run that fails later still leaves these.
      log(formatWholeProcess({ results: results.slice(-1), missing: [] }));
    }
  } finally {
    await scratch.dropAll();
    scratch.dispose();
  }
  return { results, missing };
}

const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

export function formatWholeProcess({ results, missing }: { results: SizeResult[]; missing: string[] }): string {
  const out: string[] = [];
  for (const r of results) {
    const floor = r.tools.find((t) => t.id === 'floor');
    out.push(`${r.spec.label}: ${r.spec.tables.toLocaleString('en-US')} tables / ${r.columns.toLocaleString('en-US')} columns (median of ${r.tools[0]?.runs ?? 0} runs)`);
    const rows = [['tool', 'wall s', 'x floor', 'peak RSS MB', 'output KB'], ...r.tools.map((t) => t.error
      ? [t.label, 'failed', '', '', '']
      : [t.label, (t.ms / 1000).toFixed(3), floor ? `${(t.ms / floor.ms).toFixed(1)}x` : '', t.rssMb.toFixed(0), Math.round(t.outKb).toLocaleString('en-US')])];
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((x) => x[c]!.length)));
    for (const [i, row] of rows.entries()) {
      out.push(`  ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')}`);
      if (i === 0) out.push(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
    }
    for (const t of r.tools) if (t.error) out.push(`  ${t.label} failed: ${t.error}`);
  }
  out.push('', 'Commands (each run into an emptied folder, but "again over its output" into the folder its last run wrote):');
  const last = results[results.length - 1];
  for (const t of last?.tools ?? []) out.push(`  ${t.label}: ${t.command}`);
  for (const m of missing) out.push(`  missing: ${m}`);

  const find = (label: string, id: string) => results.find((r) => r.spec.label === label)?.tools.find((t) => t.id === id && !t.error);
  out.push('');
  const L = { pb: find('L', 'ts-types'), floor: find('L', 'floor'), kysely: find('L', 'kysely'), meta: find('L', 'postgres-meta') };
  if (L.pb && L.floor) out.push(`L: plugboard ts-types ${(L.pb.ms / L.floor.ms).toFixed(2)}x the floor [target <= ${TARGETS.floorRatio}x: ${verdict(L.pb.ms / L.floor.ms <= TARGETS.floorRatio)}]`);
  if (L.pb && L.kysely) out.push(`L: kysely-codegen takes ${(L.kysely.ms / L.pb.ms).toFixed(2)}x plugboard's time [target >= ${TARGETS.kyselyFactor}x: ${verdict(L.kysely.ms / L.pb.ms >= TARGETS.kyselyFactor)}]`);
  if (L.pb && L.meta) out.push(`L: postgres-meta typegen takes ${(L.meta.ms / L.pb.ms).toFixed(2)}x plugboard's time [target >= ${TARGETS.postgresMetaFactor}x: ${verdict(L.meta.ms / L.pb.ms >= TARGETS.postgresMetaFactor)}]`);
  const XL = { pb: find('XL', 'ts-types'), floor: find('XL', 'floor') };
  if (XL.pb) {
    out.push(`XL: plugboard ts-types ${(XL.pb.ms / 1000).toFixed(2)} s [target < ${TARGETS.xlSeconds} s: ${verdict(XL.pb.ms < TARGETS.xlSeconds * 1000)}], peak RSS ${XL.pb.rssMb.toFixed(0)} MB [target < ${TARGETS.xlMegabytes} MB: ${verdict(XL.pb.rssMb < TARGETS.xlMegabytes)}]`);
  }
  const S = { pb: find('S', 'ts-types'), floor: find('S', 'floor') };
  const growth = (a?: ToolResult, b?: ToolResult) => (a && b ? b.ms / a.ms : undefined);
  for (const [from, to, a, b] of [['S', 'L', S, L], ['L', 'XL', L, XL]] as const) {
    const pb = growth(a.pb, b.pb);
    const fl = growth(a.floor, b.floor);
    if (pb !== undefined && fl !== undefined) {
      out.push(`${to}/${from} time: plugboard ts-types ${pb.toFixed(2)}x, floor ${fl.toFixed(2)}x [target: no worse than the floor's: ${verdict(pb <= fl)}]`);
    }
  }
  return out.join('\n');
}

if (require.main === module) {
  const url = process.env.PLUGBOARD_BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const sizes = (process.env.PLUGBOARD_BENCH_SIZES ?? 'S,M,L,XL').toUpperCase().split(/[\s,]+/);
  runWholeProcessBench({ url, sizes })
    .then((r) => console.log(`\n${formatWholeProcess(r)}`))
    .catch((err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      process.exitCode = 1;
    });
}
