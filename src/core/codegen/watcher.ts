import type { SchemaChangeListener, SchemaSubscription } from '../backend';
import { withDeadline } from '../deadline';
import { PlugboardError } from '../errors';
import { classifyError } from '../health/classify';
import { backoffDelay } from '../health/retry';
import { diffModels, type SchemaChange } from '../introspect/diff';
import { fingerprint } from '../introspect/fingerprint';
import type { SchemaModel } from '../model';

/**
 * Keeps generated code in step with a live schema: re-introspects every `intervalMs` (at once when the
 * backend reports DDL through `subscribe`, or when `poke`d), and regenerates only when the schema's
 * fingerprint or the generation inputs (the overrides) changed. A failed round is retried after the
 * interval plus a growing, jittered backoff; every step runs under `timeoutMs`, and a step that overruns is
 * aborted, so a stalled server never stalls the watcher. The CLI's `generate --watch` and the editor's
 * auto-regeneration both drive one of these.
 */
export type WatchReason = 'start' | 'interval' | 'notification' | 'poke' | 'retry';

export interface WatchRound {
  model: SchemaModel;
  fingerprint: string;
  inputs?: string;
  reason: WatchReason;
  schemaChanged: boolean;
  inputsChanged: boolean;
  /** What changed since the last model the watcher saw (empty on the first round or for inputs only). */
  changes: SchemaChange[];
}

export type WatchEvent =
  | { kind: 'unchanged'; fingerprint: string; reason: WatchReason }
  | { kind: 'regenerated'; round: WatchRound }
  | { kind: 'failed'; error: PlugboardError; failures: number; retryInMs: number }
  | { kind: 'listening' }
  | { kind: 'notified'; detail?: string }
  | { kind: 'not-listening'; error: PlugboardError };

export interface SchemaWatcherOptions {
  /** Reads the live schema; the signal aborts when the round overruns `timeoutMs` or the watcher stops. */
  introspect(signal: AbortSignal): Promise<SchemaModel>;
  /** Writes the generated files for a changed schema or changed inputs. */
  regenerate(round: WatchRound, signal: AbortSignal): Promise<void>;
  /** The current generation-inputs hash (re-read each round, so editing the overrides file regenerates). */
  inputs?(): Promise<string | undefined>;
  /** The backend's change feed (`Session.watchSchema`), when it has one. */
  subscribe?(listener: SchemaChangeListener, signal: AbortSignal): Promise<SchemaSubscription>;
  intervalMs: number;
  /** The deadline of each step (introspection, reading inputs, regeneration, subscribing). */
  timeoutMs: number;
  /** The longest wait after failures (default 10 × the interval, at most 5 minutes). */
  maxBackoffMs?: number;
  /** What the files were generated from; without it the first round regenerates. */
  baseline?: { fingerprint: string; inputs?: string; model?: SchemaModel };
  /** Notifications arriving within this many ms make one check (DDL comes in bursts). */
  debounceMs?: number;
  onEvent?(event: WatchEvent): void;
  /** Random source for the backoff's jitter; tests pass a fixed one. */
  random?: () => number;
}

export class SchemaWatcher {
  private readonly stopping = new AbortController();
  private last: { fingerprint: string; inputs?: string; model?: SchemaModel } | undefined;
  private loop: Promise<void> | undefined;
  private wake: ((reason: WatchReason) => void) | undefined;
  /** A poke that came while a round ran: the next wait ends at once. */
  private queued: WatchReason | undefined;
  private subscription: SchemaSubscription | undefined;
  private subscribeWanted = true;
  private debounce: NodeJS.Timeout | undefined;

  constructor(private readonly options: SchemaWatcherOptions) {
    if (!(options.intervalMs > 0) || !(options.timeoutMs > 0)) throw new PlugboardError('INVALID_CONFIG', 'The watch interval and timeout must be positive.');
    this.last = options.baseline;
  }

  get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  /** Starts watching; the promise settles when the watcher has stopped. */
  start(): Promise<void> {
    this.loop ??= this.run();
    return this.loop;
  }

  /** Checks now instead of at the next interval (a saved overrides file, a user's request). */
  poke(reason: WatchReason = 'poke'): void {
    if (this.stopped) return;
    if (this.wake) this.wake(reason);
    else this.queued = reason;
  }

