/**
 * Runs the bundled CLI (dist/cli.js) as a child process, the way CI runs it. The bundle is rebuilt first
 * when it is missing or older than the sources it is made from.
 */
import { existsSync, promises as fs, statSync } from 'node:fs';
import * as path from 'node:path';
import { CLI, REPO, runProgram, type RunResult } from './workdir';

async function newestSource(dir: string): Promise<number> {
  let newest = 0;
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, await newestSource(full));
    else if (/\.(ts|hbs)$/.test(e.name)) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

let built: Promise<void> | undefined;

export function ensureCliBuilt(): Promise<void> {
  built ??= (async () => {
    const sources = Math.max(...(await Promise.all(['src/cli', 'src/core', 'src/backends'].map((d) => newestSource(path.join(REPO, d))))));
    if (existsSync(CLI) && statSync(CLI).mtimeMs >= sources) return;
    const result = await runProgram(process.execPath, [path.join(REPO, 'esbuild.js')], { cwd: REPO });
    if (result.code !== 0 || !existsSync(CLI)) throw new Error(`Building dist/cli.js failed (node esbuild.js):\n${result.stdout}${result.stderr}`);
  })();
  return built;
}

/** The environment the CLI runs with: ours minus anything that could hand it a password by accident. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.PGPASSWORD;
  delete env.DATABASE_URL;
  return env;
}

export function runCli(args: string[], options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return runProgram(process.execPath, [CLI, ...args], { env: cliEnv(options.env), cwd: options.cwd ?? REPO, timeoutMs: options.timeoutMs ?? 60_000 });
}
