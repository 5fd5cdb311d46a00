import { randomBytes } from 'node:crypto';
import { cert, deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { getFirestore, type Firestore, type Settings } from 'firebase-admin/firestore';
import { DEFAULT_DATABASE, type FirestoreOptions } from './options';
import { EMULATOR_ENV, type FirestoreTarget } from './target';

/** The GAPIC config key under which per-method timeouts and retries are set. */
const SERVICE = 'google.firestore.v1.Firestore';

/**
 * Bounds ListCollectionIds and ListDocuments to `deadlineMs` in all, retries included: against an unreachable
 * server they otherwise retry for 60 s or more. Only UNAVAILABLE is retried (quota and permission answers are
 * reported at once). firebase-admin takes no such setting for its other calls (streamed reads and commits
 * keep their own retries), so the session also puts its own deadline around every call.
 */
export function listingClientConfig(deadlineMs: number): Record<string, unknown> {
  const params = {
    initial_retry_delay_millis: 100,
    retry_delay_multiplier: 1.3,
    max_retry_delay_millis: Math.min(500, deadlineMs),
    initial_rpc_timeout_millis: deadlineMs,
    rpc_timeout_multiplier: 1,
    max_rpc_timeout_millis: deadlineMs,
    total_timeout_millis: deadlineMs,
  };
  const method = { timeout_millis: deadlineMs, retry_codes_name: 'plugboard_listing', retry_params_name: 'plugboard_listing' };
  return {
    interfaces: {
      [SERVICE]: {
        retry_codes: { plugboard_listing: ['UNAVAILABLE'] },
        retry_params: { plugboard_listing: params },
        methods: { ListCollectionIds: method, ListDocuments: method },
      },
    },
  };
}

export interface FirestoreClient {
  app: App;
  db: Firestore;
}

/**
 * A Firebase app of its own (so profiles never share one) and its Firestore, set up before first use.
 * `useBigInt` keeps integers and doubles apart for introspection; `universeDomain` spares every new gRPC
 * channel a lookup of application default credentials (and a probe of the GCE metadata server).
 */
export function openFirestore(options: FirestoreOptions, target: FirestoreTarget, connectTimeoutMs: number): FirestoreClient {
  const name = `plugboard-${options.projectId}-${randomBytes(6).toString('hex')}`;
  const app =
    target.kind === 'cloud'
      ? initializeApp({ projectId: options.projectId, credential: cert({ projectId: target.account.projectId, clientEmail: target.account.clientEmail, privateKey: target.account.privateKey }) }, name)
      : initializeApp({ projectId: options.projectId }, name);
  const settings: Settings = {
    universeDomain: 'googleapis.com',
    useBigInt: true,
    clientConfig: listingClientConfig(connectTimeoutMs),
    ...(target.kind === 'emulator' ? { host: target.host, ssl: false } : {}),
  };
  try {
    const db = withoutEmulatorVariable(target, () => {
      const firestore = getFirestore(app, options.databaseId ?? DEFAULT_DATABASE);
      firestore.settings(settings);
      return firestore;
    });
    return { app, db };
  } catch (err) {
    void deleteApp(app).catch(() => undefined);
    throw err;
  }
}

/**
 * @google-cloud/firestore reads FIRESTORE_EMULATOR_HOST whenever it applies settings, and the variable beats
 * any `host` it is given. A profile that names its target (Cloud Firestore, or another emulator) must not be
 * redirected by it, so the variable is hidden while the client is built. This is synchronous: no other code
 * runs in between, and the variable is restored before anything else can read it.
 */
function withoutEmulatorVariable<T>(target: FirestoreTarget, build: () => T): T {
  const value = process.env[EMULATOR_ENV];
  const keep = value === undefined || (target.kind === 'emulator' && target.host === value.trim());
  if (keep) return build();
  delete process.env[EMULATOR_ENV];
  try {
    return build();
  } finally {
    process.env[EMULATOR_ENV] = value;
  }
}
