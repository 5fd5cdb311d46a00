/**
 * Child processes that must not outlive the test process. Three layers, because each covers a way of dying
 * the others miss: stop() in the test's `after` (normal path), a process 'exit' hook plus signal hooks
 * (process.exit, an uncaught exception, Ctrl-C), and the kernel's parent-death signal via `setpriv
 * --pdeathsig` (the test process SIGKILLed or crashing natively, where no JavaScript runs at all).
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

const guarded = new Set<ChildProcess>();
let hooksInstalled = false;

function killAllNow(): void {
  for (const child of guarded) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  guarded.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  killAllNow();
  // Listening to a signal disables Node's default "terminate"; restore it when nobody else handles it.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, onSignal);
}

/** Kills `child` with SIGKILL if the test process exits (or is signalled) while the child still runs. */
export function guardChild(child: ChildProcess): void {
  installHooks();
  guarded.add(child);
  child.once('exit', () => guarded.delete(child));
}

const SETPRIV_CANDIDATES = ['/usr/bin/setpriv', '/bin/setpriv'];

/**
 * The command that runs `file` so the kernel SIGKILLs it when its parent dies. `setpriv` (util-linux) sets
 * PR_SET_PDEATHSIG and execs the program, so the pid we get is the program's own. Without setpriv (not
 * Linux) the exit hooks above are the only guard.
 */
export function withParentDeathSignal(file: string, args: string[]): { command: string; args: string[] } {
  const setpriv = process.platform === 'linux' ? SETPRIV_CANDIDATES.find((p) => existsSync(p)) : undefined;
  return setpriv ? { command: setpriv, args: ['--pdeathsig', 'KILL', '--', file, ...args] } : { command: file, args };
}

/** Resolves once the child has exited; sends SIGTERM, then SIGKILL after `graceMs`. */
export async function terminateChild(child: ChildProcess, graceMs = 3_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}
