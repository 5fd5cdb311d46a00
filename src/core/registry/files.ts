import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { crypto } from '../crypto';
import { PlugboardError } from '../errors';
import { parseJsonText, parseProviderDefinition, type ProviderDefinition } from '../model';

/** One `*.json` file of a providers folder, parsed or with the error that names its file and field. */
export type FolderItem =
  | { file: string; ok: true; definition: ProviderDefinition; raw: Record<string, unknown> }
  | { file: string; ok: false; error: PlugboardError };

/** Reads every `*.json` in `dir` (missing folder = none). Never throws for one bad file: it is reported. */
export async function readProviderFolder(dir: string): Promise<FolderItem[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new PlugboardError('INVALID_CONFIG', `Cannot read the providers folder ${dir}: ${(err as Error).message}`);
  }
  const files = names.filter((n) => n.endsWith('.json')).sort();
  const items = await Promise.all(files.map((n) => readProviderFile(path.join(dir, n))));
  return items.filter((i): i is FolderItem => i !== undefined);
}

/**
 * An OpenAPI (or Swagger) document kept next to the definition that points at it: a version string under
 * `openapi`/`swagger` plus an `info` object. Such files are not definitions and are left alone.
 */
function isApiDocument(raw: unknown): boolean {
  if (!raw || typeof raw !== 'object') return false;
  const r = raw as Record<string, unknown>;
  const version = r.openapi ?? r.swagger;
  return typeof version === 'string' && /^\d+\.\d+/.test(version) && !!r.info && typeof r.info === 'object';
}

/** `undefined` for an API document; otherwise the parsed definition or the error naming file and field. */
export async function readProviderFile(file: string): Promise<FolderItem | undefined> {
  try {
    const text = await fs.readFile(file, 'utf8');
    const raw = parseJsonText(text, file);
    if (isApiDocument(raw)) return undefined;
    return { file, ok: true, definition: parseProviderDefinition(raw, file), raw: raw as Record<string, unknown> };
  } catch (err) {
    const error = err instanceof PlugboardError ? err : new PlugboardError('INVALID_CONFIG', `Cannot read ${file}: ${(err as Error).message}`);
    return { file, ok: false, error };
  }
}

/** Temp file + rename, so a reader never sees half a definition. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${crypto.randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`, 'utf8');
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw new PlugboardError('FILE_CONFLICT', `Cannot write ${file}: ${(err as Error).message}`);
  }
}

/** A file name for a new definition that does not collide with a file holding another provider. */
export async function freeFileName(dir: string, id: string): Promise<string> {
  for (let n = 1; ; n++) {
    const file = path.join(dir, n === 1 ? `${id}.json` : `${id}-${n}.json`);
    try {
      await fs.access(file);
    } catch {
      return file;
    }
  }
}
