import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TokenStatus } from '../../backends/http/api';
import type { ConnectionProfile } from '../../core/model';
import { ProviderRegistry } from '../../core/registry';
import { workspaceRoot, type PlugboardContext } from '../context';
import { UriRedirects } from '../uriRedirect';
import type { ProviderServices, RestServices } from './providerIds';

/**
 * What REST connections need from the moment the editor starts, before any provider command runs: the
 * registry (built-ins + `.plugboard/providers/*.json` + the user's own folder, read in the background and
 * re-read when a definition file changes), the OAuth2 URI handler, and the REST backend on first use.
 */
export function createProviderServices(ctx: PlugboardContext, refreshTree: () => void): ProviderServices {
  const registry = new ProviderRegistry({ workspaceRoot: workspaceRoot(), userDir: path.join(ctx.extension.globalStorageUri.fsPath, 'providers') });
  const load = async () => {
    await registry.load();
    for (const p of registry.problems()) ctx.log.warn('providers', p.error.message);
    if (registry.problems().length) {
      void vscode.window.showWarningMessage(`Plugboard: ${registry.problems().length} provider definition(s) could not be read.`, 'Show Log').then((c) => c && ctx.log.show());
    }
  };
  const ready = load().catch((err) => ctx.log.error('providers', err));
  // Connections opened while the folders are still being read wait for them instead of failing.
  ctx.setProviders({ get: async (id) => (await ready, registry.get(id)) });
  const redirects = new UriRedirects(ctx.extension.extension.id);
  let rest: Promise<RestServices> | undefined;
  const loadRest = async (): Promise<RestServices> => {
    const api = await import('../../backends/http/api');
    const env = api.environmentFor(ctx.host);
    return { api, env, oauth: api.oauthManagerFor(env) };
  };
  const reload = () =>
    load().then(async () => {
      // Connections built on an older definition reconnect on next use.
      for (const p of await ctx.profiles.list().catch(() => [])) if (p.kind === 'http') await ctx.sessions.close(p.id);
      refreshTree();
    }).catch((err) => ctx.log.error('providers', err));
  ctx.extension.subscriptions.push(vscode.window.registerUriHandler(redirects));
  const watcher = vscode.workspace.createFileSystemWatcher('**/.plugboard/providers/*.json');
  const changed = () => void reload();
  ctx.extension.subscriptions.push(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed));
  return { registry, ready, redirects, reload, rest: () => (rest ??= loadRest()) };
}

/** The status line of an OAuth2 REST connection for the tree ("expires in 42 min", "needs sign-in"); undefined for anything else. */
export async function oauthStatus(services: ProviderServices, profile: ConnectionProfile): Promise<TokenStatus | undefined> {
  if (profile.kind !== 'http') return undefined;
  const { api, oauth } = await services.rest();
  const options = api.HttpOptions.safeParse(profile.options);
  if (!options.success) return undefined;
  await services.ready;
  if (services.registry.get(options.data.provider)?.definition.authType !== 'oauth2') return undefined;
  return oauth.status(profile.id, options.data.accountId);
}
