import * as path from 'node:path';
import { PlugboardError, throwIfAborted } from '../../core/errors';
import type { Driver, IntrospectOptions, ProgressReporter, Session } from '../../core/backend';
import type { ConnectionProfile, HealthReport, ProviderDefinition, SchemaModel, Secret } from '../../core/model';
import { resolveDefinition } from '../../core/registry/resolve';
import { applyAuth, registerSecrets } from './auth';
import { HttpClient, type HttpRequest, type HttpResponse } from './client';
import { buildEndpointModel, declaredEndpoints } from './endpoints';
import { environmentFor, type HttpEnvironment } from './environment';
import { HttpOptions } from './options';
import { OAuthManager, type OAuthTarget } from './oauth/signIn';
import { endpointsFromOpenApi, loadOpenApi } from './openapi';

/**
 * The `http` kind: any REST service described by a provider definition. The profile names the provider and
 * fills its variables; the secret holds apiKey / token / username+password / clientSecret / webhookSecret.
 */
export class HttpSession implements Session {
  readonly client: HttpClient;

  constructor(
    readonly profile: ConnectionProfile,
    readonly definition: ProviderDefinition,
    private readonly definitionFile: string | undefined,
    private readonly env: HttpEnvironment,
    private readonly oauth: OAuthManager,
    readonly oauthTarget: OAuthTarget,
  ) {
    const tokenSource = definition.authType === 'oauth2' ? (signal?: AbortSignal, force?: boolean) => oauth.accessToken(oauthTarget, signal, force) : undefined;
    this.client = new HttpClient(definition, oauthTarget.secret, env, tokenSource);
  }

  get queryCount(): number {
    return this.client.requestCount;
  }

  request(req: HttpRequest): Promise<HttpResponse> {
    return this.client.request(req);
  }

  /** Test Connection: the definition's test endpoint must answer one of its expected statuses. */
  async ping(signal?: AbortSignal): Promise<HealthReport> {
    const test = this.definition.test;
    const checkedAt = () => new Date(this.env.now()).toISOString();
    if (!test || !this.definition.baseUrl) {
      return { profileId: this.profile.id, status: 'unknown', serverVersion: `${this.definition.name} (receives webhooks; nothing to call)`, checkedAt: checkedAt() };
    }
    const res = await this.client.request({ method: test.method, path: test.endpoint, expect: test.expectedStatus, timeoutMs: test.timeoutMs, signal });
    const server = res.headers.get('server');
    return {
      profileId: this.profile.id,
      status: 'ok',
      latencyMs: res.latencyMs,
      serverVersion: `${this.definition.name} ${this.definition.version} · HTTP ${res.status}${server ? ` · ${server}` : ''}`,
      checkedAt: checkedAt(),
    };
  }

  async introspect(opts: IntrospectOptions, progress?: ProgressReporter, signal?: AbortSignal): Promise<SchemaModel> {
    const def = this.definition;
    // A webhook-only provider has nothing to call, but its model still carries the signing settings that the
    // webhook-verify target is generated from.
    if (!def.openapi && !def.endpoints?.length && def.auth.webhook) return buildEndpointModel(def, [], opts);
    if (!def.openapi && !def.endpoints?.length) {
      throw new PlugboardError('SCHEMA_ERROR', `${def.name} declares no endpoints and no OpenAPI document.`, { hint: 'Add "openapi" (a path or URL) or "endpoints" to the provider definition.' });
    }
    let endpoints = declaredEndpoints(def);
    let serverVersion: string | undefined;
    if (def.openapi) {
      progress?.('Reading the OpenAPI document', 0.1);
      const api = await loadOpenApi(def.openapi, this.definitionFile ? path.dirname(this.definitionFile) : undefined);
      throwIfAborted(signal);
      serverVersion = api.info.version;
      const fromDoc = endpointsFromOpenApi(api);
      const seen = new Set(fromDoc.map((e) => `${e.method} ${e.path}`));
      // Declared endpoints fill gaps the document leaves; the document wins where both describe one.
      endpoints = [...fromDoc, ...endpoints.filter((e) => !seen.has(`${e.method} ${e.path}`))];
    }
    progress?.('Building the schema model', 0.8);
    const model = buildEndpointModel(def, endpoints, opts, serverVersion);
    progress?.('Schema read', 1);
    return model;
  }

  async close(): Promise<void> {
    // Nothing pooled: fetch keeps its own keep-alive agent, which idles out by itself.
  }
}

const managers = new WeakMap<HttpEnvironment, OAuthManager>();

/** The OAuth manager of an environment: shared, so concurrent refreshes of one account are coalesced. */
export function oauthManagerFor(env: HttpEnvironment): OAuthManager {
  let m = managers.get(env);
  if (!m) managers.set(env, (m = new OAuthManager(env)));
  return m;
}

/** The provider definition a profile uses, with its variables filled in from the profile. */
export async function resolveProfileProvider(profile: ConnectionProfile, env: HttpEnvironment): Promise<{ definition: ProviderDefinition; file?: string }> {
  const options = HttpOptions.parse(profile.options);
  const entry = await env.providers.get(options.provider);
  if (!entry) throw new PlugboardError('NOT_FOUND', `Connection "${profile.name}" uses provider "${options.provider}", which is not installed.`, { hint: 'Import its definition (Plugboard: Import Provider…).' });
  return { definition: resolveDefinition(entry.definition, options.variables ?? {}, `connection "${profile.name}"`), file: entry.file };
}

/** Opens a REST session in an environment (the driver's connect, and tests that build their own environment). */
export async function connectHttp(profile: ConnectionProfile, secret: Secret, env: HttpEnvironment, signal?: AbortSignal): Promise<HttpSession> {
  registerSecrets(secret);
  const { definition, file } = await resolveProfileProvider(profile, env);
  const oauth = oauthManagerFor(env);
  const target: OAuthTarget = { profileId: profile.id, accountId: HttpOptions.parse(profile.options).accountId, definition, secret };
  // Connect = credentials present and applicable; OAuth2 also obtains (or refreshes) its token now.
  if (definition.authType === 'oauth2') await oauth.accessToken(target, signal);
  else if (definition.baseUrl) applyAuth(definition, secret, new URL(definition.baseUrl), new Headers());
  throwIfAborted(signal);
  return new HttpSession(profile, definition, file, env, oauth, target);
}

export const httpDriver: Driver = {
  connect: (profile, secret, host) => connectHttp(profile, secret, environmentFor(host), host.signal),
};
