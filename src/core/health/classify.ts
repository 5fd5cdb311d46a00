import { PlugboardError, isPlugboardError, type ErrorCode } from '../errors';
import { redactor } from '../redact';

/**
 * Turns whatever a driver or the network threw into a PlugboardError. Adapters pass backend-specific codes
 * (SQLSTATE, HTTP status) through `byCode`; network errors are recognised here for every backend.
 */
const NODE_CODES: Record<string, ErrorCode> = {
  ECONNREFUSED: 'CONNECTION_REFUSED',
  ETIMEDOUT: 'CONNECTION_TIMEOUT',
  ESOCKETTIMEDOUT: 'CONNECTION_TIMEOUT',
  ECONNRESET: 'CONNECTION_LOST',
  EPIPE: 'CONNECTION_LOST',
  ENOTFOUND: 'HOST_NOT_FOUND',
  EAI_AGAIN: 'HOST_NOT_FOUND',
  EHOSTUNREACH: 'CONNECTION_TIMEOUT',
  ENETUNREACH: 'CONNECTION_TIMEOUT',
  ABORT_ERR: 'CANCELLED',
};

const TLS_PATTERN = /\b(ssl|tls|certificate|self[- ]signed|CERT_|ERR_SSL|ERR_TLS|DEPTH_ZERO|UNABLE_TO_VERIFY|hostname\/IP does not match)\b/i;

export interface ClassifyOptions {
  /** Backend-specific mapping, consulted first, e.g. SQLSTATE → code. */
  byCode?: (err: { code?: string; message: string }) => ErrorCode | undefined;
  /** What was being done, for the message: "Connecting to db.example.com:5432". */
  context?: string;
}

export function classifyError(err: unknown, options: ClassifyOptions = {}): PlugboardError {
  if (isPlugboardError(err)) return err;
  const e = (err ?? {}) as { code?: unknown; message?: unknown; name?: unknown; errors?: unknown };
  const message = redactor.redact(typeof e.message === 'string' && e.message ? e.message : String(err));
  const code = typeof e.code === 'string' ? e.code : undefined;
  let errorCode = options.byCode?.({ code, message }) ?? (code ? NODE_CODES[code] : undefined);
  // AggregateError from happy-eyeballs connects carries the real causes inside.
  if (!errorCode && Array.isArray(e.errors) && e.errors.length) return classifyError(e.errors[0], options);
  if (!errorCode) {
    if (e.name === 'AbortError') errorCode = 'CANCELLED';
    else if (/timeout|timed out/i.test(message)) errorCode = 'CONNECTION_TIMEOUT';
    else if (TLS_PATTERN.test(message) || (code && /^(ERR_SSL|ERR_TLS|CERT_|DEPTH_ZERO|UNABLE_TO)/.test(code))) errorCode = 'TLS_ERROR';
    else if (/terminated unexpectedly|connection (closed|terminated|reset)|socket hang up/i.test(message)) errorCode = 'CONNECTION_LOST';
    else errorCode = 'INTERNAL';
  }
  const prefix = options.context ? `${options.context}: ` : '';
  return new PlugboardError(errorCode, `${prefix}${message}`, { cause: err });
}
