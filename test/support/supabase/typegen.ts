/**
 * The TypeScript `supabase gen types typescript --db-url <url>` prints, made the way the CLI makes it: the
 * CLI runs postgres-meta's `node dist/server/server.js` (in a Docker image) with PG_META_GENERATE_TYPES set,
 * which prints the types to stdout and exits instead of serving. Here the same entry point runs from the
 * installed @supabase/postgres-meta with the same environment.
 *
 * That entry point imports Sentry's profiler (a native addon). npm's install scripts did not run, but the
 * addon's package ships prebuilt binaries for Linux/macOS/Windows x64/arm64 and Node 18–24 ABIs, so it
 * loads; with SENTRY_DSN empty Sentry stays disabled and sends nothing.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { redactPatterns } from '../../../src/core/redact';
import { guardChild, withParentDeathSignal } from './childGuard';

export interface TypegenOptions {
  /** PG_META_POSTGREST_VERSION: adds `__InternalSupabase` to `Database`. The CLI leaves it unset for --db-url. */
  postgrestVersion?: string;
  timeoutMs?: number;
}

function postgresMetaEntry(): string {
  return path.join(path.dirname(require.resolve('@supabase/postgres-meta/package.json')), 'dist', 'server', 'server.js');
}

/** Generated TypeScript for `schemas` (default `['public']`, like the CLI's `--schema public`). */
export function postgresMetaTypegen(dbUrl: string, schemas: string[] = ['public'], options: TypegenOptions = {}): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    PG_META_DB_URL: dbUrl,
    PG_META_GENERATE_TYPES: 'typescript',
    PG_META_GENERATE_TYPES_INCLUDED_SCHEMAS: schemas.join(','),
    // What the CLI passes unless --postgrest-v9-compat.
    PG_META_GENERATE_TYPES_DETECT_ONE_TO_ONE_RELATIONSHIPS: 'true',
    PG_CONN_TIMEOUT_SECS: String(Math.ceil(timeoutMs / 1000)),
    PG_QUERY_TIMEOUT_SECS: String(Math.ceil(timeoutMs / 1000)),
    SENTRY_DSN: '',
    ...(options.postgrestVersion ? { PG_META_POSTGREST_VERSION: options.postgrestVersion } : {}),
  };
  // --no-warnings: pg-meta's pool trips MaxListenersExceededWarning on every run, which is noise.
  const { command, args } = withParentDeathSignal(process.execPath, ['--no-warnings', postgresMetaEntry()]);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    guardChild(child);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`postgres-meta could not be started: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const output = Buffer.concat(stdout).toString('utf8');
      if (code === 0 && output.includes('export type Database')) {
        resolve(output);
        return;
      }
      const why = signal === 'SIGKILL' ? `timed out after ${timeoutMs} ms` : `exited with ${code ?? signal}`;
      const detail = redactPatterns(`${Buffer.concat(stderr).toString('utf8')}\n${output}`.trim()).slice(-2_000);
      reject(new Error(`postgres-meta type generation ${why}:\n${detail}`));
    });
  });
}
