// Child processes, deadlines and cleanup. The runner must never hang and never leave code-server or
// Chromium behind, so every wait goes through a Deadline and every resource is registered with Cleanup.
import { spawn, ChildProcess, SpawnOptions } from 'child_process';
import * as fs from 'fs';

export function log(message: string): void {
  process.stdout.write(`[e2e] ${message}\n`);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One budget shared by every wait of a run; a miss names what was being waited for. */
export class Deadline {
  private readonly end: number;
  constructor(private readonly ms: number, private readonly knob: string) {
    this.end = Date.now() + ms;
  }
  /** At least 1: playwright reads a timeout of 0 as "wait forever". */
  remaining(): number {
    return Math.max(1, this.end - Date.now());
  }
  expired(): boolean {
    return Date.now() >= this.end;
  }
  error(what: string): Error {
    return new Error(`timed out waiting for ${what} (limit ${Math.round(this.ms / 1000)} s, set ${this.knob} to change it)`);
  }
  /** Settles with `work`, or rejects with "timed out waiting for <what>" when the budget runs out. */
  async race<T>(work: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.error(what)), this.remaining());
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

interface Step {
  name: string;
  run: () => Promise<void>;
  /** Last resort from process.on('exit'), where nothing asynchronous can run any more. */
  runSync?: () => void;
}

/** Resources released in reverse order of acquisition, whatever way the run ends. */
export class Cleanup {
  private steps: Step[] = [];
  /** Returns a function that forgets the step, for resources released early on the normal path. */
  add(name: string, run: () => Promise<void>, runSync?: () => void): () => void {
    const step = { name, run, runSync };
    this.steps.push(step);
    return () => {
      this.steps = this.steps.filter((s) => s !== step);
    };
  }
  async runAll(): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.run();
      } catch (err) {
        log(`cleanup "${step.name}" failed: ${(err as Error).message}`);
        step.runSync?.();
      }
    }
  }
  runAllSync(): void {
    for (const step of this.steps.reverse()) {
      try {
        step.runSync?.();
      } catch {
        // Exiting anyway; nothing more can be done here.
      }
    }
    this.steps = [];
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function killGroupSync(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** SIGTERM the whole process group (code-server forks an extension host, pty host, watchers), then SIGKILL. */
export async function killGroup(pid: number | undefined, graceMs = 3000): Promise<void> {
  if (pid === undefined || !groupAlive(pid)) return;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let waited = 0; waited < graceMs && groupAlive(pid); waited += 100) await sleep(100);
  if (groupAlive(pid)) killGroupSync(pid);
  for (let waited = 0; waited < 2000 && groupAlive(pid); waited += 100) await sleep(100);
}

/**
 * Spawns in a new process group so the whole tree can be killed at once, and registers that kill.
 * `stop()` kills the group now and forgets the cleanup step (so a recycled pid is never signalled later).
 */
export function spawnGroup(
  cleanup: Cleanup, name: string, cmd: string, args: string[], options: SpawnOptions,
): { child: ChildProcess; stop: () => Promise<void> } {
  const child = spawn(cmd, args, { ...options, detached: true });
  const pid = child.pid;
  const forget = cleanup.add(`stop ${name}`, () => killGroup(pid), () => killGroupSync(pid));
  const stop = async (): Promise<void> => {
    await killGroup(pid);
    forget();
  };
  return { child, stop };
}

/** SIGKILLs every process whose command line contains `text` (a scratch path); returns their pids. */
export function killProcessesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (!fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) continue;
      process.kill(Number(entry), 'SIGKILL');
      pids.push(Number(entry));
    } catch {
      // Ended while we looked.
    }
  }
  return pids;
}

export function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Runs a long command with its output in `logFile` (npm with --foreground-scripts prints thousands of lines)
 * and a heartbeat on stdout, so a person sees progress without the noise. Rejects with the log's tail.
 */
export async function runLogged(
  cleanup: Cleanup, deadline: Deadline, label: string, cmd: string, args: string[],
  options: SpawnOptions & { logFile: string },
): Promise<void> {
  const out = fs.openSync(options.logFile, 'a');
  fs.writeSync(out, `\n$ ${cmd} ${args.join(' ')}\n`);
  const started = Date.now();
  log(`${label} … (log: ${options.logFile})`);
  const { child, stop } = spawnGroup(cleanup, label, cmd, args, { ...options, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const heartbeat = setInterval(() => log(`  still ${label} (${Math.round((Date.now() - started) / 1000)} s)`), 15_000);
  try {
    const code = await deadline.race(
      new Promise<number | null>((resolve, reject) => {
        child.once('error', reject);
        child.once('exit', (c) => resolve(c));
      }),
      label,
    );
    if (code !== 0) throw new Error(`${label} failed (exit ${code}). Last lines of ${options.logFile}:\n${tail(options.logFile, 30)}`);
    log(`${label}: done in ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    clearInterval(heartbeat);
    await stop();
  }
}
