/**
 * Service-account keys for tests: a real RSA key made per run (so every library that parses it accepts it),
 * in the JSON shape Google hands out. The key's body is itself the canary: none of its lines may show up in an
 * error, a log line, a file or any output.
 */
import * as assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';

export interface TestServiceAccount {
  /** The key file's content, as the editor stores it in SecretStorage. */
  json: string;
  privateKey: string;
  fields: Record<string, string>;
}

export function makeServiceAccount(projectId: string): TestServiceAccount {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const fields = {
    type: 'service_account',
    project_id: projectId,
    private_key_id: randomBytes(20).toString('hex'),
    private_key: privateKey,
    client_email: `plugboard-test@${projectId}.iam.gserviceaccount.com`,
    client_id: '100000000000000000000',
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: 'https://oauth2.googleapis.com/token',
  };
  return { json: JSON.stringify(fields, null, 2), privateKey, fields };
}

/** The same key file with fields changed (undefined removes one). */
export function withFields(account: TestServiceAccount, patch: Record<string, string | number | undefined>): string {
  const fields: Record<string, unknown> = { ...account.fields, ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete fields[k];
  return JSON.stringify(fields, null, 2);
}

/** What a leak of the private key would show: any of its base64 lines (each is random but for a prefix of the first). */
function keyForms(privateKey: string): string[] {
  return privateKey.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----'));
}

export function assertNoPrivateKey(text: string, privateKey: string, where: string): void {
  // Never print the text: the failure message must not leak the key either.
  for (const form of keyForms(privateKey)) assert.ok(!text.includes(form), `a piece of the private key appeared in ${where}`);
}
