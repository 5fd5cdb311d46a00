import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SNAPSHOT_FILE } from '../codegen/generate';
import { readGeneratedHeaders } from '../codegen/writer';
import { SchemaModel } from '../model';
import { diffModels, type SchemaChange } from './diff';
import { fingerprint } from './fingerprint';

export interface DriftReport {
  /** Fingerprint of the live schema. */
  live: string;
  /** Generated files found and the fingerprint each was made from. */
  files: { file: string; target: string; fingerprint: string; stale: boolean }[];
  stale: boolean;
  /** What changed since generation, from the snapshot written beside the files (empty if none was). */
  changes: SchemaChange[];
}

/** The model inside a snapshot file; a damaged snapshot only costs the details, never the check itself. */
function snapshotModel(text: string): unknown {
  try {
    return (JSON.parse(text) as { model?: unknown } | null)?.model;
  } catch {
    return undefined;
  }
}

/** Compares the files generated into `outDir` with a live model. */
export async function checkDrift(outDir: string, live: SchemaModel): Promise<DriftReport> {
  const fp = fingerprint(live);
  const headers = await readGeneratedHeaders(outDir);
  const files = headers.map(({ file, header }) => ({ file, target: header.target, fingerprint: header.fingerprint, stale: header.fingerprint !== fp }));
  const stale = files.some((f) => f.stale);
  let changes: SchemaChange[] = [];
  if (stale) {
    const text = await fs.readFile(path.join(outDir, SNAPSHOT_FILE), 'utf8').catch(() => undefined);
    const parsed = text ? SchemaModel.safeParse(snapshotModel(text)) : undefined;
    if (parsed?.success) changes = diffModels(parsed.data, live);
  }
  return { live: fp, files, stale, changes };
}
