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
