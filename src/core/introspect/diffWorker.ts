/**
 * The drift check's worker thread (started by `snapshotChangesOffThread` in drift.ts): reads the snapshot
 * beside the generated files and the live model's text, checks both against the model schema and lists
 * what changed. Posts one DiffResult and ends. Built as dist/diffWorker.js (an entry point of esbuild.js).
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { diffModels, type SchemaChange } from './diff';
import { modelOf, readSnapshot } from './snapshot';

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
  const { status, model: before } = await readSnapshot(request.snapshotFile);
  if (!before) return { snapshot: status, changes: [] };
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
