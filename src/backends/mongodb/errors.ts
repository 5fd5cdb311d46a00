import { cancelled, PlugboardError, type ErrorCode } from '../../core/errors';
import { classifyError } from '../../core/health/classify';
import { redactor } from '../../core/redact';

/**
 * The driver's errors as Plugboard codes. The driver wraps what went wrong: a server selection failure
 * (MongoServerSelectionError) carries the last network error of each server in `reason.servers` and in its
 * `cause` chain; an SRV lookup fails with Node's DNS error (`querySrv ENOTFOUND`); a refused login is a
 * MongoServerError with code 18. So the whole chain is searched, the most telling cause first.
 */
interface Link {
  name?: string;
  code?: unknown;
  codeName?: unknown;
  message: string;
}

const HINTS = {
  auth: 'Check the user name, the password and authSource (the database the user was created in, often admin).',
  noAuth: 'The server wants a user and password: add them to the connection (Plugboard: Edit Connection).',
  tls: 'Check tls and the certificate options (tlsCAFile, tlsAllowInvalidCertificates): the server and Plugboard disagree about TLS.',
  srv: 'The SRV record could not be looked up: check the cluster name, or use a mongodb:// URL with host:port.',
  maxTime: 'The server stopped the command at its time limit; raise maxTimeMS in the connection, or sample fewer documents.',
  selection: 'No server answered in time: check host and port, tls (a server that requires TLS drops plain connections), a firewall, replicaSet, or (Atlas) the IP access list.',
} as const;

const TLS_CODE = /^(ERR_SSL|ERR_TLS|CERT_|DEPTH_ZERO|UNABLE_TO_|SELF_SIGNED|HOSTNAME_MISMATCH|ERR_OSSL)/;
const TLS_TEXT = /\b(ssl|tls|certificate|self[- ]signed|wrong version number|handshake)\b/i;

/** Every error reachable from `err`: causes, aggregated errors, and each server's last error. */
function chain(err: unknown): Link[] {
  const out: Link[] = [];
  const queue: unknown[] = [err];
  const seen = new Set<unknown>();
  while (queue.length && out.length < 32) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const x = e as { name?: unknown; code?: unknown; codeName?: unknown; message?: unknown; cause?: unknown; errors?: unknown; reason?: { servers?: unknown } };
    out.push({ name: typeof x.name === 'string' ? x.name : undefined, code: x.code, codeName: x.codeName, message: typeof x.message === 'string' ? x.message : String(e) });
    queue.push(x.cause);
    if (Array.isArray(x.errors)) queue.push(...(x.errors as unknown[]));
    const servers = x.reason?.servers;
    if (servers instanceof Map) for (const s of servers.values()) queue.push((s as { error?: unknown }).error);
  }
  return out;
}

function decide(links: Link[], tlsWanted: boolean): { code: ErrorCode; link: Link; hint?: string } | undefined {
  const find = (test: (l: Link) => boolean) => links.find(test);
  const server = (n: number) => find((l) => l.code === n);
  const auth = server(18) ?? find((l) => l.codeName === 'AuthenticationFailed');
  if (auth) return { code: 'AUTHENTICATION_FAILED', link: auth, hint: HINTS.auth };
  const unauthorized = server(13);
  if (unauthorized) {
    return /requires authentication/i.test(unauthorized.message)
      ? { code: 'AUTHENTICATION_FAILED', link: unauthorized, hint: HINTS.noAuth }
      : { code: 'PERMISSION_DENIED', link: unauthorized };
  }
  const aborted = find((l) => l.name === 'AbortError' || l.code === 'ABORT_ERR');
  if (aborted) return { code: 'CANCELLED', link: aborted };
  const maxTime = server(50);
  if (maxTime) return { code: 'CONNECTION_TIMEOUT', link: maxTime, hint: HINTS.maxTime };
  const parse = find((l) => l.name === 'MongoParseError' || l.name === 'MongoInvalidArgumentError' || l.name === 'MongoMissingCredentialsError');
  if (parse) return { code: 'INVALID_CONFIG', link: parse };
  const srv = find((l) => /^query(Srv|Txt) /.test(l.message));
  if (srv) return { code: 'HOST_NOT_FOUND', link: srv, hint: HINTS.srv };
  const tls = find((l) => (typeof l.code === 'string' && TLS_CODE.test(l.code)) || (tlsWanted && TLS_TEXT.test(l.message)));
  if (tls) return { code: 'TLS_ERROR', link: tls, hint: HINTS.tls };
  const node = find((l) => typeof l.code === 'string' && NODE_NETWORK.has(l.code));
  if (node) return { code: NODE_NETWORK.get(node.code as string)!, link: node };
  const timeout = find((l) => l.name === 'MongoNetworkTimeoutError' || l.name === 'MongoOperationTimeoutError');
  if (timeout) return { code: 'CONNECTION_TIMEOUT', link: timeout };
  const selection = find((l) => l.name === 'MongoServerSelectionError');
  // Selection failed with no network error: nothing answered a hello in time (a black hole, a wrong port
  // behind a firewall, or a TLS mismatch the server never replied to).
  if (selection) return { code: 'CONNECTION_TIMEOUT', link: selection, hint: HINTS.selection };
  const network = find((l) => l.name === 'MongoNetworkError' || l.name === 'MongoTopologyClosedError' || l.name === 'MongoClientClosedError');
  if (network) return { code: 'CONNECTION_LOST', link: network };
  return undefined;
}

/**
 * Errors that another attempt a moment later will not fix: nothing listens on the port, the name does not
 * resolve, the certificate is not trusted. The driver would retry them until server selection times out.
 */
export function isDefinitive(err: unknown): boolean {
  return chain(err).some((l) => typeof l.code === 'string' && (l.code === 'ECONNREFUSED' || l.code === 'ENOTFOUND' || TLS_CODE.test(l.code)));
}

const NODE_NETWORK = new Map<string, ErrorCode>([
  ['ECONNREFUSED', 'CONNECTION_REFUSED'],
  ['ENOTFOUND', 'HOST_NOT_FOUND'],
  ['EAI_AGAIN', 'HOST_NOT_FOUND'],
  ['ENODATA', 'HOST_NOT_FOUND'],
  ['ESERVFAIL', 'HOST_NOT_FOUND'],
  ['ETIMEDOUT', 'CONNECTION_TIMEOUT'],
  ['EHOSTUNREACH', 'CONNECTION_TIMEOUT'],
  ['ENETUNREACH', 'CONNECTION_TIMEOUT'],
  ['ECONNRESET', 'CONNECTION_LOST'],
  ['EPIPE', 'CONNECTION_LOST'],
]);

/**
 * A driver failure as a PlugboardError: `context` says what was being done ("Connecting to …"). The message
 * keeps the driver's own words for the cause that decided the code, redacted.
 */
export function classifyMongoError(err: unknown, context: string, opts: { tls?: boolean; signal?: AbortSignal } = {}): PlugboardError {
  if (err instanceof PlugboardError) return err;
  if (opts.signal?.aborted) return cancelled();
  const decided = decide(chain(err), !!opts.tls);
  if (!decided) return classifyError(err, { context });
  if (decided.code === 'CANCELLED') return cancelled();
  const words = redactor.redact(decided.link.message || 'no details');
  return new PlugboardError(decided.code, `${context}: ${words}`, { cause: err, hint: decided.hint });
}
