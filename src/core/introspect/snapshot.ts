import { promises as fs } from 'node:fs';
import { SchemaModel } from '../model';
import { isV1Model, upgradeV1Model } from '../model/legacy';

/** The model inside a snapshot file, whichever version wrote it; undefined when it cannot be read. */
export function snapshotModel(text: string): SchemaModel | undefined {
  let raw: unknown;
  try {
    raw = (JSON.parse(text) as { model?: unknown } | null)?.model;
  } catch {
    return undefined;
  }
  return modelOf(raw);
}

/** A model from its JSON value (a v1 model upgraded); undefined when it is not one. */
export function modelOf(raw: unknown): SchemaModel | undefined {
  const parsed = SchemaModel.safeParse(isV1Model(raw) ? upgradeV1Model(raw) : raw);
  return parsed.success ? parsed.data : undefined;
}

/** A snapshot file read: its model, or why there is none. */
export async function readSnapshot(file: string): Promise<{ status: 'read' | 'missing' | 'unreadable'; model?: SchemaModel }> {
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return { status: 'missing' };
  const model = snapshotModel(text);
  return model ? { status: 'read', model } : { status: 'unreadable' };
}
