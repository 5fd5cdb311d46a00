/**
 * For the harness's own tests of its cleanup: is a process really gone, and what happens to PostgREST when
 * the process that started it ends abruptly. The "test process" is a separate Node process running the
 * compiled harness, so it can be killed without taking mocha down with it.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { guardChild } from './childGuard';

/** True when `pid` has exited (a zombie waiting to be reaped counts as exited). */
export function isProcessGone(pid: number): boolean {
  if (process.platform === 'linux') {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
    } catch {
      return true;
    }
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

/** Polls `probe` until it yields a value other than null/undefined; fails with `what` after `timeoutMs`. */
export async function waitUntil<T>(probe: () => Promise<T | null | undefined>, timeoutMs: number, what = 'the condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() >= deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const SCRIPT = `
const { startPostgrest } = require(process.env.HARNESS_MODULE);
startPostgrest({ dbUrl: process.env.HARNESS_DB_URL }).then(
  (server) => {
    process.stdout.write('pid=' + server.pid + '\\n');
    if (process.env.HARNESS_ENDING === 'process.exit') process.exit(0);
    setInterval(() => undefined, 1000);
  },
  (err) => {
    process.stderr.write(String(err && err.message) + '\\n');
    process.exit(2);
  },
);
`;

/**
 * Starts PostgREST from a separate Node process and ends that process without stop(): by process.exit()
 * or by SIGKILL. Resolves with the PostgREST pid once the starting process is gone.
 */
export function runHarnessScript(dbUrl: string, ending: 'process.exit' | 'SIGKILL', timeoutMs = 20_000): Promise<number> {
  const env = { PATH: process.env.PATH, HARNESS_MODULE: path.join(__dirname, 'postgrest.js'), HARNESS_DB_URL: dbUrl, HARNESS_ENDING: ending };
  const script = spawn(process.execPath, ['-e', SCRIPT], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  guardChild(script);
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let pid: number | undefined;
    const timer = setTimeout(() => {
      script.kill('SIGKILL');
      reject(new Error(`The harness script did not finish in ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    script.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    script.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /pid=(\d+)\n/.exec(stdout);
      if (match && pid === undefined) {
        pid = Number(match[1]);
        if (ending === 'SIGKILL') script.kill('SIGKILL');
      }
    });
    script.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    script.once('close', (code, signal) => {
      clearTimeout(timer);
      if (pid === undefined) reject(new Error(`The harness script ended (${code ?? signal}) before PostgREST started: ${stderr}`));
      else resolve(pid);
    });
  });
}
