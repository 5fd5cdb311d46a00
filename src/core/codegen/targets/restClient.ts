import type { Entity } from '../../model';
import { JsonSchemaTs } from '../jsonSchemaTs';
import { camelCase, docText, fileStem, NameAllocator, pascalCase, propertyKey } from '../naming';
import type { CodegenTarget, GeneratedFile, TargetContext } from '../types';
import { authView, envPrefix } from './restAuth';

/**
 * `rest-client`: one typed fetch client per REST provider. Types come from the endpoints' JSON Schemas (named
 * component schemas become shared declarations); each operation is a method taking `{ path, query, headers,
 * body }`. Auth comes from environment variables listed in the header; a token bucket and retries with
 * backoff + jitter are built in, so the client behaves like Plugboard's own requests.
 */
export const restClientTarget: CodegenTarget = {
  id: 'rest-client',
  label: 'REST client',
  description: 'A typed fetch client with auth from the environment, rate limiting and retries',
  kinds: ['http'],
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
  'ClientOptions RequestOptions ApiError TokenBucket Operation Json IDEMPOTENT sleep backoff parseRetryAfter base64 ' +
  'Error Response Request Headers URL URLSearchParams AbortSignal AbortController Promise Map Set Object String Number ' +
  'Boolean Symbol Math JSON RequestInit Blob Uint8Array TextEncoder ReadonlyArray Record Partial Omit Pick Exclude ' +
  'NonNullable ReturnType Awaited Array Function RegExp Date globalThis'
).split(' ');

function clientView(ctx: TargetContext) {
  const provider = ctx.model.source.provider;
  const types = new NameAllocator(MODULE_NAMES);
  const schemas = new JsonSchemaTs(types);
  const endpoints = ctx.model.namespaces.flatMap((ns) => ns.entities.filter((e) => e.kind === 'endpoint' && e.endpoint).map((e) => ({ ns: ns.name, e })));
  for (const { e } of endpoints) {
    schemas.collect(e.endpoint!.requestSchema);
    schemas.collect(e.endpoint!.responseSchema);
    e.endpoint!.parameters.forEach((p) => schemas.collect(p.schema));
  }
  const className = types.allocate(`${pascalCase(provider?.name ?? provider?.id ?? 'Api')}Client`);
  const methods = new NameAllocator(CLASS_MEMBERS);
  const operations = endpoints.map(({ ns, e }) => operationView(ns, e, types, methods, schemas));
  const { auth, env } = authView(provider);
  const limits = provider?.rateLimits;
  return {
    header: ctx.header('rest-client'),
    providerName: provider?.name ?? ctx.model.source.database ?? 'REST API',
    className,
    envVars: env.map((v) => ({ name: v.name, required: v.required, about: docText(v.doc), padded: v.name.padEnd(Math.max(...env.map((x) => x.name.length))) })),
    baseUrlVar: `${envPrefix(provider)}_BASE_URL`,
    defaultBaseUrl: provider?.baseUrl ?? '',
    auth,
    needsBase64: auth.kind === 'basic' || (auth.clientCredentials && auth.clientAuth !== 'client_secret_post'),
    rateLimit: limits ? { rpm: limits.requestsPerMinute, burst: limits.burst ?? Math.max(1, Math.floor(limits.requestsPerMinute / 10)) } : null,
    declarations: schemas.declarations(),
    operations,
  };
}

function operationView(ns: string, e: Entity, types: NameAllocator, methods: NameAllocator, schemas: JsonSchemaTs) {
  const ep = e.endpoint!;
  const base = ep.operationId ?? `${ep.method.toLowerCase()} ${ep.path.replace(/\{([^}]+)\}/g, 'by $1')}`;
  const typeBase = types.allocate(pascalCase(base), ['Args', 'Response']);
  const groups = ['path', 'query', 'header'].map((where) => {
    const params = ep.parameters.filter((p) => p.in === where);
    if (!params.length) return undefined;
    const fields = params.map((p) => `    ${propertyKey(p.name)}${p.required ? '' : '?'}: ${schemas.typeOf(p.schema, '    ')};`);
    const required = params.some((p) => p.required);
    return { key: where === 'header' ? 'headers' : where, required, text: `{\n${fields.join('\n')}\n  }` };
  });
  const parts = groups.filter((g): g is NonNullable<typeof g> => !!g);
  const lines = parts.map((g) => `  ${g.key}${g.required ? '' : '?'}: ${g.text};`);
  if (ep.requestSchema !== undefined) lines.push(`  body: ${schemas.typeOf(ep.requestSchema, '  ')};`);
  const argsRequired = ep.requestSchema !== undefined || parts.some((g) => g.required);
  return {
    methodName: methods.allocate(camelCase(base)),
    httpMethod: ep.method.toUpperCase(),
    path: ep.path,
    namespace: ns,
    summary: docText([ep.summary, `${ep.method.toUpperCase()} ${ep.path}`].filter(Boolean).join(' — ')),
    argsName: `${typeBase}Args`,
    argsType: lines.length ? `{\n${lines.join('\n')}\n}` : 'Record<string, never>',
    argsOptional: !argsRequired,
    responseName: `${typeBase}Response`,
    responseType: ep.responseSchema === undefined ? 'unknown' : schemas.typeOf(ep.responseSchema, ''),
  };
}
