import * as vscode from 'vscode';
import type { RedirectWaiter } from '../backends/http/oauth/loopback';
import { PlugboardError } from '../core/errors';

/**
 * OAuth2 redirects through the extension's URI handler (`vscode://<publisher>.<name>/oauth-callback`, or what
 * asExternalUri makes of it in a browser or remote window), for when a loopback port on this machine is not
 * reachable from the user's browser. Each sign-in waits for its own `state`; others are ignored.
 */
export const OAUTH_CALLBACK_PATH = '/oauth-callback';

export class UriRedirects implements vscode.UriHandler {
  private readonly waiting = new Map<string, (params: URLSearchParams) => void>();

  constructor(private readonly extensionId: string) {}

  handleUri(uri: vscode.Uri): void {
    if (uri.path !== OAUTH_CALLBACK_PATH) return;
    const params = new URLSearchParams(uri.query);
    const deliver = this.waiting.get(params.get('state') ?? '');
    deliver?.(params);
  }

  async create(timeoutMs = 5 * 60_000): Promise<RedirectWaiter> {
    const internal = vscode.Uri.parse(`${vscode.env.uriScheme}://${this.extensionId}${OAUTH_CALLBACK_PATH}`);
    const external = await vscode.env.asExternalUri(internal);
    const states = new Set<string>();
    return {
      redirectUri: external.toString(true),
      wait: (state, signal) =>
        new Promise<URLSearchParams>((resolve, reject) => {
          states.add(state);
          const finish = (outcome: URLSearchParams | PlugboardError) => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            this.waiting.delete(state);
            if (outcome instanceof PlugboardError) reject(outcome);
            else resolve(outcome);
          };
          const onAbort = () => finish(new PlugboardError('CANCELLED', 'Sign-in was cancelled.'));
          const timer = setTimeout(() => finish(new PlugboardError('CONNECTION_TIMEOUT', 'No sign-in arrived in time.', { hint: 'Start Sign In again and finish it in the browser.' })), timeoutMs);
          if (signal?.aborted) return onAbort();
          signal?.addEventListener('abort', onAbort, { once: true });
          this.waiting.set(state, finish);
        }),
      close: async () => {
        // A sign-in that ended early (an error before the redirect) must not leave its waiter behind.
        for (const state of states) this.waiting.get(state)?.(new URLSearchParams({ state, error: 'closed' }));
      },
    };
  }
}
