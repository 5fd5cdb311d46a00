import * as path from 'node:path';
import type { OverrideWarning } from '../core/codegen/overrides/resolve';

export type Printer = (s: string) => void;

/** Overrides that name nothing: to stderr, with the file position, never failing the command. */
export function printWarnings(warnings: readonly OverrideWarning[], printErr: Printer): void {
  for (const w of warnings) {
    const at = w.location ? `${path.relative(process.cwd(), w.location.file) || w.location.file}:${w.location.line}:${w.location.column}: ` : '';
    printErr(`plugboard: warning: ${at}${w.key}: ${w.message}`);
  }
}
