import * as path from 'node:path';
import * as vscode from 'vscode';
import { overridesPath, readOverrides, type LoadedOverrides } from '../../core/codegen/overrides/file';
import { applyCodeOverrides, generationInputs, type OverrideWarning } from '../../core/codegen/overrides/resolve';
import { PlugboardError } from '../../core/errors';
import { classifyError } from '../../core/health/classify';
import type { ConnectionProfile } from '../../core/model';
import { workspaceRoot, type PlugboardContext } from '../context';

/** An overrides file as last read: its content and generation-inputs hash, or why it cannot be used. */
export interface OverridesState {
  file: string;
  loaded?: LoadedOverrides;
  inputs?: string;
  error?: PlugboardError;
}

interface ProfileWarnings {
  file: string;
  warnings: OverrideWarning[];
  /** The overrides could not be applied to the live schema (two fields given one name, say). */
  error?: PlugboardError;
}

/**
 * The editor's side of each connection's overrides file (`.plugboard/overrides.json` or the profile's
 * `codegen.overrides`): read once and again whenever it changes on disk, its generation-inputs hash for the
 * CodeLens and the drift check, and the overrides that name nothing in the live schema as warnings in the
 * Problems panel (on the key itself), refreshed when the file, a model or a generation changes.
 *
 * Several connections may share one file: a key is reported only when it names nothing in every connection
 * that uses the file and whose schema is known, so one connection's entries are not stale in another's eyes.
 */
