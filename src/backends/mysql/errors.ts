import { PlugboardError, type ErrorCode } from '../../core/errors';
import { classifyError } from '../../core/health/classify';

/**
 * mysql2's error codes (the server's ER_* names, and its own HANDSHAKE_* / PROTOCOL_* ones) → Plugboard codes.
 * Server errors: https://mariadb.com/kb/en/mariadb-error-code-reference/ and the MySQL error reference.
 */
const BY_CODE: Record<string, ErrorCode> = {
  ER_ACCESS_DENIED_ERROR: 'AUTHENTICATION_FAILED',
  ER_ACCESS_DENIED_NO_PASSWORD_ERROR: 'AUTHENTICATION_FAILED',
  ER_NOT_SUPPORTED_AUTH_MODE: 'AUTHENTICATION_FAILED',
  ER_MUST_CHANGE_PASSWORD_LOGIN: 'AUTHENTICATION_FAILED',
  ER_ACCOUNT_HAS_BEEN_LOCKED: 'AUTHENTICATION_FAILED',
  ER_BAD_DB_ERROR: 'DATABASE_NOT_FOUND',
  ER_DBACCESS_DENIED_ERROR: 'PERMISSION_DENIED',
  ER_TABLEACCESS_DENIED_ERROR: 'PERMISSION_DENIED',
  ER_COLUMNACCESS_DENIED_ERROR: 'PERMISSION_DENIED',
  ER_SPECIFIC_ACCESS_DENIED_ERROR: 'PERMISSION_DENIED',
  ER_HOST_NOT_PRIVILEGED: 'PERMISSION_DENIED',
  ER_HOST_IS_BLOCKED: 'PERMISSION_DENIED',
  ER_CON_COUNT_ERROR: 'QUOTA_EXCEEDED',
  ER_TOO_MANY_USER_CONNECTIONS: 'QUOTA_EXCEEDED',
  ER_USER_LIMIT_REACHED: 'QUOTA_EXCEEDED',
  ER_OUT_OF_RESOURCES: 'QUOTA_EXCEEDED',
  HANDSHAKE_NO_SSL_SUPPORT: 'TLS_ERROR',
  HANDSHAKE_SSL_ERROR: 'TLS_ERROR',
  ER_SECURE_TRANSPORT_REQUIRED: 'TLS_ERROR',
  ER_QUERY_INTERRUPTED: 'CANCELLED',
  ER_QUERY_TIMEOUT: 'CONNECTION_TIMEOUT',
  ER_STATEMENT_TIMEOUT: 'CONNECTION_TIMEOUT',
  PROTOCOL_SEQUENCE_TIMEOUT: 'CONNECTION_TIMEOUT',
  ER_SERVER_SHUTDOWN: 'SERVER_UNAVAILABLE',
  ER_SERVER_OFFLINE_MODE: 'SERVER_UNAVAILABLE',
  ER_SERVER_ISNT_AVAILABLE: 'SERVER_UNAVAILABLE',
  ER_CONNECTION_KILLED: 'CONNECTION_LOST',
  PROTOCOL_CONNECTION_LOST: 'CONNECTION_LOST',
  ER_NET_READ_INTERRUPTED: 'CONNECTION_LOST',
  ER_NO_SUCH_TABLE: 'SCHEMA_ERROR',
  ER_BAD_FIELD_ERROR: 'SCHEMA_ERROR',
  ER_BAD_TABLE_ERROR: 'SCHEMA_ERROR',
  // A Unix socket that is not there, or not ours to open.
  ENOENT: 'CONNECTION_REFUSED',
  EACCES: 'PERMISSION_DENIED',
  // A catalog query the server does not understand is Plugboard's bug, not the user's schema.
  ER_PARSE_ERROR: 'INTERNAL',
};

/** A server that wants TLS says so in words its error code does not always carry (MariaDB's require_secure_transport). */
const TLS_REQUIRED = /secure transport|SSL connection is required|requires? (an )?SSL|insecure transport/i;

function byCode(err: { code?: string; message: string }): ErrorCode | undefined {
  if (TLS_REQUIRED.test(err.message)) return 'TLS_ERROR';
  return err.code ? BY_CODE[err.code] : undefined;
}

const HINTS: Partial<Record<ErrorCode, string>> = {
  TLS_ERROR: 'Check the SSL mode: DISABLED or PREFERRED for a server without TLS, REQUIRED or VERIFY_CA/VERIFY_IDENTITY (with its CA file) for one that insists.',
  DATABASE_NOT_FOUND: 'Check the database name (names are case-sensitive on most Linux servers).',
  QUOTA_EXCEEDED: 'The server or this user is at its connection limit (max_connections / max_user_connections); close other clients or wait.',
};

export function classifyMySqlError(err: unknown, context?: string): PlugboardError {
  const classified = classifyError(err, { byCode, context });
  const hint = HINTS[classified.code];
  if (!hint || classified.hint === hint || err instanceof PlugboardError) return classified;
  return new PlugboardError(classified.code, classified.message, { cause: err, hint, detail: classified.detail });
}
