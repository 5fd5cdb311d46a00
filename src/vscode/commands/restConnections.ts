import * as vscode from 'vscode';
import type { OAuthTarget, SecretField, TestWebhookResult } from '../../backends/http/api';
import { PlugboardError } from '../../core/errors';
import { profileIdFor, type ConnectionProfile, type Secret } from '../../core/model';
import { readSecret, writeSecret } from '../../core/profiles/secrets';
import { resolveDefinition } from '../../core/registry';
import type { PlugboardContext } from '../context';
import { testBeforeSaving } from '../connectionTest';
import { withCancellableProgress } from '../progress';
import { register, resolveProfile } from './index';
import { ProviderCommands, type ProviderServices } from './providerIds';

/**
 * REST connections built from provider definitions: the Add wizard (a template's variables, then its secrets
 * into SecretStorage), OAuth2 Sign In / Sign Out, and Send Test Webhook. Handlers take arguments for tests.
 */
export interface AddRestArgs {
  provider?: string;
  name?: string;
  variables?: Record<string, string>;
  secrets?: Partial<Record<SecretField, string>>;
  accountId?: string;
  /** Save even if Test Connection fails. */
  saveAnyway?: boolean;
  /** Ask (with input boxes) for whatever the arguments leave out. */
  interactive?: boolean;
  /** Values the input boxes start with (after a failed test, what was typed before). */
  prefill?: Record<string, string>;
}

export interface SignInArgs {
  accountId?: string;
  /** `uri-handler` for remote and browser windows, where a loopback port is not reachable; default by window. */
  redirect?: 'loopback' | 'uri-handler';
  /** Replaces vscode.env.openExternal (tests drive the authorization page themselves). */
  openUrl?: (url: string) => unknown;
  timeoutMs?: number;
}

export function registerRestConnectionCommands(ctx: PlugboardContext, services: ProviderServices, refreshTree: () => void): void {
  register(ctx, ProviderCommands.addRestConnection, async (args?: AddRestArgs) => {
    await services.ready;
    const saved = await addRestConnection(ctx, services, args ?? { interactive: true });
    if (saved) refreshTree();
    return saved;
  }, { optionsArgument: true });
  register(ctx, ProviderCommands.signIn, async (arg?: unknown, opts: SignInArgs = {}) => {
    const t = await oauthTarget(ctx, services, arg, opts.accountId);
    if (!t) return undefined;
    const redirect = (opts.redirect ?? (vscode.env.remoteName ? 'uri-handler' : 'loopback')) === 'uri-handler' ? await services.redirects.create(opts.timeoutMs) : undefined;
    const openUrl = opts.openUrl ?? ((url: string) => vscode.env.openExternal(vscode.Uri.parse(url, true)));
    const { oauth } = await services.rest();
    await withCancellableProgress(`Signing in to ${t.definition.name}`, (_p, signal) => oauth.signIn(t, { openUrl, redirect, signal, timeoutMs: opts.timeoutMs }));
    await ctx.sessions.close(t.profileId);
    refreshTree();
    const status = await oauth.status(t.profileId, t.accountId);
    ctx.log.info('oauth', `Signed in ${t.profileId}/${t.accountId ?? 'default'} (${status.label})`);
    if (!opts.openUrl) void vscode.window.showInformationMessage(`Signed in to ${t.definition.name} (${status.label}).`);
    return status; // never the tokens themselves
  });
  register(ctx, ProviderCommands.signOut, async (arg?: unknown, opts: { accountId?: string; all?: boolean } = {}) => {
    const t = await oauthTarget(ctx, services, arg, opts.accountId);
    if (!t) return undefined;
    const { oauth } = await services.rest();
    const result = opts.all ? await oauth.signOutAll(t) : await oauth.signOut(t);
    await ctx.sessions.close(t.profileId);
    refreshTree();
    return result;
  });
  register(ctx, ProviderCommands.sendTestWebhook, async (arg?: unknown, opts: { url?: string; event?: string; payload?: unknown } = {}) => {
    await services.ready;
    const profile = await resolveProfile(ctx, arg, 'Send a test webhook for which connection?');
    if (!profile) return undefined;
    return sendWebhook(ctx, services, profile, opts);
  });
}

/** For Remove Connection: revoke and forget every signed-in account of an http connection. */
export async function forgetRestConnection(ctx: PlugboardContext, services: ProviderServices, profile: ConnectionProfile): Promise<void> {
  if (profile.kind !== 'http') return;
  const t = await oauthTarget(ctx, services, profile).catch(() => undefined);
  if (t) await (await services.rest()).oauth.signOutAll(t).catch((err) => ctx.log.error('oauth', err));
}

async function oauthTarget(ctx: PlugboardContext, services: ProviderServices, arg: unknown, accountId?: string): Promise<OAuthTarget | undefined> {
  await services.ready;
  const profile = await resolveProfile(ctx, arg, 'Which connection?');
  if (!profile) return undefined;
  if (profile.kind !== 'http') throw new PlugboardError('INVALID_CONFIG', `${profile.name} is not a REST connection.`);
  const { api, env } = await services.rest();
  const { definition } = await api.resolveProfileProvider(profile, env);
  if (definition.authType !== 'oauth2') throw new PlugboardError('INVALID_CONFIG', `${definition.name} does not use OAuth2 sign-in.`);
  return { profileId: profile.id, accountId: accountId ?? api.HttpOptions.parse(profile.options).accountId, definition, secret: await readSecret(ctx.secrets, profile.id) };
}

