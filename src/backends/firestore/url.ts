import type { ConnectionText } from '../../core/backend';
import { PlugboardError } from '../../core/errors';
import { DATABASE_ID, DEFAULT_DATABASE, emulatorHostProblem, FirestoreOptions, isCollectionId, PROJECT_ID } from './options';

const EXAMPLE = 'Example: firestore://my-project?collections=users,orders&emulator=127.0.0.1:8080';

function invalid(message: string): PlugboardError {
  return new PlugboardError('INVALID_CONFIG', message, { hint: EXAMPLE });
}

const QUERY_KEYS = new Set(['collections', 'emulator', 'database', 'sampleSize', 'depth']);

/**
 * `firestore://<project-id>[?collections=a,b&emulator=host:port&database=id&sampleSize=n&depth=n]`. The URL
 * never carries a credential: the key comes from the secret (GOOGLE_APPLICATION_CREDENTIALS in the CLI). The
 * text after the scheme is read by hand: a legacy project id (`example.com:app`) is not a URL host.
 */
export function parseFirestoreUrl(text: string): ConnectionText<FirestoreOptions> {
  const input = text.trim();
  const m = /^firestore:\/\/([^/?#]*)\/?(?:\?([^#]*))?$/i.exec(input);
  if (!m) throw invalid('A Firestore connection string is firestore://<project-id> with optional ?collections=…&emulator=host:port.');
  const authority = m[1]!;
  if (authority.includes('@')) throw invalid('A firestore:// URL carries no credentials; give the service-account key through GOOGLE_APPLICATION_CREDENTIALS or the connection wizard.');
  let projectId: string;
  try {
    projectId = decodeURIComponent(authority);
  } catch {
    throw invalid('The project id in the firestore:// URL has a malformed % escape.');
  }
  if (!projectId) throw invalid('The firestore:// URL names no project id.');
  if (!PROJECT_ID.test(projectId)) throw invalid(`"${projectId.slice(0, 64)}" is not a Google Cloud project id (6-30 lower-case letters, digits or hyphens, starting with a letter).`);
  const options: FirestoreOptions = { projectId };
  const query = rawQuery(m[2] ?? '');
  const one = (key: string): string | undefined => {
    const all = query.get(key) ?? [];
    if (all.length > 1) throw invalid(`The parameter "${key}" is given ${all.length} times.`);
    return all[0];
  };
  const emulator = decoded(one('emulator'));
  if (emulator !== undefined) {
    const problem = emulatorHostProblem(emulator);
    if (problem) throw invalid(problem);
    options.emulatorHost = emulator;
  }
  const collections = one('collections');
  if (collections !== undefined) {
    // Split before decoding, so a collection id with a comma can be written as %2C.
    const ids = collections.split(',').map((c) => decoded(c)!.trim()).filter(Boolean);
    if (!ids.length) throw invalid('collections= names no collection.');
    const bad = ids.find((id) => !isCollectionId(id));
    if (bad !== undefined) throw invalid(`"${bad.slice(0, 64)}" is not a valid root collection id.`);
    options.collections = [...new Set(ids)];
  }
  const database = decoded(one('database'));
  if (database !== undefined && database !== DEFAULT_DATABASE) {
    if (!DATABASE_ID.test(database)) throw invalid(`"${database.slice(0, 64)}" is not a Firestore database id.`);
    options.databaseId = database;
  }
  const sampleSize = decoded(one('sampleSize'));
  if (sampleSize !== undefined) options.sampleSize = wholeNumber('sampleSize', sampleSize, 1, 10_000);
  const depth = decoded(one('depth'));
  if (depth !== undefined) options.depth = wholeNumber('depth', depth, 0, 10);
  const checked = FirestoreOptions.safeParse(options);
  if (!checked.success) throw invalid(`The firestore:// URL is invalid: ${checked.error.issues[0]?.path.join('.')} ${checked.error.issues[0]?.message}.`);
  return { options: checked.data, secret: {} };
}

/** Query parameters by name, values still encoded. */
function rawQuery(query: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const pair of query.split('&')) {
    if (!pair) continue;
    const at = pair.indexOf('=');
    const key = decoded(at < 0 ? pair : pair.slice(0, at))!;
    if (!QUERY_KEYS.has(key)) throw invalid(`Unknown firestore:// parameter "${key.slice(0, 40)}"; known: ${[...QUERY_KEYS].join(', ')}.`);
    const values = out.get(key) ?? [];
    values.push(at < 0 ? '' : pair.slice(at + 1));
    out.set(key, values);
  }
  return out;
}

function decoded(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    throw invalid('The firestore:// URL has a malformed % escape.');
  }
}

function wholeNumber(key: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw invalid(`${key} must be a whole number from ${min} to ${max}.`);
  return n;
}

/** The profile as a firestore:// URL (for "Copy Connection String"); it never holds the key. */
export function formatFirestoreUrl(o: FirestoreOptions): string {
  const query: string[] = [];
  if (o.collections?.length) query.push(`collections=${o.collections.map(encodeURIComponent).join(',')}`);
  if (o.emulatorHost && o.auth !== 'serviceAccount') query.push(`emulator=${o.emulatorHost}`);
  if (o.databaseId && o.databaseId !== DEFAULT_DATABASE) query.push(`database=${encodeURIComponent(o.databaseId)}`);
  if (o.sampleSize !== undefined) query.push(`sampleSize=${o.sampleSize}`);
  if (o.depth !== undefined) query.push(`depth=${o.depth}`);
  return `firestore://${o.projectId}${query.length ? `?${query.join('&')}` : ''}`;
}
