import type * as Semver from 'semver';
import { lazyModule, lazySchema } from '../lazy';
// Loaded on first use (a provider definition validated or compared), not at activation.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const semver = lazyModule(() => require('semver') as typeof Semver);
import { z } from '../zod';
import { checkUrl, controlCharacterIssues, hasBrokenPlaceholder, isAbsoluteUrlText, looksLikeSecretName, sampleUrl, templatedStrings, VARIABLE_PATTERN, variablesIn, type RuleIssue } from './providerRules';

/**
 * A provider is data: a versioned JSON document describing a REST service (where it is, how it authenticates,
 * how to test it, its rate limit, its endpoints). Definitions are shared in `.plugboard/providers/*.json`, so
 * they never contain secrets; the values a user fills in (`{{variables}}`) live in the connection profile and
 * the credentials in SecretStorage.
 */
export const AUTH_TYPES = ['none', 'api_key', 'bearer', 'basic', 'oauth2', 'webhook'] as const;
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export const WEBHOOK_ALGORITHMS = ['hmac-sha256', 'hmac-sha512', 'hmac-sha1'] as const;
export const OAUTH2_GRANTS = ['authorization_code', 'client_credentials'] as const;

const ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;
/** A query parameter name that needs no escaping (RFC 3986 unreserved characters, plus `[]` for arrays). */
const QUERY_NAME = /^[A-Za-z0-9._~[\]-]{1,128}$/;
/** Short words like `Bearer ` or `Api-Key `: long enough for a scheme, too short to smuggle a token in. */
const KEY_PREFIX = /^[A-Za-z0-9_=-]{0,24} ?$/;

/**
 * A string that may hold `{{variables}}`: checked with each placeholder standing in as `x`. The resolved
 * definition (placeholders filled from the profile) is validated again, so a bad value is still caught.
 */
const templated = (pattern: RegExp, message: string) =>
  z.string().refine((v) => pattern.test(v.replace(VARIABLE_PATTERN, 'x')), message);
