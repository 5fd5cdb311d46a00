import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PlugboardError } from '../../../core/errors';

/**
 * The redirect target of a native-app sign-in (RFC 8252 §7.3): an HTTP server on 127.0.0.1, a random port,
 * one path. It answers exactly one redirect whose `state` matches, then closes; anything else gets a 400
 * and the wait goes on. It always closes: on success, error, timeout or cancellation.
 */
export interface RedirectWaiter {
  redirectUri: string;
  /** Resolves with the query of the matching redirect. */
  wait(state: string, signal?: AbortSignal): Promise<URLSearchParams>;
  close(): Promise<void>;
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif;margin:3em"><h1>${title}</h1><p>${text}</p></body>`;

export async function startLoopbackRedirect(opts: { timeoutMs?: number; path?: string } = {}): Promise<RedirectWaiter> {
  const callbackPath = opts.path ?? '/callback';
  let expected: string | undefined;
  let settle: ((params: URLSearchParams) => void) | undefined;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== callbackPath || !expected || url.searchParams.get('state') !== expected || !settle) {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(PAGE('Plugboard', 'This sign-in link is not the one Plugboard is waiting for.'));
      return;
    }
    const failed = url.searchParams.has('error');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
    res.end(PAGE(failed ? 'Sign-in failed' : 'Signed in', failed ? 'Return to the editor for details.' : 'You can close this tab and return to the editor.'));
    const done = settle;
    settle = undefined;
    done(url.searchParams);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let abandon: (() => void) | undefined;
  let closed: Promise<void> | undefined;
  const close = () => {
    abandon?.(); // a wait still pending ends (CANCELLED) so its timer cannot keep the process alive
    closed ??= new Promise<void>((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    });
    return closed;
  };

  return {
    redirectUri: `http://127.0.0.1:${port}${callbackPath}`,
    close,
    wait(state, signal) {
      expected = state;
      const timeoutMs = opts.timeoutMs ?? 5 * 60_000;
      return new Promise<URLSearchParams>((resolve, reject) => {
        const timer = setTimeout(() => finish(new PlugboardError('CONNECTION_TIMEOUT', `No sign-in arrived within ${Math.round(timeoutMs / 1000)} s.`, { hint: 'Start Sign In again and finish it in the browser.' })), timeoutMs);
        const onAbort = () => finish(new PlugboardError('CANCELLED', 'Sign-in was cancelled.'));
        function finish(outcome: URLSearchParams | PlugboardError) {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          settle = undefined;
          abandon = undefined;
          void close().then(() => (outcome instanceof PlugboardError ? reject(outcome) : resolve(outcome)));
        }
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        settle = (params) => finish(params);
        abandon = onAbort;
      });
    },
  };
}
