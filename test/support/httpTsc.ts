/**
 * Compiles generated code the way a strict user project would: `tsc --strict` plus the stricter checks many
 * projects add (unused names, unchecked index access, exact optional properties). Emits CommonJS next to the
 * sources (in `js/`) so tests can require and run what was generated.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { buildEndpointModel, type EndpointInfo } from '../../src/backends/http/endpoints';
import { codegenFor } from './host';
import { generate } from '../../src/core/codegen/generate';
import { writeGeneratedFiles } from '../../src/core/codegen/writer';
import type { ProviderDefinition } from '../../src/core/model';
import { REPO } from './httpSecrets';

export const STRICT_FLAGS = [
  '--strict',
  '--noUnusedLocals',
  '--noUnusedParameters',
  '--noImplicitReturns',
  '--noImplicitOverride',
  '--noUncheckedIndexedAccess',
  '--exactOptionalPropertyTypes',
  '--noFallthroughCasesInSwitch',
];

export function compileStrict(dir: string, files: string[], opts: { emit?: boolean } = {}): Promise<{ code: number; output: string }> {
  const args = [
    path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'),
    ...STRICT_FLAGS,
    '--target', 'ES2022',
    '--lib', 'ES2022',
    '--module', 'commonjs',
    '--moduleResolution', 'node',
    '--types', 'node',
    '--typeRoots', path.join(REPO, 'node_modules', '@types'),
    '--skipLibCheck',
    ...(opts.emit === false ? ['--noEmit'] : ['--outDir', path.join(dir, 'js')]),
    ...files.map((f) => path.join(dir, f)),
  ];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: dir, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

/** Generates the rest-client for a definition and endpoints into `dir`; returns the file name written. */
export async function generateRestClient(definition: ProviderDefinition, endpoints: EndpointInfo[], dir: string): Promise<string> {
  const model = buildEndpointModel(definition, endpoints, {});
  const result = await generate(model, codegenFor('http', { profileName: definition.id, targets: ['rest-client'] }));
  const files = result.files.filter((f) => f.target === 'rest-client');
  await writeGeneratedFiles(dir, files);
  return files[0]!.path;
}
