import { EndpointTypes } from '../../../core/codegen/endpointTypes';
import { fileStem, lineComment, NameAllocator, pascalCase } from '../../../core/codegen/naming';
import type { CodegenTarget, GeneratedFile, TargetContext } from '../../../core/codegen/types';
import { authView, envPrefix } from './restAuth';

/**
 * `rest-client`: one typed fetch client per REST provider. Types come from the endpoints' JSON Schemas (named
 * component schemas become shared declarations); each operation is a method taking `{ path, query, headers,
 * body }`. Auth comes from environment variables listed in the header; a token bucket and retries with
 * backoff + jitter are built in, so the client behaves like Plugboard's own requests.
 */
export const restClientTarget: CodegenTarget = {
  id: 'rest-client',
  needs: ['endpoints'],
  templates: ['rest-client', 'rest-runtime'],
  generate(ctx: TargetContext): GeneratedFile[] {
    const provider = ctx.model.source.provider;
    const stem = fileStem(provider?.id ?? ctx.model.source.database ?? 'api', new Set());
    const view = clientView(ctx);
    const content = `${ctx.templates.get('rest-client')(view)}\n${ctx.templates.get('rest-runtime')(view)}`;
    return [{ path: `${stem}.client.ts`, target: 'rest-client', content }];
  },
};

/** Members of the generated class; an operation called `request` must not replace the runtime's method. */
const CLASS_MEMBERS = ['request', 'call', 'url', 'need', 'resetAuth', 'accessToken', 'discoverTokenUrl', 'constructor', 'options', 'bucket', 'token', 'send', 'authorize', 'baseUrl', 'env', 'fetchImpl', 'cachedToken'];
/** Names the template declares or uses at module level: a schema called `Error` must not shadow the global. */
const MODULE_NAMES = (
  'ClientOptions RequestOptions ApiError TokenBucket Operation Json IDEMPOTENT REDIRECTS CREDENTIAL_HEADERS CREDENTIAL_QUERY sleep backoff parseRetryAfter base64 ' +
  'Error Response Request Headers URL URLSearchParams AbortSignal AbortController Promise Map Set Object String Number ' +
  'Boolean Symbol Math JSON RequestInit Blob Uint8Array TextEncoder ReadonlyArray Record Partial Omit Pick Exclude ' +
  'NonNullable ReturnType Awaited Array Function RegExp Date globalThis'
).split(' ');

function clientView(ctx: TargetContext) {
  const provider = ctx.model.source.provider;
  const types = new NameAllocator(MODULE_NAMES);
  const endpointTypes = new EndpointTypes(ctx.model, types);
  const className = types.allocate(`${pascalCase(provider?.name ?? provider?.id ?? 'Api')}Client`);
  const operations = endpointTypes.operations(new NameAllocator(CLASS_MEMBERS));
  const { auth, env } = authView(provider);
  const limits = provider?.rateLimits;
  return {
    header: ctx.header('rest-client'),
    providerName: provider?.name ?? ctx.model.source.database ?? 'REST API',
    className,
    envVars: env.map((v) => ({ name: v.name, required: v.required, about: lineComment(v.doc), padded: v.name.padEnd(Math.max(...env.map((x) => x.name.length))) })),
    baseUrlVar: `${envPrefix(provider)}_BASE_URL`,
    defaultBaseUrl: provider?.baseUrl ?? '',
    auth,
    needsBase64: auth.kind === 'basic' || (auth.clientCredentials && auth.clientAuth !== 'client_secret_post'),
    rateLimit: limits ? rateLimitView(limits) : null,
    declarations: endpointTypes.declarations(),
    operations,
    credentialHeaders: [...new Set(['authorization', 'proxy-authorization', 'cookie', ...(auth.kind === 'api_key_header' || auth.kind === 'bearer' ? [(auth.kind === 'bearer' ? auth.headerName : auth.keyName).toLowerCase()] : [])])],
    credentialQuery: auth.kind === 'api_key_query' ? auth.keyName : '',
  };
}

/** Numbers printed into code as numbers: whole and positive, whatever a model read back from disk says. */
function rateLimitView(limits: { requestsPerMinute: number; burst?: number }): { rpm: number; burst: number } {
  const whole = (n: unknown, fallback: number) => (Number.isSafeInteger(n) && (n as number) > 0 ? (n as number) : fallback);
  const rpm = whole(limits.requestsPerMinute, 60);
  return { rpm, burst: whole(limits.burst, Math.max(1, Math.floor(rpm / 10))) };
}
