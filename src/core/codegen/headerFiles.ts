import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseHeader, type GeneratedHeader } from './header';

// Reading headers is what the editor does at startup (the CodeLens) and on every drift check; writing
// (writer.ts) is not, so the two live apart.

/** The header at the top of a file, reading only its first few kilobytes (snapshots can be megabytes). */
export async function readHeader(file: string): Promise<GeneratedHeader | undefined> {
  const handle = await fs.open(file, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(8192), 0, 8192, 0);
    return parseHeader(buffer.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await handle.close();
  }
}

/** Reads the headers of the Plugboard files in a folder (non-recursive), for the drift check. */
export async function readGeneratedHeaders(outDir: string): Promise<{ file: string; header: GeneratedHeader }[]> {
  const entries = await fs.readdir(outDir).catch(() => [] as string[]);
  const out: { file: string; header: GeneratedHeader }[] = [];
  for (const name of entries.sort()) {
    if (!/\.(ts|js|json|md)$/.test(name)) continue;
    const file = path.join(outDir, name);
    const header = await readHeader(file);
    if (header) out.push({ file, header });
  }
  return out;
}
