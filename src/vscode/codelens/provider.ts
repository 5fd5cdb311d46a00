import * as path from 'node:path';
import * as vscode from 'vscode';
import { generatedOutDir, headerStatus, parseHeader, type GeneratedHeader, type HeaderStatus } from '../../core/codegen/header';
import { readHeader } from '../../core/codegen/headerFiles';
import { classifyError } from '../../core/health/classify';
import { fingerprintForVersionSliced, hashedAsLegacy } from '../../core/introspect/fingerprint';
import type { ConnectionProfile, SchemaModel } from '../../core/model';
import { namesNothing, profileForGenerated } from '../commands/codegen';
import { Commands } from '../commands/index';
import type { PlugboardContext } from '../context';
import type { OverridesState } from '../overrides/service';

/**
 * The live fingerprint of a model as each tool version computes it, worked out once per model, in slices
 * (a 5,000-table schema hashed in one go would hold the extension host for a few hundred milliseconds).
 */
const fingerprints = new WeakMap<SchemaModel, Map<string, Promise<string>>>();
function liveFingerprint(model: SchemaModel, version: string): Promise<string> {
  const line = hashedAsLegacy(version) ? '0.1' : 'current';
  let byLine = fingerprints.get(model);
  if (!byLine) fingerprints.set(model, (byLine = new Map()));
  let fp = byLine.get(line);
  if (!fp) byLine.set(line, (fp = fingerprintForVersionSliced(version, model)));
  return fp;
}

/**
 * How a generated file stands. Without a live schema the settings can still be compared (that needs no
 * server); an unreadable overrides file has no inputs to compare, so only schema drift is reported then.
 */
function lensStatus(header: GeneratedHeader, live: string | undefined, overrides: OverridesState | undefined): HeaderStatus {
  if (overrides?.error) return live && live !== header.fingerprint ? 'schema-changed' : 'current';
  if (live) return headerStatus(header, live, overrides?.inputs);
  return (header.inputs ?? undefined) !== overrides?.inputs ? 'settings-changed' : 'current';
}

/**
 * "Regenerate client" over every generated file, and "Schema changed since generation" when the live schema's
 * fingerprint differs from the header's, or "Settings changed" when the schema is the same but the overrides
 * file is not what the files were generated with; besides, the overrides file's error or its entries that
 * name nothing. The live schema is the schema service's model (shared with the tree
 * and the commands). While a generated file is visible, its connection's schema is re-read in the background
 * (every `plugboard.codeLens.liveCheckIntervalSeconds`, backing off up to ten times that while the server
 * fails), so an idle open file learns about an ALTER TABLE without being touched; lenses never block typing.
 */
