/**
 * Canary credentials for the REST provider tests: fresh per run, each recognisable, none of which may show up in
 * a file Plugboard writes, an export, a log line or an error message. `FIXTURE_CANARY` is the fixed value
 * planted in the malformed definitions under test/fixtures/providers/bad/.
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

import { isPlugboardError, type PlugboardError } from '../../src/core/errors';

const tag = () => randomBytes(9).toString('hex');

export const SECRETS = {
  apiKey: `pbk_canary_${tag()}`,
  token: `pbt_canary_${tag()}`,
  username: 'canary-user',
  password: `pbp:canary/${tag()}`,
  clientSecret: `pbs_canary_${tag()}`,
  webhookSecret: `whsec_canary_${tag()}`,
};

export const FIXTURE_CANARY = 'CANARY-fixture-3f9a1c7e5b';

export const REPO = path.resolve(__dirname, '..', '..', '..');

/** Every secret value, plus the fixture canary and the basic-auth header value built from the test's credentials. */
export function canaryValues(extra: string[] = []): string[] {
  const basic = Buffer.from(`${SECRETS.username}:${SECRETS.password}`).toString('base64');
  return [SECRETS.apiKey, SECRETS.token, SECRETS.password, encodeURIComponent(SECRETS.password), SECRETS.clientSecret, SECRETS.webhookSecret, FIXTURE_CANARY, basic, ...extra];
}

export function assertNoSecrets(text: string, where: string, extra: string[] = []): void {
  for (const value of canaryValues(extra)) {
    // The failure message names the place, never the text (which would print the secret).
    assert.ok(!text.includes(value), `a canary secret appeared in ${where}`);
  }
}

/** All text of every file under `dir` (recursively), for "nothing secret was written" checks. */
export async function readTree(dir: string): Promise<{ file: string; text: string }[]> {
  const out: { file: string; text: string }[] = [];
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.name === 'node_modules') continue;
    if (e.isDirectory()) out.push(...(await readTree(full)));
    else if (e.isFile()) out.push({ file: full, text: await fs.readFile(full, 'utf8') });
  }
  return out;
}

export async function assertTreeClean(dir: string, extra: string[] = []): Promise<number> {
  const files = await readTree(dir);
  for (const f of files) assertNoSecrets(f.text, f.file, extra);
  return files.length;
}

/** Error text as a user or a log could see it: message, hint and detail. */
export function errorText(err: unknown): string {
  const e = err as { message?: string; hint?: string; detail?: string };
  return [e.message, e.hint, e.detail].filter(Boolean).join('\n');
}

/**
 * Awaits a promise that must reject with a PlugboardError and returns it; its text goes to `errors`, which the
 * suites scan for canaries at the end.
 */
export async function expectFailure(errors: string[], p: Promise<unknown>): Promise<PlugboardError> {
  try {
    await p;
  } catch (err) {
    assert.ok(isPlugboardError(err), String(err));
    errors.push(errorText(err));
    return err;
  }
  assert.fail('expected a failure');
}
