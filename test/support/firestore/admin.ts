/**
 * firebase-admin connected to an emulator without credentials, one Firebase app per client so several
 * projects (and several emulators) can live in one process. See README.md beside this file for why each
 * setting is there.
 */
import { randomBytes } from 'node:crypto';
import { deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { getFirestore, type Firestore, type Settings } from 'firebase-admin/firestore';

/** The GAPIC config key for Firestore's RPCs, under which per-method timeouts and retries are overridden. */
const SERVICE = 'google.firestore.v1.Firestore';

/**
 * Bounds ListCollectionIds and ListDocuments to `deadlineMs` in all, retries included: against a dead host
 * they otherwise retry for 60 s. Only these two are touched: the other RPCs' retries are not taken from this
 * config (see README), and a short timeout on Listen would cut every onSnapshot stream.
 */
export function listingDeadlineConfig(deadlineMs: number): Record<string, unknown> {
  const failFast = {
    initial_retry_delay_millis: 100,
    retry_delay_multiplier: 1.3,
    max_retry_delay_millis: Math.min(500, deadlineMs),
    initial_rpc_timeout_millis: deadlineMs,
    rpc_timeout_multiplier: 1,
    max_rpc_timeout_millis: deadlineMs,
    total_timeout_millis: deadlineMs,
  };
  const method = { timeout_millis: deadlineMs, retry_params_name: 'plugboard_fail_fast' };
  return { interfaces: { [SERVICE]: { retry_params: { plugboard_fail_fast: failFast }, methods: { ListCollectionIds: method, ListDocuments: method } } } };
}

export interface EmulatorSettingsOptions {
  /** Deadline for listCollections()/listDocuments(), retries included. Default 2000 ms. */
  listingDeadlineMs?: number;
  /** Integers come back as bigint (doubles stay numbers), so an int and an integral double can be told apart. */
  useBigInt?: boolean;
}

/** Firestore settings that reach an emulator at `host` ("127.0.0.1:PORT") with no credentials and no probes. */
export function emulatorSettings(host: string, opts: EmulatorSettingsOptions = {}): Settings {
  return {
    host,
    ssl: false,
    // Without it every new gRPC channel asks google-auth for the "universe domain", which looks for
    // application default credentials and pings the GCE metadata server, even with ssl off.
    universeDomain: 'googleapis.com',
    clientConfig: listingDeadlineConfig(opts.listingDeadlineMs ?? 2_000),
    ...(opts.useBigInt ? { useBigInt: true } : {}),
  };
}

export interface AdminClient {
  app: App;
  db: Firestore;
  projectId: string;
  /** Deletes the app (which terminates its Firestore); fails rather than hangs if calls are still pending. */
  close(): Promise<void>;
}

/** A project id no other test uses, so each test's data is its own. */
export const uniqueProjectId = (label = 'plugboard-test'): string => `${label}-${randomBytes(4).toString('hex')}`;

const CLOSE_DEADLINE_MS = 5_000;

export function connectAdmin(host: string, projectId: string = uniqueProjectId(), opts: EmulatorSettingsOptions = {}): AdminClient {
  const fromEnv = process.env.FIRESTORE_EMULATOR_HOST;
  // The variable beats the `host` setting in @google-cloud/firestore, so a different value would silently
  // send this client elsewhere.
  if (fromEnv && fromEnv !== host) throw new Error(`FIRESTORE_EMULATOR_HOST=${fromEnv} would override host ${host}; unset it to use more than one emulator`);
  const app = initializeApp({ projectId }, `${projectId}-${randomBytes(4).toString('hex')}`);
  const db = getFirestore(app);
  db.settings(emulatorSettings(host, opts));
  let closing: Promise<void> | undefined;
  return {
    app,
    db,
    projectId,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`firebase-admin app ${app.name}: not deleted within ${CLOSE_DEADLINE_MS} ms (an onSnapshot listener still open, or a call still retrying)`)), CLOSE_DEADLINE_MS);
        deleteApp(app).then(
          () => {
            clearTimeout(timer);
            resolve();
          },
          (err: unknown) => {
            clearTimeout(timer);
            reject(err instanceof Error ? err : new Error(String(err)));
          },
        );
      });
      return closing;
    },
  };
}