async function addRestConnection(ctx: PlugboardContext, services: ProviderServices, a: AddRestArgs): Promise<ConnectionProfile | undefined> {
  const ask = a.interactive === true;
  let providerId = a.provider;
  if (!providerId && ask) {
    const pick = await vscode.window.showQuickPick(
      services.registry.list().map((e) => ({ label: e.definition.name, description: `${e.definition.category} · ${e.definition.authType}`, detail: e.definition.description, id: e.definition.id })),
      { placeHolder: 'Which REST service or template?', matchOnDescription: true, matchOnDetail: true },
    );
    providerId = pick?.id;
  }
  if (!providerId) return undefined;
  const def = services.registry.require(providerId).definition;

  const variables: Record<string, string> = {};
  for (const v of def.variables) {
    let value = a.variables?.[v.name];
    if (value === undefined && ask) {
      value = await vscode.window.showInputBox({
        prompt: `${def.name}: ${v.label}${v.description ? ` — ${v.description}` : ''}`,
        value: a.prefill?.[v.name] ?? v.default,
        placeHolder: v.placeholder,
        ignoreFocusOut: true,
        validateInput: (x) => (v.required && !x.trim() ? `${v.label} is required` : undefined),
      });
      if (value === undefined) return undefined;
    }
    if (value !== undefined) variables[v.name] = value.trim();
  }
  const resolved = resolveDefinition(def, variables, def.name); // names a bad value's field before anything is saved
  const { api, env } = await services.rest();

  const name = a.name ?? (ask ? await vscode.window.showInputBox({ prompt: 'Connection name', value: def.name, ignoreFocusOut: true }) : def.name);
  if (!name?.trim()) return undefined;
  const secret: Secret = {};
  for (const f of api.secretFieldsFor(resolved)) {
    let value = a.secrets?.[f.field];
    if (value === undefined && ask) {
      value = await vscode.window.showInputBox({ prompt: `${f.label}${f.optional ? ' (optional)' : ''} — kept in your OS keychain, never in a file`, password: f.field !== 'username', ignoreFocusOut: true });
      if (value === undefined) return undefined;
    }
    if (value) secret[f.field] = value;
  }

  const taken = (await ctx.profiles.list()).map((p) => p.id);
  const profile: ConnectionProfile = {
    id: profileIdFor(name, taken),
    name: name.trim(),
    kind: 'http',
    options: {
      provider: providerId,
      ...(Object.keys(variables).length ? { variables } : {}),
      ...(a.accountId ? { accountId: a.accountId } : {}),
    },
  };
  // A sign-in connection cannot be tested before its first sign-in; everything else is tested now.
  const needsSignIn = resolved.authType === 'oauth2' && resolved.auth.oauth2?.grantTypes.includes('authorization_code');
  if (!needsSignIn) {
    const tested = await testBeforeSaving(ctx, profile, (signal) => api.connectHttp(profile, secret, env, signal), {
      saveAnyway: a.saveAnyway,
      interactive: ask,
    });
    if (tested === 'edit') return addRestConnection(ctx, services, { ...a, provider: providerId, variables: undefined, prefill: variables, interactive: true });
    if (!tested) return undefined;
    ctx.health.record(tested.report);
  }
  await writeSecret(ctx.secrets, profile.id, secret);
  const saved = await ctx.profiles.save(profile);
  ctx.log.info('profiles', `Added REST connection ${saved.id} (provider ${providerId})`);
  if (needsSignIn && ask && (await vscode.window.showInformationMessage(`Saved "${saved.name}". Sign in now?`, 'Sign In')) === 'Sign In') {
    await vscode.commands.executeCommand(ProviderCommands.signIn, saved.id);
  }
  return saved;
}

async function sendWebhook(ctx: PlugboardContext, services: ProviderServices, profile: ConnectionProfile, opts: { url?: string; event?: string; payload?: unknown }): Promise<TestWebhookResult | undefined> {
  const { api, env } = await services.rest();
  const { definition } = await api.resolveProfileProvider(profile, env);
  const secret = (await readSecret(ctx.secrets, profile.id)).webhookSecret ?? '';
  const key = `plugboard.webhookUrl.${profile.id}`;
  let url = opts.url;
  if (!url) {
    url = await vscode.window.showInputBox({
      prompt: `Send a signed test event for ${definition.name} to (a URL on this machine)`,
      value: ctx.extension.workspaceState.get<string>(key) ?? 'http://localhost:3000/webhooks',
      ignoreFocusOut: true,
    });
    if (!url) return undefined;
    await ctx.extension.workspaceState.update(key, url);
  }
  const result = await withCancellableProgress(`Sending a test webhook to ${url}`, (_p, signal) => api.sendTestWebhook({ definition, secret, url: url!, event: opts.event, payload: opts.payload, signal }));
  ctx.log.info('webhook', `Test event for ${profile.id} → ${new URL(url).origin}${new URL(url).pathname}: HTTP ${result.status} in ${result.latencyMs} ms`);
  if (!opts.url) {
    const text = `Test webhook delivered: HTTP ${result.status} in ${result.latencyMs} ms.`;
    if (result.ok) void vscode.window.showInformationMessage(text);
    else void vscode.window.showWarningMessage(`${text} Your endpoint did not accept it.`);
  }
  return result;
}
