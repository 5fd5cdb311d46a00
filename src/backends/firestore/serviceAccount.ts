import { crypto } from '../../core/crypto';
import { promises as fs } from 'node:fs';
import { PlugboardError } from '../../core/errors';

/**
 * The service-account key (the JSON file the Firebase console or `gcloud iam service-accounts keys create`
 * hands out). It is the profile's secret: checked here field by field, and never echoed, not even in part,
 * whatever is wrong with it.
 */
export interface ServiceAccount {
  projectId: string;
  clientEmail: string;
  privateKey: string;
  privateKeyId?: string;
}

const HINT = 'Use the JSON key file of a service account (Firebase console → Project settings → Service accounts → Generate new private key).';

function invalid(message: string): PlugboardError {
  return new PlugboardError('INVALID_CONFIG', message, { hint: HINT });
}

/** Why `text` is not a usable service-account key, naming the field; undefined when it is one. */
export function serviceAccountProblem(text: string): string | undefined {
  try {
    parseServiceAccount(text);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

export function parseServiceAccount(text: string): ServiceAccount {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // V8's message quotes the text around the error: it may be the private key. Say where, not what.
    throw invalid('The service-account key is not valid JSON.');
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw invalid('The service-account key is not a JSON object.');
  const o = json as Record<string, unknown>;
  const str = (field: string): string | undefined => (typeof o[field] === 'string' && (o[field] as string).trim() ? (o[field] as string) : undefined);
  const type = str('type');
  if (type !== 'service_account') {
    const said = type && /^[a-z_]{1,40}$/.test(type) ? `"${type}"` : type === undefined ? 'missing' : 'not a known type';
    throw invalid(`The service-account key's "type" is ${said}; it must be "service_account".`);
  }
  const projectId = str('project_id');
  if (!projectId) throw invalid('The service-account key has no "project_id".');
  const clientEmail = str('client_email');
  if (!clientEmail) throw invalid('The service-account key has no "client_email".');
  if (!/^[^\s@]+@[^\s@]+$/.test(clientEmail)) throw invalid('The service-account key\'s "client_email" is not an e-mail address.');
  const privateKey = str('private_key');
  if (!privateKey) throw invalid('The service-account key has no "private_key".');
  if (!/^-----BEGIN (RSA )?PRIVATE KEY-----/.test(privateKey.trim())) throw invalid('The service-account key\'s "private_key" is not a PEM private key (-----BEGIN PRIVATE KEY-----).');
  try {
    crypto.createPrivateKey(privateKey);
  } catch {
    throw invalid('The service-account key\'s "private_key" cannot be read as a private key (is it truncated?).');
  }
  const privateKeyId = str('private_key_id');
  return { projectId, clientEmail, privateKey, ...(privateKeyId ? { privateKeyId } : {}) };
}

/**
 * The secret as stored: the key's JSON text (the editor keeps the file's content in SecretStorage), or, from
 * the CLI, the path GOOGLE_APPLICATION_CREDENTIALS holds. A path is read here and never stored.
 */
export async function loadServiceAccount(secret: string): Promise<ServiceAccount> {
  const text = secret.trimStart();
  if (text.startsWith('{')) return parseServiceAccount(text);
  let content: string;
  try {
    content = await fs.readFile(secret.trim(), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw invalid(`Cannot read the service-account key file${code === 'ENOENT' ? ': no such file' : code ? ` (${code})` : ''}.`);
  }
  return parseServiceAccount(content);
}

/**
 * Every spelling of the key's secret parts a message could carry: the PEM as is, as a JSON string (escaped
 * newlines), and each line of its body, so even a fragment quoted by some library is masked.
 */
export function secretSpellings(sa: ServiceAccount): string[] {
  const pem = sa.privateKey;
  const lines = pem.split(/\r?\n|\\n/).filter((l) => l.length >= 16 && !l.startsWith('-----'));
  return [pem, JSON.stringify(pem).slice(1, -1), ...lines, ...(sa.privateKeyId ? [sa.privateKeyId] : [])];
}