export class OverridesService implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('plugboard-overrides');
  private readonly states = new Map<string, Promise<OverridesState>>();
  private readonly settled = new Map<string, OverridesState>();
  private readonly warnings = new Map<string, ProfileWarnings>();
  private readonly logged = new Map<string, string>();
  /** Files peek() is reading for a caller that could not wait: it is told when they are read. */
  private readonly reading = new Set<string>();
  private readonly watchers = new Map<string, vscode.Disposable>();
  private readonly emitter = new vscode.EventEmitter<string[]>();
  /** Fired with the ids of the connections whose overrides (or their warnings) changed. */
  readonly onDidChange = this.emitter.event;
  private readonly subscriptions: { dispose(): void }[];

  constructor(private readonly ctx: PlugboardContext) {
    this.subscriptions = [
      ctx.schemas.onDidChange((id) => void this.refreshWarnings(id)),
      ctx.schemas.onDidGenerate((outcome) => void this.record(outcome.profileId, outcome.warnings)),
      ctx.profiles.onDidChange(() => void this.watchFiles()),
      // A save in this window is news before the file watcher's event arrives.
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (doc.uri.scheme === 'file' && this.watchers.has(doc.uri.fsPath)) void this.changed(doc.uri.fsPath);
      }),
    ];
    void this.watchFiles();
  }

  /** Where a profile's overrides file is; undefined without a workspace folder. */
  locate(profile: ConnectionProfile): { file: string; required: boolean } | undefined {
    const root = workspaceRoot();
    return root ? overridesPath(root, profile.codegen?.overrides) : undefined;
  }

  /** The profile's overrides as last read (read now if never read). */
  state(profile: ConnectionProfile): Promise<OverridesState | undefined> {
    const where = this.locate(profile);
    if (!where) return Promise.resolve(undefined);
    let pending = this.states.get(where.file);
    if (!pending) {
      pending = read(where.file, where.required).then((s) => {
        if (this.states.get(where.file) === pending) this.settled.set(where.file, s);
        return s;
      });
      this.states.set(where.file, pending);
    }
    return pending;
  }

  /** The state already read, without waiting (the tree's rows). */
  peek(profile: ConnectionProfile): OverridesState | undefined {
    const where = this.locate(profile);
    if (!where) return undefined;
    if (!this.settled.has(where.file) && !this.reading.has(where.file)) {
      this.reading.add(where.file);
      void this.state(profile).then(() => {
        this.reading.delete(where.file);
        this.emitter.fire([profile.id]);
      });
    }
    return this.settled.get(where.file);
  }

  /**
   * Reads the profile's overrides afresh for a generation: an invalid file is an error naming the line and
   * the field, and nothing is generated.
   */
  async load(profile: ConnectionProfile): Promise<LoadedOverrides | undefined> {
    const where = this.locate(profile);
    if (!where) return undefined;
    await this.changed(where.file);
    const s = await this.state(profile);
    if (s?.error) throw s.error;
    return s?.loaded;
  }

  /** What the CodeLens says about the overrides of one connection: the warnings shown for it. */
  warningsFor(profileId: string): OverrideWarning[] {
    const mine = this.warnings.get(profileId);
    if (!mine) return [];
    const shared = [...this.warnings.values()].filter((w) => w.file === mine.file && !w.error);
    return mine.warnings.filter((w) => shared.every((s) => s.warnings.some((o) => samePath(o.path, w.path))));
  }

  /** Re-reads the file (its watcher or a save said it changed) and tells everyone who uses it. */
  async changed(file: string): Promise<void> {
    const before = this.settled.get(file);
    this.states.delete(file);
    this.settled.delete(file);
    const users = (await this.ctx.profiles.list().catch(() => [] as ConnectionProfile[])).filter((p) => this.locate(p)?.file === file);
    await Promise.all(users.map((p) => this.state(p)));
    const after = this.settled.get(file);
    // Read again for a generation, or touched without a change: not news (the watchers would check again).
    if (before && after && signature(before) === signature(after)) return;
    for (const p of users) await this.refreshWarnings(p.id, false);
    this.publish();
    this.emitter.fire(users.map((p) => p.id));
  }

  /** Works out which overrides name nothing in the profile's newest model (a refresh, a drift check). */
  async refreshWarnings(profileId: string, publish = true): Promise<void> {
    const profile = (await this.ctx.profiles.list().catch(() => [] as ConnectionProfile[])).find((p) => p.id === profileId);
    const model = this.ctx.schemas.peek(profileId);
    const state = profile && (await this.state(profile));
    const before = JSON.stringify(this.warnings.get(profileId) ?? null);
    if (!profile || !model || !state) {
      this.warnings.delete(profileId);
    } else if (state.error || !state.loaded) {
      this.warnings.set(profileId, { file: state.file, warnings: [] });
    } else {
      try {
        this.warnings.set(profileId, { file: state.file, warnings: applyCodeOverrides(model, state.loaded).warnings });
      } catch (err) {
        this.warnings.set(profileId, { file: state.file, warnings: [], error: classifyError(err) });
      }
    }
    if (publish) {
      this.publish();
      if (JSON.stringify(this.warnings.get(profileId) ?? null) !== before) this.emitter.fire([profileId]);
    }
  }

  /** The warnings of a generation just made (from the model it was made from). */
  private record(profileId: string, warnings: OverrideWarning[]): void {
    const file = warnings[0]?.location?.file ?? this.warnings.get(profileId)?.file;
    void this.ctx.profiles.list().then(
      (profiles) => {
        const profile = profiles.find((p) => p.id === profileId);
        const where = file ?? (profile && this.locate(profile)?.file);
        if (!where) return;
        this.warnings.set(profileId, { file: where, warnings });
        this.publish();
        this.emitter.fire([profileId]);
      },
      () => undefined,
    );
  }

  /** The Problems panel: per file, its error, or the warnings every connection using it agrees on. */
  private publish(): void {
    const files = new Set<string>([...this.settled.keys(), ...[...this.warnings.values()].map((w) => w.file)]);
    for (const file of files) {
      const uri = vscode.Uri.file(file);
      const error = this.settled.get(file)?.error;
      if (error) {
        this.collection.set(uri, [errorDiagnostic(file, error)]);
        continue;
      }
      const diagnostics: vscode.Diagnostic[] = [];
      const seen = new Set<string>();
      for (const [profileId, w] of this.warnings) {
        if (w.file !== file) continue;
        if (w.error) diagnostics.push(errorDiagnostic(file, w.error));
        const shown = this.warningsFor(profileId);
        this.log(profileId, shown);
        for (const warning of shown) {
          const key = warning.path.join('\u0000');
          if (seen.has(key)) continue;
          seen.add(key);
          diagnostics.push(warningDiagnostic(warning));
        }
      }
      this.collection.set(uri, diagnostics);
    }
  }

  /** Each connection's warnings in the log, once per change of what they are. */
  private log(profileId: string, warnings: OverrideWarning[]): void {
    const text = warnings.map((w) => `${w.location ? `${path.basename(w.location.file)}:${w.location.line}:${w.location.column}: ` : ''}${w.key}: ${w.message}`).join('\n');
    if (this.logged.get(profileId) === text) return;
    this.logged.set(profileId, text);
    for (const line of text ? text.split('\n') : []) this.ctx.log.warn('overrides', `${profileId}: ${line}`);
  }

  /** One watcher per overrides file any connection uses (created or deleted files included). */
  private async watchFiles(): Promise<void> {
    const profiles = await this.ctx.profiles.list().catch(() => [] as ConnectionProfile[]);
    // A removed connection's warnings no longer count (nor does it share a file with anyone).
    const ids = new Set(profiles.map((p) => p.id));
    for (const id of [...this.warnings.keys()]) if (!ids.has(id)) this.warnings.delete(id);
    this.publish();
    const files = new Set(profiles.map((p) => this.locate(p)?.file).filter((f): f is string => !!f));
    for (const [file, watcher] of this.watchers) {
      if (files.has(file)) continue;
      watcher.dispose();
      this.watchers.delete(file);
    }
    for (const file of files) {
      if (this.watchers.has(file)) continue;
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)));
      const onChange = () => void this.changed(file);
      this.watchers.set(file, vscode.Disposable.from(w, w.onDidChange(onChange), w.onDidCreate(onChange), w.onDidDelete(onChange)));
    }
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.watchers.forEach((w) => w.dispose());
    this.collection.dispose();
    this.emitter.dispose();
  }
}

