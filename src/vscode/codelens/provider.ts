import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseHeader, type GeneratedHeader } from '../../core/codegen/header';
import { classifyError } from '../../core/health/classify';
import { fingerprint } from '../../core/introspect/fingerprint';
import type { ConnectionProfile } from '../../core/model';
import { profileForGenerated } from '../commands/codegen';
import { Commands } from '../commands/index';
import type { PlugboardContext } from '../context';

interface LiveState {
  fingerprint?: string;
  checkedAt: number;
  pending?: Promise<void>;
}

/**
 * "Regenerate client" over every generated file, and "Schema changed since generation" when the live schema's
 * fingerprint differs from the header's. The live check runs in the background (debounced, at most once a
 * minute per connection) and never blocks typing: lenses show what is known and update when it arrives.
 */
export class GeneratedCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly live = new Map<string, LiveState>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private static readonly TTL_MS = 60_000;
  private static readonly DEBOUNCE_MS = 400;

  constructor(private readonly ctx: PlugboardContext) {}

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const header = await this.currentHeader(doc);
    if (!header || header.target === 'snapshot') return [];
    const range = new vscode.Range(0, 0, 0, 0);
    const lenses = [new vscode.CodeLens(range, { title: '$(sync) Regenerate client', command: Commands.regenerateClient, arguments: [doc.uri] })];
    const profile = await profileForGenerated(this.ctx, path.dirname(doc.uri.fsPath), header.profile).catch(() => undefined);
    if (!profile || !vscode.workspace.getConfiguration('plugboard').get<boolean>('codeLens.liveCheck', true)) return lenses;
    const state = this.live.get(profile.id);
    if (!state || Date.now() - state.checkedAt > GeneratedCodeLensProvider.TTL_MS) this.schedule(profile);
    if (state?.fingerprint && state.fingerprint !== header.fingerprint) {
      lenses.push(
        new vscode.CodeLens(range, {
          title: '$(warning) Schema changed since generation — Regenerate',
          tooltip: `Generated from ${header.fingerprint}; the live schema is ${state.fingerprint}.`,
          command: Commands.regenerateClient,
          arguments: [doc.uri],
        }),
      );
    }
    return lenses;
  }

  /** Checks the live schema now (the Plugboard: Check Drift command and tests); returns its fingerprint. */
  async checkNow(profile: ConnectionProfile): Promise<string | undefined> {
    await this.refresh(profile);
    return this.live.get(profile.id)?.fingerprint;
  }

  /** After codegen the live fingerprint is known without asking the server again. */
  noteGenerated(profileId: string, fp: string): void {
    this.live.set(profileId, { fingerprint: fp, checkedAt: Date.now() });
    this.emitter.fire();
  }

  /**
   * The header as it is on disk when the editor holds no unsaved changes: right after a regeneration the
   * document model may not have caught up with the file yet, and the lens must not claim drift meanwhile.
   */
  private async currentHeader(doc: vscode.TextDocument): Promise<GeneratedHeader | undefined> {
    const inEditor = parseHeader(doc.getText(new vscode.Range(0, 0, 6, 0)));
    if (!inEditor || doc.isDirty || doc.uri.scheme !== 'file') return inEditor;
    const handle = await fs.open(doc.uri.fsPath, 'r').catch(() => undefined);
    if (!handle) return inEditor;
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
      return parseHeader(buffer.subarray(0, bytesRead).toString('utf8')) ?? inEditor;
    } finally {
      await handle.close();
    }
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
    const state = this.live.get(profile.id);
    if (state?.pending) return state.pending;
    const pending = (async () => {
      try {
        const session = await this.ctx.sessions.get(profile);
        const model = await session.introspect(profile.schemas ?? {});
        this.live.set(profile.id, { fingerprint: fingerprint(model), checkedAt: Date.now() });
      } catch (err) {
        // Unreachable right now: keep what we knew, try again after the TTL.
        this.ctx.log.warn('codelens', `Live schema check for ${profile.id} failed: ${classifyError(err).message}`);
        this.live.set(profile.id, { fingerprint: state?.fingerprint, checkedAt: Date.now() });
      }
      this.emitter.fire();
    })();
    this.live.set(profile.id, { ...(state ?? { checkedAt: 0 }), pending });
    return pending;
  }

  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.emitter.dispose();
  }
}
