/**
 * The canary password: a unique value per run, used as the password of the scram cluster's superuser and in
 * URLs. It must never show up in a file Plugboard writes, the CLI's output, an error message or the test
 * output. It contains characters that need escaping in a URL so both spellings are checked.
 */
import { randomBytes } from 'node:crypto';
import * as assert from 'node:assert/strict';

export const CANARY = `Pb:c@nary/${randomBytes(12).toString('hex')}`;

/** The spellings the canary can take in text: as is, URL-encoded, and its random core alone. */
export function canaryForms(): string[] {
  const core = CANARY.slice(CANARY.lastIndexOf('/') + 1);
  return [CANARY, encodeURIComponent(CANARY), core];
}

export function assertNoCanary(text: string, where: string): void {
  for (const form of canaryForms()) {
    // Never print the text itself: the failure message must not leak the canary either.
    assert.ok(!text.includes(form), `the canary password appeared in ${where}`);
  }
}

/** Everything the test process writes to stdout/stderr, for the end-of-run check. */
const captured: string[] = [];
let tapped = false;

export function tapProcessOutput(): void {
  if (tapped) return;
  tapped = true;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    (stream as { write: unknown }).write = (chunk: unknown, ...rest: unknown[]) => {
      captured.push(typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
      return write(chunk, ...rest);
    };
  }
}

export function capturedOutput(): string {
  return captured.join('');
}