async function read(file: string, required: boolean): Promise<OverridesState> {
  try {
    const loaded = await readOverrides(file, required);
    return { file, loaded, inputs: generationInputs(loaded) };
  } catch (err) {
    return { file, error: classifyError(err) };
  }
}

function signature(s: OverridesState): string {
  return JSON.stringify([s.loaded?.text ?? null, s.error?.message ?? null]);
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

function warningDiagnostic(w: OverrideWarning): vscode.Diagnostic {
  const at = w.location;
  const range = at ? new vscode.Range(at.line - 1, at.column - 1, at.line - 1, at.column - 1 + at.length) : new vscode.Range(0, 0, 0, 1);
  const d = new vscode.Diagnostic(range, `${w.key}: ${w.message} (this override is ignored)`, vscode.DiagnosticSeverity.Warning);
  d.source = 'Plugboard';
  d.code = 'override-names-nothing';
  return d;
}

/** An error about the file, on the line and column its message names (`file:3:7: …`), else its start. */
function errorDiagnostic(file: string, err: PlugboardError): vscode.Diagnostic {
  const m = err.message.startsWith(`${file}:`) ? /^:(\d+):(\d+): /.exec(err.message.slice(file.length)) : null;
  const line = m ? Number(m[1]) - 1 : 0;
  const column = m ? Number(m[2]) - 1 : 0;
  const message = m ? err.message.slice(file.length + m[0].length) : err.message;
  const d = new vscode.Diagnostic(new vscode.Range(line, column, line, column + 1), message, vscode.DiagnosticSeverity.Error);
  d.source = 'Plugboard';
  d.code = err.code;
  return d;
}
