import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { PlugboardError } from '../errors';
import { compareVersions, parseJsonText, parseProviderDefinition, type ProviderDefinition } from '../model';
import { canonicalJson } from '../introspect/fingerprint';
import { describeProvider } from './describe';
import { freeFileName, readProviderFile, readProviderFolder, writeJsonAtomic } from './files';
import { builtinTemplates } from './templates';

/**
 * Every provider Plugboard knows: built-in templates, the workspace's `.plugboard/providers/*.json` (shared with
 * the team) and the user's own folder. A workspace definition wins over a user one with the same id. Files are
 * only read and written here, asynchronously; a malformed file is reported (file + field) and never rewritten.
 */
export type ProviderSourceKind = 'builtin' | 'workspace' | 'user';

export interface ProviderEntry {
  definition: ProviderDefinition;
  source: ProviderSourceKind;
  /** The JSON as written (what export returns), before defaults were applied. */
  raw: Record<string, unknown>;
  file?: string;
}

export interface LoadProblem {
  file: string;
  error: PlugboardError;
}

export interface ProviderFilter {
  category?: string;
  /** Words that must all occur in the id, name, category or description (case-insensitive). */
  text?: string;
  authType?: ProviderDefinition['authType'];
}

export type ImportStatus = 'new' | 'upgrade' | 'same' | 'changed' | 'downgrade';

export interface ImportPreview {
  definition: ProviderDefinition;
  raw: Record<string, unknown>;
  description: string[];
  status: ImportStatus;
  existing?: ProviderEntry;
}

export const WORKSPACE_PROVIDERS_DIR = path.join('.plugboard', 'providers');

export class ProviderRegistry {
  private entries = new Map<string, ProviderEntry>();
  private loadProblems: LoadProblem[] = [];
  private readonly dirs: Partial<Record<Exclude<ProviderSourceKind, 'builtin'>, string>>;

  /** `workspaceRoot`: the folder holding `.plugboard/`; `userDir`: a folder of the user's own definitions. */
  constructor(opts: { workspaceRoot?: string; userDir?: string } = {}) {
    this.dirs = {
      workspace: opts.workspaceRoot ? path.join(opts.workspaceRoot, WORKSPACE_PROVIDERS_DIR) : undefined,
      user: opts.userDir,
    };
    this.entries = builtinEntries();
  }

  folder(source: 'workspace' | 'user'): string | undefined {
    return this.dirs[source];
  }

  /** Reads both folders again. Problems are kept for `problems()`, not thrown: one bad file hides nothing else. */
  async load(): Promise<void> {
    const entries = builtinEntries();
    const problems: LoadProblem[] = [];
    // User first, then workspace, so the workspace (what the team shares) wins on the same id.
    for (const source of ['user', 'workspace'] as const) {
      const dir = this.dirs[source];
      if (!dir) continue;
      const seen = new Set<string>();
      for (const item of await readProviderFolder(dir)) {
        if (!item.ok) {
          problems.push({ file: item.file, error: item.error });
          continue;
        }
        const id = item.definition.id;
        const clash = entries.get(id)?.source === 'builtin' ? 'is a built-in template id' : seen.has(id) ? 'is defined by another file in this folder' : undefined;
        if (clash) {
          problems.push({ file: item.file, error: new PlugboardError('INVALID_CONFIG', `${item.file}: id: "${id}" ${clash}.`, { hint: 'Give the definition its own id.' }) });
          continue;
        }
        seen.add(id);
        entries.set(id, { definition: item.definition, raw: item.raw, source, file: item.file });
      }
    }
    this.entries = entries;
    this.loadProblems = problems;
  }

  problems(): readonly LoadProblem[] {
    return this.loadProblems;
  }

  get(id: string): ProviderEntry | undefined {
    return this.entries.get(id);
  }

  require(id: string): ProviderEntry {
    const entry = this.entries.get(id);
    if (!entry) throw new PlugboardError('NOT_FOUND', `No provider with id "${id}".`, { hint: 'Import its definition (Plugboard: Import Provider…) or check the id in the connection.' });
    return entry;
  }

