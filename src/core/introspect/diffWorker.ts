/**
 * The drift check's worker thread (started by `snapshotChangesOffThread` in drift.ts): reads the snapshot
 * beside the generated files and the live model's text, checks both against the model schema and lists
 * what changed. Posts one DiffResult and ends. Built as dist/diffWorker.js (an entry point of esbuild.js).
 */
import { promises as fs } from 'node:fs';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { diffModels, type SchemaChange } from './diff';
import { modelOf, snapshotModel } from './snapshot';

export interface DiffRequest {
  snapshotFile: string;
  /** The live model as the UTF-8 text of its generation view, in chunks (generationChunksSliced). */
  live: Uint8Array[];
}

export interface DiffResult {
  snapshot: 'read' | 'missing' | 'unreadable';
  changes: SchemaChange[];
}

async function answer(request: DiffRequest): Promise<DiffResult> {
  const text = await fs.readFile(request.snapshotFile, 'utf8').catch(() => undefined);
  const before = text === undefined ? undefined : snapshotModel(text);
  if (!before) return { snapshot: text === undefined ? 'missing' : 'unreadable', changes: [] };
  const live = modelOf(JSON.parse(Buffer.concat(request.live).toString('utf8')));
  // The live text is written by this version from a valid model: not reading back is a bug, not bad input.
  if (!live) throw new Error('The live schema did not read back from its own text.');
  return { snapshot: 'read', changes: diffModels(before, live) };
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  answer(workerData as DiffRequest).then(
    (result) => port.postMessage(result),
    // Thrown outside the promise: the Worker's 'error' event hands it to the caller.
    (err: unknown) => setImmediate(() => {
      throw err;
    }),
  );
}
