import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SNAPSHOT_FILE } from '../codegen/generate';
import { headerStatus } from '../codegen/header';
import { readGeneratedHeaders } from '../codegen/writer';
import { SchemaModel } from '../model';
import { isV1Model, upgradeV1Model } from '../model/legacy';
import { diffModels, type SchemaChange } from './diff';
import { fingerprintForVersionSliced } from './fingerprint';

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

/** The model inside a snapshot file, whichever version wrote it; undefined when it cannot be read. */
export function snapshotModel(text: string): SchemaModel | undefined {
  let raw: unknown;
  try {
    raw = (JSON.parse(text) as { model?: unknown } | null)?.model;
  } catch {
    return undefined;
  }
  const parsed = SchemaModel.safeParse(isV1Model(raw) ? upgradeV1Model(raw) : raw);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Compares the files generated into `outDir` with a live model. Each file is compared by the hashing of the
 * version that wrote it, so a file from 0.1.x is not stale merely because hashing changed since. `inputs`
 * is the current generation-inputs hash (undefined: no overrides).
 */
export async function checkDrift(outDir: string, live: SchemaModel, inputs?: string): Promise<DriftReport> {
  // Sliced: the extension host runs this, and a 5,000-table schema must not freeze it while it hashes.
  const fps = new Map<string, Promise<string>>();
  const liveFor = (version: string) => {
    const key = /^0\.1\./.test(version) ? 'legacy' : 'current';
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
    const text = await fs.readFile(path.join(outDir, SNAPSHOT_FILE), 'utf8').catch(() => undefined);
    const before = text === undefined ? undefined : snapshotModel(text);
    snapshot = text === undefined ? 'missing' : before ? 'read' : 'unreadable';
    if (before) changes = diffModels(before, live);
  }
  return { live: await liveFor('current'), files, stale, settingsChanged, changes, snapshot };
}
