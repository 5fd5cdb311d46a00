import { fileStem } from '../../../core/codegen/naming';
import type { CodegenTarget, GeneratedFile, TargetContext } from '../../../core/codegen/types';
import { PlugboardError } from '../../../core/errors';
import { authView } from './restAuth';

const HASH = { 'hmac-sha256': 'sha256', 'hmac-sha512': 'sha512', 'hmac-sha1': 'sha1' } as const;

/**
 * `webhook-verify`: for providers that sign their webhooks, a verification function built from the provider's
 * signature settings (header, HMAC algorithm, encoding, prefix, timestamp and tolerance). The secret is read
 * from an environment variable; nothing secret is generated.
 */
export const webhookVerifyTarget: CodegenTarget = {
  id: 'webhook-verify',
  templates: ['webhook-verify'],
  generate(ctx: TargetContext): GeneratedFile[] {
    const provider = ctx.model.source.provider;
    const w = provider?.auth.webhook;
    if (!provider || !w) {
      throw new PlugboardError('INVALID_CONFIG', `${provider?.name ?? 'This provider'} does not sign webhooks (no auth.webhook), so webhook-verify does not apply.`, {
        hint: 'Choose the rest-client target, or add auth.webhook to the provider definition.',
      });
    }
    const timestampSigned = (w.signedPayload ?? (w.timestampHeader ? 'timestamp.body' : 'body')) === 'timestamp.body';
    // Validation refuses this; a model from elsewhere (an old cache) must not get a file claiming replay protection.
    if (w.timestampHeader && !timestampSigned) {
      throw new PlugboardError('INVALID_CONFIG', `${provider.name} sends a timestamp it does not sign, so no replay protection can be generated.`, {
        hint: 'Set auth.webhook.signedPayload to "timestamp.body", or remove timestampHeader.',
      });
    }
    const view = {
      header: ctx.header('webhook-verify'),
      providerName: provider.name,
      secretVar: authView(provider).auth.vars.webhookSecret,
      algorithm: w.algorithm,
      hash: HASH[w.algorithm],
      encoding: w.encoding,
      hex: w.encoding === 'hex',
      prefix: w.prefix ?? '',
      signatureHeader: w.signatureHeader,
      timestampHeader: w.timestampHeader ?? '',
      toleranceSeconds: Number.isSafeInteger(w.toleranceSeconds) && w.toleranceSeconds > 0 ? w.toleranceSeconds : 300,
      timestampSigned,
    };
    const stem = fileStem(provider.id, new Set());
    return [{ path: `${stem}.webhook.ts`, target: 'webhook-verify', content: ctx.templates.get('webhook-verify')(view) }];
  },
};