  /** Stops: aborts the round in flight, stops listening, and resolves when all of it is done. */
  async stop(): Promise<void> {
    if (!this.stopped) this.stopping.abort();
    if (this.debounce) clearTimeout(this.debounce);
    this.wake?.('poke');
    await this.loop;
    await this.unsubscribe();
  }

  private emit(event: WatchEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // A listener's failure is not the watcher's.
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    let reason: WatchReason = 'start';
    while (!this.stopped) {
      try {
        await this.subscribeIfWanted();
        await this.round(reason);
        failures = 0;
        reason = await this.wait(this.options.intervalMs, 'interval');
      } catch (raw) {
        if (this.stopped) break;
        failures++;
        const interval = this.options.intervalMs;
        const cap = this.options.maxBackoffMs ?? Math.min(10 * interval, 300_000);
        const retryInMs = Math.min(cap, interval + backoffDelay(failures - 1, { baseDelayMs: interval, maxDelayMs: cap, random: this.options.random }));
        this.emit({ kind: 'failed', error: classifyError(raw), failures, retryInMs });
        reason = await this.wait(retryInMs, 'retry');
      }
    }
  }

  /** One step under the deadline; an overrun aborts the step's own signal (and so its queries). */
  private step<T>(what: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const onStop = () => controller.abort();
    this.stopping.signal.addEventListener('abort', onStop, { once: true });
    return withDeadline(work(AbortSignal.any([controller.signal, this.stopping.signal])), this.options.timeoutMs, what, () => controller.abort()).finally(() =>
      this.stopping.signal.removeEventListener('abort', onStop),
    );
  }

  private async round(reason: WatchReason): Promise<void> {
    const model = await this.step('Introspection', (signal) => this.options.introspect(signal));
    const inputs = this.options.inputs ? await this.step('Reading the generation inputs', () => this.options.inputs!()) : undefined;
    if (this.stopped) return;
    const fp = fingerprint(model);
    const last = this.last;
    const schemaChanged = !last || last.fingerprint !== fp;
    const inputsChanged = !last || last.inputs !== inputs;
    if (!schemaChanged && !inputsChanged) {
      this.last = { ...last!, model };
      this.emit({ kind: 'unchanged', fingerprint: fp, reason });
      return;
    }
    const changes = schemaChanged && last?.model ? diffModels(last.model, model) : [];
    const round: WatchRound = { model, fingerprint: fp, ...(inputs ? { inputs } : {}), reason, schemaChanged, inputsChanged, changes };
    await this.step('Regeneration', (signal) => this.options.regenerate(round, signal));
    this.last = { fingerprint: fp, inputs, model };
    this.emit({ kind: 'regenerated', round });
  }

  private wait(ms: number, reason: WatchReason): Promise<WatchReason> {
    if (this.stopped) return Promise.resolve(reason);
    if (this.queued) {
      const queued = this.queued;
      this.queued = undefined;
      return Promise.resolve(queued);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(reason), ms);
      const done = (why: WatchReason) => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve(why);
      };
      this.wake = done;
    });
  }

  /** Listens for the backend's change notices: at the start, and again after the feed was lost. */
  private async subscribeIfWanted(): Promise<void> {
    const subscribe = this.options.subscribe;
    if (!subscribe || !this.subscribeWanted || this.subscription) return;
    this.subscribeWanted = false;
    const listener: SchemaChangeListener = {
      change: (detail) => {
        this.emit({ kind: 'notified', detail });
        if (this.debounce) clearTimeout(this.debounce);
        this.debounce = setTimeout(() => this.poke('notification'), this.options.debounceMs ?? 250);
      },
      lost: (error) => {
        this.subscription = undefined;
        this.subscribeWanted = true;
        this.emit({ kind: 'not-listening', error: classifyError(error) });
      },
    };
    try {
      this.subscription = await this.step('Listening for schema changes', (signal) => subscribe(listener, signal));
      if (this.stopped) await this.unsubscribe();
      else this.emit({ kind: 'listening' });
    } catch (err) {
      // Not fatal: the interval still notices every change, only later.
      if (!this.stopped) this.emit({ kind: 'not-listening', error: classifyError(err) });
    }
  }

  private async unsubscribe(): Promise<void> {
    const s = this.subscription;
    this.subscription = undefined;
    await s?.close().catch(() => undefined);
  }
}
