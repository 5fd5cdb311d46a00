/**
 * dist/vendor-zod.js holds only the zod exports src/core/zodVendor.ts lists (so the bundle leaves zod's
 * locales and the rest out). Tests run the tsc output, which loads all of zod, so a name used in src/ and
 * missing from the list would only fail in the bundle: this test reads src/ for `z.<name>` and checks.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z as full } from 'zod';
import { z as vendor } from '../../src/core/zodVendor';
import { REPO } from '../support/workdir';

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sources(p)));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

describe('the bundled part of zod', () => {
  it('has every zod export src/ uses as a value', async () => {
    const used = new Set<string>();
    for (const file of await sources(path.join(REPO, 'src'))) {
      // The webviews bundle zod/mini on their own.
      if (file.includes(`${path.sep}webview${path.sep}`)) continue;
      for (const m of (await fs.readFile(file, 'utf8')).matchAll(/\bz\.([A-Za-z_$][\w$]*)\b(?!\s*<)/g)) used.add(m[1]!);
    }
    const typeOnly = new Set(['infer', 'input', 'output', 'core', 'RefinementCtx']);
    const missing = [...used].filter((name) => !typeOnly.has(name) && name in full && !(name in vendor));
    assert.deepEqual(missing, [], `add these to src/core/zodVendor.ts: ${missing.join(', ')}`);
    assert.ok(used.has('object') && used.has('string'), 'the scan found the schemas');
  });

  it('hands out the same functions as the whole package', () => {
    for (const [name, value] of Object.entries(vendor)) assert.equal(value, (full as Record<string, unknown>)[name], name);
  });
});