  list(filter: ProviderFilter = {}): ProviderEntry[] {
    const words = (filter.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    return [...this.entries.values()]
      .filter((e) => !filter.category || e.definition.category === filter.category)
      .filter((e) => !filter.authType || e.definition.authType === filter.authType)
      .filter((e) => {
        const d = e.definition;
        const hay = `${d.id} ${d.name} ${d.category} ${d.description ?? ''}`.toLowerCase();
        return words.every((w) => hay.includes(w));
      })
      .sort((a, b) => a.definition.name.localeCompare(b.definition.name));
  }

  categories(): string[] {
    return [...new Set([...this.entries.values()].map((e) => e.definition.category))].sort();
  }

  /** Validates and describes a definition without storing anything: what Import shows for confirmation. */
  preview(text: string, location = 'import'): ImportPreview {
    const raw = parseJsonText(text, location);
    const definition = parseProviderDefinition(raw, location);
    const existing = this.entries.get(definition.id);
    if (existing?.source === 'builtin') {
      throw new PlugboardError('INVALID_CONFIG', `${location}: id: "${definition.id}" is a built-in template id.`, { hint: 'Give the definition its own id.' });
    }
    let status: ImportStatus = 'new';
    if (existing) {
      const order = compareVersions(definition, existing.definition);
      status = order > 0 ? 'upgrade' : order < 0 ? 'downgrade' : canonicalJson(existing.raw) === canonicalJson(raw) ? 'same' : 'changed';
    }
    return { definition, raw: raw as Record<string, unknown>, description: describeProvider(definition), status, existing };
  }

  /**
   * Stores a definition in the workspace or user folder. An older version over a newer one, or different content
   * under the same version, is refused unless `force` (the user confirmed). Returns what was stored.
   */
  async import(text: string, opts: { target: 'workspace' | 'user'; force?: boolean; location?: string }): Promise<ImportPreview & { file: string }> {
    const preview = this.preview(text, opts.location);
    const { definition, existing, status } = preview;
    if ((status === 'downgrade' || status === 'changed') && !opts.force) {
      const what = status === 'downgrade' ? `is older than the installed ${existing!.definition.version}` : 'has the same version as the installed one but different content';
      throw new PlugboardError('INVALID_CONFIG', `${definition.id} ${definition.version} ${what} (${existing!.file ?? existing!.source}).`, {
        hint: 'Confirm the import to replace it anyway, or raise the version of the new definition.',
      });
    }
    const dir = this.dirs[opts.target];
    if (!dir) throw new PlugboardError('INVALID_CONFIG', `No ${opts.target} providers folder is available.`, { hint: opts.target === 'workspace' ? 'Open a folder first.' : '' });
    const file = await this.fileFor(dir, definition.id, existing);
    if (status !== 'same' || existing?.file !== file) await writeJsonAtomic(file, preview.raw);
    await this.load();
    return { ...preview, file };
  }

  /** The shareable JSON of a provider: exactly its definition (which by construction holds no secret). */
  export(id: string): string {
    const entry = this.require(id);
    // Re-validated on the way out so an export can never carry what an import would refuse.
    parseProviderDefinition(entry.raw, `export of ${id}`);
    return `${JSON.stringify(entry.raw, null, 2)}\n`;
  }

  async exportToFile(id: string, file: string): Promise<void> {
    const text = this.export(id);
    await writeJsonAtomic(file, JSON.parse(text));
  }

  /** Deletes a user or workspace definition's file; built-ins cannot be removed. */
  async remove(id: string): Promise<void> {
    const entry = this.require(id);
    if (!entry.file) throw new PlugboardError('INVALID_CONFIG', `${id} is built in and cannot be removed.`);
    await fs.rm(entry.file, { force: true });
    await this.load();
  }

  /** The same file when replacing a definition of this folder; a malformed `<id>.json` blocks the write. */
  private async fileFor(dir: string, id: string, existing: ProviderEntry | undefined): Promise<string> {
    if (existing?.file && path.dirname(existing.file) === dir) return existing.file;
    const natural = path.join(dir, `${id}.json`);
    const exists = await fs.access(natural).then(() => true, () => false);
    if (!exists) return natural;
    const current = await readProviderFile(natural);
    if (current && !current.ok) throw new PlugboardError('FILE_CONFLICT', `${natural} is malformed; it was not overwritten.`, { hint: 'Fix or delete that file first.' });
    // The file holds another provider or an API document: keep it and pick a fresh name.
    return freeFileName(dir, id);
  }
}

function builtinEntries(): Map<string, ProviderEntry> {
  return new Map(builtinTemplates().map(({ definition, raw }) => [definition.id, { definition, raw: raw as Record<string, unknown>, source: 'builtin' as const }]));
}
