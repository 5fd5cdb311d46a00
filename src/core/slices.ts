import { throwIfAborted } from './errors';

/**
 * Long work on the extension host's thread, cut into slices: between two steps of it, `pause()` yields to the
 * event loop once about `sliceMs` have passed since the last time it did, so a 5,000-table schema never
 * holds the editor for one long task. A step should be small (an entity, a file); `pause()` is cheap when it
 * does not yield, but it reads the clock, so very small steps call it every few of them. After each yield a
 * fired `signal` stops the work (CANCELLED, naming `what`).
 */
export class Slicer {
  private started = performance.now();

  constructor(
    private readonly sliceMs = 10,
    private readonly signal?: AbortSignal,
    private readonly what?: string,
  ) {}

  async pause(): Promise<void> {
    if (performance.now() - this.started < this.sliceMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    throwIfAborted(this.signal, this.what);
    this.started = performance.now();
  }
}

/**
 * Long work written once as steps (a generator that yields between them, returning its result), run either
 * way: all at once where nothing else waits (the CLI), or in slices on the extension host.
 */
export type Steps<T> = Generator<void, T, void>;

/**
 * How many items (columns, relations, keys) a step of model building takes on the extension host: 4,096
 * columns take a few ms on a slow 2-core machine. Where nothing else waits (the CLI), a loop is one step.
 */
export const HOST_STEP_SIZE = 4096;

/** Runs every step now. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Runs the steps, pausing between them (see `Slicer.pause`). */
export async function runStepsSliced<T>(steps: Steps<T>, slicer: Slicer): Promise<T> {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    await slicer.pause();
  }
}

/**
 * Steps over [0, n) in ranges of `size`: `body(from, to)` runs each range, a plain function, so its loop is
 * optimised like any other (a loop inside a generator runs about 1.7x slower on node 20).
 */
export function* inRanges(n: number, size: number, body: (from: number, to: number) => void): Steps<void> {
  for (let from = 0; from < n; from += size) {
    body(from, Math.min(n, from + size));
    yield;
  }
}