const headerName = lazySchema(() => templated(HEADER_NAME, 'must be an HTTP header name (letters, digits, "-")'));
const url = lazySchema(() => z.string().min(1).superRefine((v, ctx) => {
  const problem = checkUrl(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
}));
const jsonSchema = lazySchema(() => z.record(z.string(), z.unknown()));

export const ProviderVariable = lazySchema(() => z
  .object({
    name: z.string().regex(VARIABLE_NAME, 'must be a letter or "_" followed by letters, digits or "_"'),
    label: z.string().min(1).max(80),
    description: z.string().max(400).optional(),
    default: z.string().optional(),
    placeholder: z.string().max(200).optional(),
    required: z.boolean().default(true),
  })
  .strict());
export type ProviderVariable = z.infer<typeof ProviderVariable>;

export const ApiKeyAuth = lazySchema(() => z
  .object({
    location: z.enum(['header', 'query']),
    keyName: z.string().min(1).max(128),
    keyPrefix: templated(KEY_PREFIX, 'must be a short scheme word such as "Bearer " or "Token "').optional(),
  })
  .strict());

export const BearerAuth = lazySchema(() => z
  .object({ headerName: headerName.default('Authorization'), prefix: templated(KEY_PREFIX, 'must be a short scheme word such as "Bearer "').default('Bearer ') })
  .strict());

export const OAuth2Auth = lazySchema(() => z
  .object({
    /** With an issuer, endpoints come from its discovery document; the URLs below override it. */
    issuer: url.optional(),
    authUrl: url.optional(),
    tokenUrl: url.optional(),
    revocationUrl: url.optional(),
    scopes: z.array(templated(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'must be a scope token (no spaces or quotes)')).default([]),
    pkce: z.boolean().default(true),
    clientAuthMethod: z.enum(['client_secret_basic', 'client_secret_post', 'none']).default('client_secret_basic'),
    grantTypes: z.array(z.enum(OAUTH2_GRANTS)).min(1).default(['authorization_code']),
    /** A client id is public (it appears in every authorize URL); the client secret is not and lives elsewhere. */
    clientId: z.string().min(1).optional(),
    audience: z.string().min(1).optional(),
  })
  .strict());
export type OAuth2Auth = z.infer<typeof OAuth2Auth>;

export const WebhookAuth = lazySchema(() => z
  .object({
    signatureHeader: headerName,
    algorithm: z.enum(WEBHOOK_ALGORITHMS).default('hmac-sha256'),
    encoding: z.enum(['hex', 'base64']).default('hex'),
    prefix: templated(/^[A-Za-z0-9_.:=-]{0,24}$/, 'must be a short marker such as "sha256="').optional(),
    timestampHeader: headerName.optional(),
    toleranceSeconds: z.number().int().min(1).max(86_400).default(300),
    /** What is signed: the raw body, or `<timestamp>.<body>` (which ties the signature to the timestamp). */
    signedPayload: z.enum(['body', 'timestamp.body']).optional(),
    eventHeader: headerName.optional(),
  })
  .strict());
export type WebhookAuth = z.infer<typeof WebhookAuth>;

export const ProviderAuth = lazySchema(() => z
  .object({
    apiKey: ApiKeyAuth.optional(),
    bearer: BearerAuth.optional(),
    basic: z.object({}).strict().optional(),
    oauth2: OAuth2Auth.optional(),
    webhook: WebhookAuth.optional(),
  })
  .strict());

export const ProviderTest = lazySchema(() => z
  .object({
    endpoint: z.string().min(1),
    method: z.enum(['GET', 'HEAD', 'POST', 'OPTIONS']).default('GET'),
    expectedStatus: z.array(z.number().int().min(100).max(599)).min(1).default([200]),
    timeoutMs: z.number().int().min(100).max(120_000).optional(),
  })
  .strict());

export const RateLimits = lazySchema(() => z
  .object({ requestsPerMinute: z.number().int().min(1).max(1_000_000), burst: z.number().int().min(1).max(100_000).optional() })
  .strict());
export type RateLimits = z.infer<typeof RateLimits>;

export const DeclaredEndpoint = lazySchema(() => z
  .object({
    method: z.enum(HTTP_METHODS),
    path: z.string().regex(/^\//, 'must start with "/"'),
    operationId: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,99}$/, 'must be an identifier').optional(),
    summary: z.string().max(400).optional(),
    tag: z.string().min(1).max(80).optional(),
    parameters: z
      .array(z.object({ name: z.string().min(1), in: z.enum(['path', 'query', 'header', 'cookie']), required: z.boolean().default(false), schema: jsonSchema.optional() }).strict())
      .default([]),
    requestSchema: jsonSchema.optional(),
    responseSchema: jsonSchema.optional(),
  })
  .strict());
export type DeclaredEndpoint = z.infer<typeof DeclaredEndpoint>;

const ProviderShape = lazySchema(() => z
  .object({
    $schema: z.string().optional(),
    id: z.string().regex(ID, 'must be 1-64 lower-case letters, digits, ".", "_" or "-"'),
    name: z.string().min(1).max(120),
    category: z.string().regex(/^[a-z0-9][a-z0-9 _-]{0,39}$/, 'must be a short lower-case word such as "payments"'),
    version: z.string().refine((v) => semver.valid(v) !== null, 'must be a semantic version such as "1.2.0"'),
    description: z.string().max(1000).optional(),
    docsUrl: url.optional(),
    authType: z.enum(AUTH_TYPES),
    /** Optional only for webhook-only providers, which Plugboard never calls. */
    baseUrl: z.string().min(1).optional(),
    variables: z.array(ProviderVariable).default([]),
    auth: ProviderAuth.default({}),
    test: ProviderTest.optional(),
    rateLimits: RateLimits.optional(),
    /** Path (relative to the definition file) or http(s) URL of an OpenAPI 3 document. */
    openapi: z.string().min(1).optional(),
    endpoints: z.array(DeclaredEndpoint).optional(),
  })
  .strict());

