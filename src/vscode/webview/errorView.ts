import { classifyError } from '../../core/health/classify';
import { redactor } from '../../core/redact';
import type { ErrorView } from './protocol/common';

/** Any failure as a webview shows it: classified into a PlugboardError, message and hint redacted. */
export function toErrorView(raw: unknown): ErrorView {
  const err = isErrorView(raw) ? raw : classifyError(raw);
  return { code: err.code, message: redactor.redact(err.message), hint: redactor.redact(err.hint) };
}

function isErrorView(raw: unknown): raw is ErrorView {
  const e = raw as Partial<ErrorView> | undefined;
  return !(raw instanceof Error) && typeof e?.code === 'string' && typeof e.message === 'string' && typeof e.hint === 'string';
}
