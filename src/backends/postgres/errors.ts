import { PlugboardError, type ErrorCode } from '../../core/errors';
import { classifyError } from '../../core/health/classify';

/** SQLSTATE classes and codes → Plugboard codes (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
function bySqlState(err: { code?: string; message: string }): ErrorCode | undefined {
  const code = err.code;
  if (/does not support SSL|SSL off|no encryption|SSL connection is required|requires? (an )?SSL/i.test(err.message)) return 'TLS_ERROR';
  // The step deadline: the server's statement_timeout (57014, otherwise "cancelled") or the client's own.
  if (/statement timeout|Query read timeout/i.test(err.message)) return 'CONNECTION_TIMEOUT';
  if (!code || !/^[0-9A-Z]{5}$/.test(code)) {
    if (/timeout expired|connection timeout/i.test(err.message)) return 'CONNECTION_TIMEOUT';
    return undefined;
  }
  if (code === '28P01' || code === '28000') return 'AUTHENTICATION_FAILED';
  if (code === '3D000') return 'DATABASE_NOT_FOUND';
  if (code === '53300' || code === '53400') return 'QUOTA_EXCEEDED';
  if (code === '57P03') return 'SERVER_UNAVAILABLE';
  if (code === '08P01') return 'INTERNAL'; // protocol violation: our bug, not the network's
  if (code === '57P01' || code === '57P02' || code.startsWith('08')) return 'CONNECTION_LOST';
  if (code === '57014') return 'CANCELLED';
  if (code === '42501') return 'PERMISSION_DENIED';
  if (code.startsWith('42') || code === '3F000') return 'SCHEMA_ERROR';
  return undefined;
}

export function classifyPgError(err: unknown, context?: string): PlugboardError {
  // pg's own words when the server wants a password and none was given are about JavaScript types.
  if (err instanceof Error && /client password must be a string|password must be a string/i.test(err.message)) {
    return new PlugboardError('AUTHENTICATION_FAILED', `${context ? `${context}: ` : ''}the server asks for a password and none was given.`, {
      cause: err,
      hint: 'Add the password to the connection (Plugboard: Edit Connection); the CLI reads it from the URL or PGPASSWORD.',
    });
  }
  return classifyError(err, { byCode: bySqlState, context });
}
