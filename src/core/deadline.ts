import { PlugboardError } from './errors';

/**
 * Races work against a deadline: after `ms` it rejects with CONNECTION_TIMEOUT (naming `what`) and calls
 * `onTimeout` so the caller can drop what is stuck (destroy sockets). The work itself is not awaited further.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout?.();
      reject(new PlugboardError('CONNECTION_TIMEOUT', `${what} did not finish within ${formatMs(ms)}.`, { hint: 'The server may be stalled; raise the timeout if it is just slow.' }));
    }, ms);
    timer.unref?.();
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

export function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