export class GeneratedCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  /** When each profile's schema was last read for the lenses, and the read in flight. */
  private readonly checks = new Map<string, { at: number; pending?: Promise<boolean> }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Background re-checks of connections whose generated files are visible: failures so far, the timer. */
  private readonly watched = new Map<string, { failures: number; timer?: NodeJS.Timeout }>();
  private readonly subscriptions: { dispose(): void }[] = [];
  private static readonly TTL_MS = 60_000;
  private static readonly DEBOUNCE_MS = 400;

  constructor(private readonly ctx: PlugboardContext) {
    // A model read for any reason (the tree, a generation, Check Drift) is news for the lenses too.
    this.subscriptions.push(
      ctx.schemas.onDidChange(() => this.emitter.fire()),
      // An edited overrides file, or warnings worked out anew.
      ctx.overrides.onDidChange(() => this.emitter.fire()),
      vscode.window.onDidChangeVisibleTextEditors(() => void this.watchVisible()),
      // A new interval (or the check turned off) applies at once, not after the old interval runs out.
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('plugboard.codeLens')) return;
        this.watched.forEach((w) => w.timer && clearTimeout(w.timer));
        this.watched.clear();
        void this.watchVisible();
      }),
    );
    void this.watchVisible();
  }

  private intervalMs(): number {
    const seconds = vscode.workspace.getConfiguration('plugboard').get<number>('codeLens.liveCheckIntervalSeconds', 60);
    return Math.max(1, seconds) * 1000;
  }

  /** Starts background checks for the connections of visible generated files, and stops the others. */
  private async watchVisible(): Promise<void> {
    if (!vscode.workspace.getConfiguration('plugboard').get<boolean>('codeLens.liveCheck', true)) return;
    const visible = new Map<string, ConnectionProfile>();
    for (const editor of vscode.window.visibleTextEditors) {
      const header = parseHeader(editor.document.getText(new vscode.Range(0, 0, 6, 0)));
      if (!header || editor.document.uri.scheme !== 'file') continue;
      const profile = await profileForGenerated(this.ctx, generatedOutDir(editor.document.uri.fsPath, header), header.profile).catch(() => undefined);
      if (profile) visible.set(profile.id, profile);
    }
    for (const [id, w] of this.watched) {
      if (visible.has(id)) continue;
      if (w.timer) clearTimeout(w.timer);
      this.watched.delete(id);
    }
    for (const profile of visible.values()) if (!this.watched.has(profile.id)) this.watch(profile);
  }

  private watch(profile: ConnectionProfile): void {
    const w = { failures: 0, timer: undefined as NodeJS.Timeout | undefined };
    this.watched.set(profile.id, w);
    const tick = () => {
      // Ten times the interval at most while the server keeps failing.
      const delay = this.intervalMs() * Math.min(10, 2 ** w.failures);
      w.timer = setTimeout(() => {
        if (this.watched.get(profile.id) !== w) return;
        void this.refresh(profile).then((ok) => {
          w.failures = ok ? 0 : w.failures + 1;
          if (this.watched.get(profile.id) === w) tick();
        });
      }, delay);
      w.timer.unref?.();
    };
    tick();
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const header = await this.currentHeader(doc);
    if (!header || header.target === 'snapshot') return [];
    const range = new vscode.Range(0, 0, 0, 0);
    const lenses = [new vscode.CodeLens(range, { title: '$(sync) Regenerate client', command: Commands.regenerateClient, arguments: [doc.uri] })];
    const profile = await profileForGenerated(this.ctx, generatedOutDir(doc.uri.fsPath, header), header.profile).catch(() => undefined);
    if (!profile) return lenses;
    const overrides = await this.ctx.overrides.state(profile);
    const liveCheck = vscode.workspace.getConfiguration('plugboard').get<boolean>('codeLens.liveCheck', true);
    if (liveCheck) {
      const checked = this.checks.get(profile.id);
      if (!checked || Date.now() - checked.at > GeneratedCodeLensProvider.TTL_MS) this.schedule(profile);
    }
    const model = liveCheck ? this.ctx.schemas.peek(profile.id) : undefined;
    const live = model && (await liveFingerprint(model, header.version));
    const status = lensStatus(header, live, overrides);
    if (status === 'schema-changed') {
      lenses.push(
        new vscode.CodeLens(range, {
          title: '$(warning) Schema changed since generation — Regenerate',
          tooltip: `Generated from ${header.fingerprint}; the live schema is ${live}.`,
          command: Commands.regenerateClient,
          arguments: [doc.uri],
        }),
      );
    } else if (status === 'settings-changed') {
      lenses.push(
        new vscode.CodeLens(range, {
          title: '$(settings-gear) Settings changed — Regenerate',
          tooltip: `The schema is unchanged, but ${overrides ? path.basename(overrides.file) : 'the overrides file'} changed since these files were generated.`,
          command: Commands.regenerateClient,
          arguments: [doc.uri],
        }),
      );
    }
    if (overrides?.error) {
      lenses.push(
        new vscode.CodeLens(range, {
          title: `$(error) ${path.basename(overrides.file)} has an error — Open`,
          tooltip: overrides.error.message,
          command: 'vscode.open',
          arguments: [vscode.Uri.file(overrides.file)],
        }),
      );
    }
    const warnings = this.ctx.overrides.warningsFor(profile.id);
    if (warnings.length) {
      const first = warnings[0]!.location;
      const at = first ? new vscode.Range(first.line - 1, first.column - 1, first.line - 1, first.column - 1 + first.length) : undefined;
      lenses.push(
        new vscode.CodeLens(range, {
          title: `$(warning) ${namesNothing(warnings.length)}`,
          tooltip: warnings.map((w) => `${w.key}: ${w.message}`).join('\n'),
          command: 'vscode.open',
          arguments: [vscode.Uri.file(first?.file ?? overrides?.file ?? ''), ...(at ? [{ selection: at }] : [])],
        }),
      );
    }
    return lenses;
  }

  /** Reads the live schema now (Check Drift and tests). */
  async checkNow(profile: ConnectionProfile): Promise<SchemaModel | undefined> {
    await this.refresh(profile);
    return this.ctx.schemas.peek(profile.id);
  }

  /** Connections re-checked in the background because a generated file of theirs is visible (tests). */
  watchedProfiles(): string[] {
    return [...this.watched.keys()];
  }

  /**
   * The header as it is on disk when the editor holds no unsaved changes: right after a regeneration the
   * document model may not have caught up with the file yet, and the lens must not claim drift meanwhile.
   */
  private async currentHeader(doc: vscode.TextDocument): Promise<GeneratedHeader | undefined> {
    const inEditor = parseHeader(doc.getText(new vscode.Range(0, 0, 6, 0)));
    if (!inEditor || doc.isDirty || doc.uri.scheme !== 'file') return inEditor;
    return (await readHeader(doc.uri.fsPath)) ?? inEditor;
  }

  private schedule(profile: ConnectionProfile): void {
    if (this.timers.has(profile.id)) return;
    const timer = setTimeout(() => {
      this.timers.delete(profile.id);
      void this.refresh(profile);
    }, GeneratedCodeLensProvider.DEBOUNCE_MS);
    this.timers.set(profile.id, timer);
  }

  /** Re-reads the live schema; resolves to whether that worked. */
  private refresh(profile: ConnectionProfile): Promise<boolean> {
    const checked = this.checks.get(profile.id);
    if (checked?.pending) return checked.pending;
    const pending = this.ctx.schemas.model(profile, { fresh: true }).then(
      () => true,
      // Unreachable right now: keep what we knew, try again later.
      (err: unknown) => {
        this.ctx.log.warn('codelens', `Live schema check for ${profile.id} failed: ${classifyError(err).message}`);
        return false;
      },
    ).finally(() => {
      this.checks.set(profile.id, { at: Date.now() });
      this.emitter.fire();
    });
    this.checks.set(profile.id, { at: checked?.at ?? 0, pending });
    return pending;
  }

  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.watched.forEach((w) => w.timer && clearTimeout(w.timer));
    this.subscriptions.forEach((s) => s.dispose());
    this.emitter.dispose();
  }
}
