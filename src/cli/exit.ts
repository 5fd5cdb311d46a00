import { isPlugboardError } from '../core/errors';
import { classifyError } from '../core/health/classify';
import { redactor } from '../core/redact';

/** The CLI's exit codes: CI tells drift and advice from a broken connection or a bad flag. */
export const EXIT = { ok: 0, drift: 1, advice: 1, usage: 2, backend: 3, internal: 4 } as const;

/** Prints a failure as one redacted line and picks its exit code. */
export function reportError(raw: unknown, printErr: (s: string) => void): number {
  const err = isPlugboardError(raw) ? raw : classifyError(raw);
  printErr(redactor.redact(`plugboard: ${err.toDisplayString()}`));
  if (err.code === 'INVALID_CONFIG') return EXIT.usage;
  return err.code === 'INTERNAL' ? EXIT.internal : EXIT.backend;
}
