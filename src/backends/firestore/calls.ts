import { withDeadline } from '../../core/deadline';
import { cancelled, throwIfAborted } from '../../core/errors';
import { classifyFirestoreError } from './errors';

/**
 * Every Firestore call of a session goes through `run`: counted, bounded by a deadline of our own (firebase-
 * admin retries reads for 40 s and writes for minutes against a dead server), abandoned at once when the
 * signal fires, and its failure classified. An abandoned call is left to end on its own; its result is
 * ignored (a handler stays attached, so its rejection is never unhandled).
 */
export class Calls {
  count = 0;

  constructor(
    private readonly label: string,
    private readonly timeoutMs: number,
  ) {}

  async run<T>(what: string, work: () => Promise<T>, signal?: AbortSignal, timeoutMs = this.timeoutMs): Promise<T> {
    throwIfAborted(signal);
    this.count++;
    try {
      return await abortable(withDeadline(work(), timeoutMs, `${what} (${this.label})`), signal);
    } catch (err) {
      if (signal?.aborted) throw cancelled();
      throw classifyFirestoreError(err, `${what} (${this.label})`);
    }
  }
}

function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