export const ProviderDefinition = lazySchema(() => ProviderShape.superRefine((def, ctx) => {
  for (const issue of crossFieldIssues(def)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
}));
export type ProviderDefinition = z.infer<typeof ProviderDefinition>;
/** What a definition file may contain before defaults are applied. */
export type ProviderDefinitionInput = z.input<typeof ProviderDefinition>;

const AUTH_FOR_TYPE = { api_key: 'apiKey', bearer: 'bearer', basic: 'basic', oauth2: 'oauth2', webhook: 'webhook' } as const;

function crossFieldIssues(def: z.infer<typeof ProviderShape>): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const needed = def.authType === 'none' ? undefined : AUTH_FOR_TYPE[def.authType];
  if ((needed === 'apiKey' || needed === 'oauth2' || needed === 'webhook') && !def.auth[needed]) {
    issues.push({ path: ['auth', needed], message: `is required when authType is "${def.authType}"` });
  }
  for (const key of Object.keys(def.auth) as (keyof typeof def.auth)[]) {
    // A signing secret for incoming webhooks is compatible with any way of calling the API.
    if (def.auth[key] !== undefined && key !== needed && key !== 'webhook') issues.push({ path: ['auth', key], message: `is not used when authType is "${def.authType}"` });
  }
  const o = def.auth.oauth2;
  if (o && !o.issuer) {
    if (!o.tokenUrl) issues.push({ path: ['auth', 'oauth2', 'tokenUrl'], message: 'is required unless an issuer (discovery) is given' });
    if (o.grantTypes.includes('authorization_code') && !o.authUrl) issues.push({ path: ['auth', 'oauth2', 'authUrl'], message: 'is required for authorization_code unless an issuer is given' });
  }
  const w = def.auth.webhook;
  if (w?.signedPayload === 'timestamp.body' && !w.timestampHeader) {
    issues.push({ path: ['auth', 'webhook', 'timestampHeader'], message: 'is required when signedPayload is "timestamp.body"' });
  }
  // A timestamp outside the signature can be rewritten: a day-old delivery would pass as fresh.
  if (w?.signedPayload === 'body' && w.timestampHeader) {
    issues.push({ path: ['auth', 'webhook', 'signedPayload'], message: 'cannot be "body" with a timestampHeader: an unsigned timestamp gives no replay protection; use "timestamp.body" (or leave signedPayload out)' });
  }
  const k = def.auth.apiKey;
  if (k && !(k.location === 'header' ? HEADER_NAME : QUERY_NAME).test(k.keyName.replace(VARIABLE_PATTERN, 'x'))) {
    issues.push({ path: ['auth', 'apiKey', 'keyName'], message: k.location === 'header' ? 'must be an HTTP header name (letters, digits, "-")' : 'must be a query parameter name (letters, digits, "-", "_", ".", "~")' });
  }
  if (k?.keyPrefix && (k.keyPrefix.match(/[0-9]/g) ?? []).length >= 4) {
    issues.push({ path: ['auth', 'apiKey', 'keyPrefix'], message: 'must be a short scheme word such as "Bearer " or "Token ", not part of a credential' });
  }
  if (o?.clientAuthMethod === 'none' && o.grantTypes.includes('client_credentials')) {
    issues.push({ path: ['auth', 'oauth2', 'clientAuthMethod'], message: 'cannot be "none" with the client_credentials grant' });
  }
  if (def.baseUrl === undefined) {
    if (def.authType !== 'webhook') issues.push({ path: ['baseUrl'], message: 'is required' });
  } else {
    const baseProblem = checkUrl(def.baseUrl);
    if (baseProblem) issues.push({ path: ['baseUrl'], message: baseProblem });
  }
  if (def.test) {
    const p = checkUrl(def.test.endpoint, { relative: true }) ?? testOriginProblem(def.test.endpoint, def.baseUrl);
    if (p) issues.push({ path: ['test', 'endpoint'], message: p });
  }
  if (def.rateLimits?.burst !== undefined && def.rateLimits.burst > def.rateLimits.requestsPerMinute * 60) {
    issues.push({ path: ['rateLimits', 'burst'], message: 'is larger than an hour of requests' });
  }
  if (def.authType !== 'webhook' && !def.test && !def.openapi && !def.endpoints?.length) {
    issues.push({ path: ['test'], message: 'is required: give a test endpoint so Test Connection has something to call' });
  }
  issues.push(...controlCharacterIssues(def), ...variableIssues(def), ...endpointIssues(def));
  return issues;
}

