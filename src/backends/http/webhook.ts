import { createHmac, timingSafeEqual } from 'node:crypto';
import { PlugboardError } from '../../core/errors';
import type { ProviderDefinition, WebhookAuth } from '../../core/model';
import { redactor } from '../../core/redact';
import { classifyFetchError, describeRequest } from './errors';

/**
 * Signed webhooks as the provider describes them: HMAC over the raw body (or `<timestamp>.<body>`), hex or
 * base64, an optional prefix such as `sha256=`. `sendTestWebhook` plays the provider: it posts a correctly
 * signed event to a local endpoint the user is developing, so their verification can be tried end to end.
 */
const HASH = { 'hmac-sha256': 'sha256', 'hmac-sha512': 'sha512', 'hmac-sha1': 'sha1' } as const;

export function signedPayload(cfg: WebhookAuth, body: string, timestamp: number | string): string {
  const mode = cfg.signedPayload ?? (cfg.timestampHeader ? 'timestamp.body' : 'body');
  return mode === 'timestamp.body' ? `${timestamp}.${body}` : body;
}

export function computeSignature(cfg: WebhookAuth, secret: string, body: string, timestamp: number | string): string {
  const digest = createHmac(HASH[cfg.algorithm], secret).update(signedPayload(cfg, body, timestamp), 'utf8').digest(cfg.encoding);
  return `${cfg.prefix ?? ''}${digest}`;
}

/** The headers a delivery carries: signature, timestamp (seconds) and, when configured, the event name. */
export function signWebhook(cfg: WebhookAuth, secret: string, body: string, timestamp: number, event?: string): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', [cfg.signatureHeader.toLowerCase()]: computeSignature(cfg, secret, body, timestamp) };
  if (cfg.timestampHeader) headers[cfg.timestampHeader.toLowerCase()] = String(timestamp);
  if (cfg.eventHeader && event) headers[cfg.eventHeader.toLowerCase()] = event;
  return headers;
}

export type VerifyFailure = 'missing-signature' | 'missing-timestamp' | 'bad-timestamp' | 'stale' | 'mismatch';

/** The same check the generated `webhook-verify` code makes, for tests and for the editor's own use. */
export function verifyWebhook(cfg: WebhookAuth, secret: string, body: string, headers: Record<string, string | undefined>, nowSeconds = Math.floor(Date.now() / 1000)): { ok: true } | { ok: false; reason: VerifyFailure } {
  const get = (name: string) => headers[name.toLowerCase()] ?? headers[name];
  const signature = get(cfg.signatureHeader);
  if (!signature) return { ok: false, reason: 'missing-signature' };
  // The signature covers the timestamp exactly as sent; only the age check interprets it (s or ms).
  let sentTimestamp = '';
  if (cfg.timestampHeader) {
    sentTimestamp = get(cfg.timestampHeader) ?? '';
    if (!sentTimestamp) return { ok: false, reason: 'missing-timestamp' };
    if (!/^\d{1,13}$/.test(sentTimestamp)) return { ok: false, reason: 'bad-timestamp' };
    const seconds = Number(sentTimestamp) > 1e11 ? Math.floor(Number(sentTimestamp) / 1000) : Number(sentTimestamp);
    if (Math.abs(nowSeconds - seconds) > cfg.toleranceSeconds) return { ok: false, reason: 'stale' };
  }
  const hex = cfg.encoding === 'hex';
  const signatureText = computeSignature(cfg, secret, body, sentTimestamp);
  const expected = Buffer.from(hex ? signatureText.toLowerCase() : signatureText);
  const match = signature.split(/[,\s]+/).some((candidate) => {
    const given = Buffer.from(hex ? candidate.toLowerCase() : candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return match ? { ok: true } : { ok: false, reason: 'mismatch' };
}

export interface TestWebhookOptions {
  definition: ProviderDefinition;
  secret: string;
  /** The local endpoint to deliver to, e.g. http://localhost:3000/webhooks. */
  url: string;
  /** JSON body; a small sample event when omitted. */
  payload?: unknown;
  event?: string;
  fetch?: typeof fetch;
  now?: () => number;
  signal?: AbortSignal;
  /** Deliveries go to this machine only unless the caller explicitly allows otherwise. */
  allowRemote?: boolean;
}

export interface TestWebhookResult {
  status: number;
  ok: boolean;
  latencyMs: number;
  /** Names of the headers sent (values are not returned: one of them is a valid signature). */
  headers: string[];
  responseText: string;
}

const LOCAL_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

export async function sendTestWebhook(opts: TestWebhookOptions): Promise<TestWebhookResult> {
  const cfg = opts.definition.auth.webhook;
  if (!cfg) throw new PlugboardError('INVALID_CONFIG', `${opts.definition.name} does not sign webhooks (no auth.webhook).`);
  if (!opts.secret) throw new PlugboardError('AUTHENTICATION_FAILED', `No webhook signing secret is stored for ${opts.definition.name}.`, { hint: 'Add it with Plugboard: Edit Connection.' });
  redactor.register(opts.secret);
  let url: URL;
  try {
    url = new URL(opts.url);
  } catch {
    throw new PlugboardError('INVALID_CONFIG', 'The webhook URL is not a valid URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new PlugboardError('INVALID_CONFIG', 'The webhook URL must use http or https.');
  if (!opts.allowRemote && !LOCAL_HOSTS.test(url.hostname)) {
    throw new PlugboardError('INVALID_CONFIG', `Test events go to this machine only, not ${url.hostname}.`, { hint: 'Use a localhost URL (the server you are developing).' });
  }
  const now = (opts.now ?? Date.now)();
  const event = opts.event ?? 'plugboard.test';
  const body = JSON.stringify(opts.payload ?? { id: `evt_test_${now}`, type: event, created: Math.floor(now / 1000), data: { message: 'Test event sent by Plugboard' } });
  const headers = signWebhook(cfg, opts.secret, body, Math.floor(now / 1000), event);
  const label = describeRequest('POST', url);
  const started = performance.now();
  const timeout = AbortSignal.timeout(15_000);
  try {
    const res = await (opts.fetch ?? globalThis.fetch)(url, { method: 'POST', headers, body, signal: opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout });
    const responseText = redactor.redact((await res.text()).slice(0, 2000));
    return { status: res.status, ok: res.ok, latencyMs: Math.round(performance.now() - started), headers: Object.keys(headers), responseText };
  } catch (err) {
    throw classifyFetchError(err, label, opts.signal);
  }
}
