import { lazySchema } from '../../core/lazy';
import { z } from '../../core/zod';

/**
 * A Firestore profile's non-secret options. The service-account key is a secret (SecretStorage, or the file
 * GOOGLE_APPLICATION_CREDENTIALS names in the CLI); nothing here is.
 */

/** Google project ids: 6–30 lower-case letters, digits and hyphens, from a letter; legacy ones carry `domain:`. */
export const PROJECT_ID = /^(?:[a-z0-9][a-z0-9.-]{0,61}[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
/** `(default)` or a named database: 4–63 lower-case letters, digits and hyphens, from a letter. */
export const DATABASE_ID = /^(?:\(default\)|[a-z][a-z0-9-]{2,61}[a-z0-9])$/;
/** A collection id as Firestore allows it: no `/`, not `.`/`..`, not `__…__`, at most 1,500 bytes. */
export function isCollectionId(id: string): boolean {
  return id.length > 0 && !id.includes('/') && id !== '.' && id !== '..' && !/^__.*__$/.test(id) && Buffer.byteLength(id, 'utf8') <= 1500;
}
/** `host:port` or `[ipv6]:port`, what FIRESTORE_EMULATOR_HOST holds. */
export const EMULATOR_HOST = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?):(\d{1,5})$/;

export function emulatorHostProblem(value: string): string | undefined {
  const m = EMULATOR_HOST.exec(value);
  if (!m) return 'The emulator address is host:port, e.g. 127.0.0.1:8080.';
  const port = Number(m[1]);
  return port >= 1 && port <= 65535 ? undefined : 'The emulator port is a number from 1 to 65535.';
}

export const DEFAULT_DATABASE = '(default)';
export const DEFAULT_SAMPLE_SIZE = 500;
export const DEFAULT_DEPTH = 2;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const AUTH_MODES = ['emulator', 'serviceAccount'] as const;

export const FirestoreOptions = lazySchema(() => z
  .object({
    projectId: z.string().regex(PROJECT_ID, 'must be a Google Cloud project id: 6-30 lower-case letters, digits or hyphens, starting with a letter'),
    databaseId: z.string().regex(DATABASE_ID, 'must be "(default)" or a database id of lower-case letters, digits and hyphens').optional(),
    /**
     * How to connect: `emulator` (no credentials) or `serviceAccount` (the key in the secret). Absent (a
     * `firestore://` URL in the CLI): the emulator when one is named here or in FIRESTORE_EMULATOR_HOST, as
     * firebase-admin does, else the service account.
     */
    auth: z.enum(AUTH_MODES).optional(),
    emulatorHost: z.string().refine((v) => emulatorHostProblem(v) === undefined, 'must be host:port, e.g. 127.0.0.1:8080').optional(),
    /** Root collections to read, for where listing them is not possible or not wanted. */
    collections: z.array(z.string().refine(isCollectionId, 'is not a valid collection id')).min(1).optional(),
    /** Documents read per collection (across all parents, for a subcollection). */
    sampleSize: z.number().int().min(1).max(10_000).optional(),
    /** Subcollection levels explored below the root collections; 0 reads root collections only. */
    depth: z.number().int().min(0).max(10).optional(),
    /** Deadline of the first call (which tells whether the server is there) and of each listing call. */
    connectTimeoutMs: z.number().int().min(100).max(600_000).optional(),
    /** Deadline of every other call; defaults to the host's network-step deadline. */
    timeoutMs: z.number().int().min(100).max(3_600_000).optional(),
  })
  .strict());
export type FirestoreOptions = z.infer<typeof FirestoreOptions>;

export function describeFirestore(o: FirestoreOptions): string {
  const database = o.databaseId && o.databaseId !== DEFAULT_DATABASE ? `/${o.databaseId}` : '';
  const where = o.auth === 'emulator' || (o.emulatorHost && o.auth !== 'serviceAccount') ? ` (emulator${o.emulatorHost ? ` ${o.emulatorHost}` : ''})` : '';
  return `${o.projectId}${database}${where}`;
}
