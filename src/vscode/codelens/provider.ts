import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseHeader, type GeneratedHeader } from '../../core/codegen/header';
import { readHeader } from '../../core/codegen/writer';
import { classifyError } from '../../core/health/classify';
import { fingerprintForVersion } from '../../core/introspect/fingerprint';
import type { ConnectionProfile, SchemaModel } from '../../core/model';
import { profileForGenerated } from '../commands/codegen';
import { Commands } from '../commands/index';
import type { PlugboardContext } from '../context';

/** The live fingerprint of a model as each tool version computes it, worked out once per model. */
const fingerprints = new WeakMap<SchemaModel, Map<string, string>>();
function liveFingerprint(model: SchemaModel, version: string): string {
  const line = /^0\.1\./.test(version) ? '0.1' : 'current';
  let byLine = fingerprints.get(model);
  if (!byLine) fingerprints.set(model, (byLine = new Map()));
  let fp = byLine.get(line);
  if (!fp) byLine.set(line, (fp = fingerprintForVersion(version, model)));
  return fp;
}

/**
 * "Regenerate client" over every generated file, and "Schema changed since generation" when the live schema's
 * fingerprint differs from the header's. The live schema is the schema service's model (shared with the tree
 * and the commands); it is re-read in the background, debounced and at most once a minute per connection,
 * so lenses never block typing: they show what is known and update when more arrives.
 */
export class GeneratedCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  /** When each profile's schema was last read for the lenses, and the read in flight. */
  private readonly checks = new Map<string, { at: number; pending?: Promise<void> }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subscription: { dispose(): void };
  private static readonly TTL_MS = 60_000;
  private static readonly DEBOUNCE_MS = 400;

  constructor(private readonly ctx: PlugboardContext) {
    // A model read for any reason (the tree, a generation, Check Drift) is news for the lenses too.
    this.subscription = ctx.schemas.onDidChange(() => this.emitter.fire());
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const header = await this.currentHeader(doc);
    if (!header || header.target === 'snapshot') return [];
    const range = new vscode.Range(0, 0, 0, 0);
    const lenses = [new vscode.CodeLens(range, { title: '$(sync) Regenerate client', command: Commands.regenerateClient, arguments: [doc.uri] })];
    const profile = await profileForGenerated(this.ctx, path.dirname(doc.uri.fsPath), header.profile).catch(() => undefined);
    if (!profile || !vscode.workspace.getConfiguration('plugboard').get<boolean>('codeLens.liveCheck', true)) return lenses;
    const checked = this.checks.get(profile.id);
    if (!checked || Date.now() - checked.at > GeneratedCodeLensProvider.TTL_MS) this.schedule(profile);
    const model = this.ctx.schemas.peek(profile.id);
    const live = model && liveFingerprint(model, header.version);
    if (live && live !== header.fingerprint) {
      lenses.push(
        new vscode.CodeLens(range, {
          title: '$(warning) Schema changed since generation — Regenerate',
          tooltip: `Generated from ${header.fingerprint}; the live schema is ${live}.`,
          command: Commands.regenerateClient,
          arguments: [doc.uri],
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

  private refresh(profile: ConnectionProfile): Promise<void> {
    const checked = this.checks.get(profile.id);
    if (checked?.pending) return checked.pending;
    const pending = this.ctx.schemas.model(profile, { fresh: true }).then(
      () => undefined,
      // Unreachable right now: keep what we knew, try again after the TTL.
      (err: unknown) => this.ctx.log.warn('codelens', `Live schema check for ${profile.id} failed: ${classifyError(err).message}`),
    ).finally(() => {
      this.checks.set(profile.id, { at: Date.now() });
      this.emitter.fire();
    });
    this.checks.set(profile.id, { at: checked?.at ?? 0, pending });
    return pending;
  }

  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
