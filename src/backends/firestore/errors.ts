import { isPlugboardError, PlugboardError, type ErrorCode } from '../../core/errors';
import { classifyError } from '../../core/health/classify';
import { redactor } from '../../core/redact';

/** gRPC status codes (google.rpc.Code), as firebase-admin's errors carry them in `code`. */
const GRPC = {
  CANCELLED: 1,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  UNIMPLEMENTED: 12,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

interface Verdict {
  code: ErrorCode;
  hint?: string;
}

const NO_DATABASE_HINT = 'Check the project id (and the database id); create the Firestore database in the Firebase console if the project has none.';

/**
 * The cause a message names beats the status it came with: firebase-admin wraps a refused connection in
 * UNAVAILABLE, and its own retry deadline in DEADLINE_EXCEEDED, with the socket's error in the text.
 */
function byMessage(message: string): Verdict | undefined {
  if (/ECONNREFUSED/.test(message)) return { code: 'CONNECTION_REFUSED', hint: 'Nothing answers at that address: is the Firestore emulator (or the network path to Google) up?' };
  if (/Name resolution failed|ENOTFOUND|EAI_AGAIN|getaddrinfo/i.test(message)) return { code: 'HOST_NOT_FOUND', hint: 'The host name could not be resolved: check the emulator address, or the machine\'s DNS and internet access.' };
  if (/ETIMEDOUT|EHOSTUNREACH|ENETUNREACH/.test(message)) return { code: 'CONNECTION_TIMEOUT' };
  if (/invalid_grant|invalid_client|unauthorized_client|account not found|Getting metadata from plugin failed/i.test(message)) {
    return { code: 'AUTHENTICATION_FAILED', hint: 'Google refused the service-account key: it may have been deleted or disabled, or the machine\'s clock is off. Create a new key and update the connection.' };
  }
  return undefined;
}

function byStatus(status: number, message: string): Verdict | undefined {
  switch (status) {
    case GRPC.UNAUTHENTICATED:
      return { code: 'AUTHENTICATION_FAILED', hint: 'The credentials were not accepted: check the service-account key (Plugboard: Edit Connection; GOOGLE_APPLICATION_CREDENTIALS in the CLI).' };
    case GRPC.PERMISSION_DENIED:
      if (/has not been used in project|is disabled|Permission denied on resource project|does not exist/i.test(message)) return { code: 'DATABASE_NOT_FOUND', hint: NO_DATABASE_HINT };
      return { code: 'PERMISSION_DENIED', hint: 'The service account lacks a role this needs: grant it Cloud Datastore Viewer (roles/datastore.viewer) or more on the project.' };
    case GRPC.NOT_FOUND:
      return /database|project/i.test(message) ? { code: 'DATABASE_NOT_FOUND', hint: NO_DATABASE_HINT } : { code: 'NOT_FOUND' };
    case GRPC.FAILED_PRECONDITION:
      return /Datastore Mode|not available for/i.test(message) ? { code: 'DATABASE_NOT_FOUND', hint: 'This database is in Datastore mode; Plugboard reads Firestore (native mode) databases.' } : undefined;
    case GRPC.RESOURCE_EXHAUSTED:
      return { code: 'QUOTA_EXCEEDED', hint: 'Firestore refused for quota or rate reasons; wait a moment, or lower sampleSize/depth.' };
    case GRPC.DEADLINE_EXCEEDED:
      return { code: 'CONNECTION_TIMEOUT' };
    case GRPC.UNAVAILABLE:
      return { code: 'SERVER_UNAVAILABLE', hint: 'Firestore is unavailable for now; try again shortly.' };
    case GRPC.CANCELLED:
      // The caller's own cancellation never gets here (see the session): this is the server going away.
      return { code: 'CONNECTION_LOST' };
    case GRPC.INVALID_ARGUMENT:
      return { code: 'INVALID_CONFIG', hint: 'Firestore refused the request as malformed: check the project and database ids.' };
    case GRPC.UNIMPLEMENTED:
      return { code: 'INTERNAL', hint: 'This Firestore server (an emulator?) does not implement a call Plugboard makes.' };
    default:
      return undefined;
  }
}

/** google-gax's words for its own retry deadline, shortened to what a user needs: how long, and the last error. */
function readable(message: string): string {
  const m = /^(?:4 DEADLINE_EXCEEDED: )?Total timeout of API \S+ exceeded (\d+) milliseconds retrying error (?:Error: )?([\s\S]*)$/.exec(message);
  return m ? `no answer within ${m[1]} ms; last error: ${m[2]!.replace(/\s+before any response was received\.?$/, '').trim()}` : message;
}

/** Whatever firebase-admin, gRPC or google-auth threw, as the PlugboardError users see (already redacted). */
export function classifyFirestoreError(err: unknown, context?: string): PlugboardError {
  if (isPlugboardError(err)) return err;
  const e = (err ?? {}) as { code?: unknown; message?: unknown };
  const message = readable(redactor.redact(typeof e.message === 'string' && e.message ? e.message : String(err)));
  const verdict = byMessage(message) ?? (typeof e.code === 'number' ? byStatus(e.code, message) : undefined);
  if (!verdict) return classifyError(err, { context });
  return new PlugboardError(verdict.code, `${context ? `${context}: ` : ''}${message}`, { cause: err, hint: verdict.hint });
}
