/**
 * The zod target's promise, checked by the compiler: for every schema in a generated `<stem>.zod.ts`, the
 * type its JSDoc names (`…: OrdersRow.`) in `<stem>.types.ts` is exactly `z.infer` of the schema. Writes a
 * `<stem>.zod-check.ts` per pair with one `Assert<Eq<…>>` per schema; tsc --strict must accept it.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { GeneratedFile } from '../../src/core/codegen/types';

/** (type, schema) pairs from the generated zod file's JSDoc. */
export function zodPairs(zodText: string): [string, string][] {
  return [...zodText.matchAll(/\/\*\* (?:.*: )?([\w$]+)\. \*\/\nexport const ([\w$]+)(?::[^=]*)? =/g)].map((m) => [m[1]!, m[2]!]);
}

/** Writes the files and a check file per namespace; returns the names of the files to compile. */
export async function writeWithZodChecks(dir: string, files: GeneratedFile[]): Promise<{ names: string[]; checks: number }> {
  const names: string[] = [];
  let checks = 0;
  for (const f of files) {
    await fs.writeFile(path.join(dir, f.path), f.content);
    if (f.path.endsWith('.ts')) names.push(f.path);
  }
  for (const f of files.filter((x) => x.path.endsWith('.zod.ts'))) {
    const stem = f.path.slice(0, -'.zod.ts'.length);
    const pairs = zodPairs(f.content);
    // A namespace with nothing in it has nothing to check (and the imports below would be unused).
    if (!pairs.length) continue;
    checks += pairs.length;
    const lines = [
      "import type { z } from 'zod/v4';",
      `import type * as T from './${stem}.types';`,
      `import * as Z from './${stem}.zod';`,
      'type Eq<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;',
      'type Assert<Holds extends true> = Holds;',
      'export type Checks = [',
      ...pairs.map(([type, schema]) => `  Assert<Eq<z.infer<typeof Z.${schema}>, T.${type}>>,`),
      '];',
    ];
    const name = `${stem}.zod-check.ts`;
    await fs.writeFile(path.join(dir, name), `${lines.join('\n')}\n`);
    names.push(name);
  }
  return { names, checks };
}
