/**
 * Scratch folders for generated code. Each gets a `node_modules` link to the repository's, so generated code
 * and the drivers next to it resolve `pg` (and tsc finds @types/pg) exactly as in a user's project.
 */
import { execFile } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const TSC = path.join(REPO, 'node_modules', '.bin', 'tsc');
export const CLI = path.join(REPO, 'dist', 'cli.js');

if (!existsSync(path.join(REPO, 'package.json'))) throw new Error(`test/support: repository root not found at ${REPO}`);

export async function makeWorkDir(label: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `plugboard-${label}-`));
  await fs.symlink(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return { dir, remove: () => fs.rm(dir, { recursive: true, force: true }) };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program and collects its output; never throws for a non-zero exit. */
export function runProgram(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: options.cwd, env: options.env ?? process.env, timeout: options.timeoutMs ?? 60_000, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) + (err && typeof (err as { code?: unknown }).code !== 'number' ? `\n${err.message}` : '') });
    });
  });
}

/**
 * tsc over the *.ts files of a folder, with a tsconfig written for it; `strict` always on. `types` lists the
 * @types packages visible (none: the code must stand on its own). Resolves with tsc's output.
 */
export async function compileFolder(dir: string, options: { emit: boolean; types: string[] }): Promise<RunResult> {
  const tsconfig = {
    compilerOptions: {
      strict: true,
      target: 'ES2022',
      module: 'commonjs',
      moduleResolution: 'node',
      lib: ['ES2022'],
      types: options.types,
      noEmit: !options.emit,
      outDir: 'js',
      skipLibCheck: true,
      esModuleInterop: true,
    },
    include: ['*.ts'],
  };
  await fs.writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  return runProgram(TSC, ['-p', dir], { cwd: dir });
}

/** Every file under `dir` (recursively), skipping the node_modules link. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules') continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(full)));
    else out.push(full);
  }
  return out.sort();
}