/**
 * Credentials go to the origin of baseUrl only: Test Connection runs before a definition is saved, so a test
 * endpoint on another host would receive the API key. Checked with placeholders filled by one dummy (the same
 * origin text gives the same origin) and again once the profile's values are filled in.
 */
function testOriginProblem(endpoint: string, baseUrl: string | undefined): string | undefined {
  if (!isAbsoluteUrlText(endpoint)) return undefined;
  const target = sampleUrl(endpoint);
  const base = baseUrl === undefined ? undefined : sampleUrl(baseUrl);
  if (!base || !target || base.origin !== target.origin) return 'must be a path on baseUrl, or a URL with the same origin (scheme, host and port): credentials are only sent to baseUrl';
  return undefined;
}

function variableIssues(def: z.infer<typeof ProviderShape>): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const declared = new Set<string>();
  def.variables.forEach((v, i) => {
    if (declared.has(v.name)) issues.push({ path: ['variables', i, 'name'], message: `repeats the variable name "${v.name}"` });
    if (looksLikeSecretName(v.name)) issues.push({ path: ['variables', i, 'name'], message: 'looks like a secret; secrets are asked for separately and never stored as variables' });
    declared.add(v.name);
  });
  for (const { path, value } of templatedStrings({ ...def, variables: undefined })) {
    if (hasBrokenPlaceholder(value)) issues.push({ path, message: 'has a malformed {{placeholder}}' });
    for (const name of variablesIn(value)) {
      if (!declared.has(name)) issues.push({ path, message: `uses {{${name}}}, which is not declared in variables` });
    }
  }
  return issues;
}

function endpointIssues(def: z.infer<typeof ProviderShape>): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const seen = new Set<string>();
  const ops = new Set<string>();
  def.endpoints?.forEach((e, i) => {
    const key = `${e.method} ${e.path}`;
    if (seen.has(key)) issues.push({ path: ['endpoints', i], message: `repeats endpoint ${key}` });
    seen.add(key);
    if (e.operationId) {
      if (ops.has(e.operationId)) issues.push({ path: ['endpoints', i, 'operationId'], message: `repeats operationId "${e.operationId}"` });
      ops.add(e.operationId);
    }
    const pathParams = [...e.path.matchAll(/\{([^}/]+)\}/g)].map((m) => m[1]!);
    for (const p of pathParams) {
      if (!e.parameters.some((x) => x.in === 'path' && x.name === p)) issues.push({ path: ['endpoints', i, 'parameters'], message: `does not declare path parameter "${p}"` });
    }
  });
  return issues;
}

/**
 * The part of a definition generated code depends on (how to authenticate, where, how fast). It travels in
 * `SchemaModel.source.provider` so codegen stays a pure function of the model, and a change to it changes the
 * fingerprint, so the CodeLens offers to regenerate.
 */
export const ProviderSource = lazySchema(() => ProviderShape.pick({ id: true, name: true, version: true, authType: true, baseUrl: true, variables: true, auth: true, rateLimits: true }));
export type ProviderSource = z.infer<typeof ProviderSource>;

export function providerSource(def: ProviderDefinition): ProviderSource {
  const { id, name, version, authType, baseUrl, variables, auth, rateLimits } = def;
  return { id, name, version, authType, baseUrl, variables, auth, rateLimits };
}

export { fillVariables, formatPath, URL_FIELDS, variablesIn, VARIABLE_PATTERN } from './providerRules';
