import * as path from 'node:path';
import { SNAPSHOT_FILE } from '../codegen/generate';
import { headerStatus } from '../codegen/header';
import { readGeneratedHeaders } from '../codegen/headerFiles';
import type { SchemaModel } from '../model';
import { diffModels, type SchemaChange } from './diff';
import type { DiffRequest, DiffResult } from './diffWorker';
import { fingerprintForVersionSliced, generationChunksSliced, hashedAsLegacy, normaliseModel } from './fingerprint';
import { readSnapshot } from './snapshot';

export { modelOf, readSnapshot, snapshotModel } from './snapshot';

export interface DriftReport {
  /** Fingerprint of the live schema (as this version computes it). */
  live: string;
  /**
   * Generated files found and the fingerprint each was made from; `settingsChanged`: the schema is the same
   * but the generation inputs (overrides) differ from the current ones.
   */
  files: { file: string; target: string; version: string; fingerprint: string; stale: boolean; settingsChanged: boolean }[];
  stale: boolean;
  /** Some file is up to date with the schema but was generated with other overrides. */
  settingsChanged: boolean;
  /** What changed since generation, from the snapshot written beside the files. */
  changes: SchemaChange[];
  /** Whether that snapshot could be read: without it, only the fact of a change is known. */
  snapshot: 'read' | 'missing' | 'unreadable';
}

/**
 * What the snapshot beside the files says changed since generation, read and compared on this thread. The
 * changes are listed in name order (the live model normalised), as the worker thread lists them.
 */
export async function snapshotChanges(file: string, live: SchemaModel): Promise<DiffResult> {
  const { status, model: before } = await readSnapshot(file);
  return { snapshot: status, changes: before ? diffModels(before, normaliseModel(live)) : [] };
}

/**
 * `snapshotChanges` on a worker thread (src/core/introspect/diffWorker.ts): parsing a 10 MB snapshot,
 * checking it against the model schema and diffing 5,000 tables is most of a second of work, and on the
 * extension host that is a frozen editor. This thread only writes the live model's text, in slices.
 */
export async function snapshotChangesOffThread(file: string, live: SchemaModel): Promise<DiffResult> {
  const request: DiffRequest = { snapshotFile: file, live: await generationChunksSliced(live) };
  const { Worker } = await import('node:worker_threads');
  const answered = new Promise<DiffResult>((resolve, reject) => {
    // Next to this file in out/, and dist/diffWorker.js in the bundle (an entry point of esbuild.js). The
    // chunks are moved, not copied.
    const worker = new Worker(path.join(__dirname, 'diffWorker.js'), { workerData: request, transferList: request.live.map((c) => c.buffer as ArrayBuffer) });
    worker.once('message', (result: DiffResult) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`The drift worker stopped (exit code ${code}) before it answered.`)));
  });
  // A worker that could not start or died (out of memory, say) costs smoothness, never the answer.
  return answered.catch(() => snapshotChanges(file, live));
}

/**
 * Compares the files generated into `outDir` with a live model. Each file is compared by the hashing of the
 * version that wrote it, so a file from 0.1.x is not stale merely because hashing changed since. `inputs`
 * is the current generation-inputs hash (undefined: no overrides). `offThread`: what changed is worked out
 * on a worker thread (for the extension host; the CLI has nothing else to do meanwhile).
 */
export async function checkDrift(outDir: string, live: SchemaModel, inputs?: string, opts: { offThread?: boolean } = {}): Promise<DriftReport> {
  // Sliced: the extension host runs this, and a 5,000-table schema must not freeze it while it hashes.
  const fps = new Map<string, Promise<string>>();
  const liveFor = (version: string) => {
    const key = hashedAsLegacy(version) ? 'legacy' : 'current';
    if (!fps.has(key)) fps.set(key, fingerprintForVersionSliced(version, live));
    return fps.get(key)!;
  };
  const headers = await readGeneratedHeaders(outDir);
  const files = await Promise.all(headers.map(async ({ file, header }) => {
    const status = headerStatus(header, await liveFor(header.version), inputs);
    return { file, target: header.target, version: header.version, fingerprint: header.fingerprint, stale: status === 'schema-changed', settingsChanged: status === 'settings-changed' };
  }));
  const stale = files.some((f) => f.stale);
  const settingsChanged = files.some((f) => f.settingsChanged);
  let changes: SchemaChange[] = [];
  let snapshot: DriftReport['snapshot'] = 'missing';
  if (stale) {
    const file = path.join(outDir, SNAPSHOT_FILE);
    ({ snapshot, changes } = await (opts.offThread ? snapshotChangesOffThread(file, live) : snapshotChanges(file, live)));
  }
  return { live: await liveFor('current'), files, stale, settingsChanged, changes, snapshot };
}
