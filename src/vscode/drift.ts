import * as vscode from 'vscode';
import { summariseChanges } from '../core/introspect/diff';
import type { DriftReport } from '../core/introspect/drift';
import type { PlugboardContext } from './context';

/**
 * Which connections' generated clients no longer match their live schema. Whenever the schema service has a
 * new model for a profile (the tree, a generation, the CodeLens's background check, Check Drift), the files
 * in the profile's output folder are compared with it — headers only, plus the snapshot when they differ —
 * and the tree and the status bar are told.
 */
export class DriftMonitor implements vscode.Disposable {
  private readonly reports = new Map<string, DriftReport>();
  private readonly emitter = new vscode.EventEmitter<string>();
  readonly onDidChange = this.emitter.event;
  private readonly subscriptions: { dispose(): void }[];
  private readonly pending = new Map<string, Promise<void>>();

  constructor(private readonly ctx: PlugboardContext) {
    this.subscriptions = [
      ctx.schemas.onDidChange((profileId) => void this.update(profileId)),
      // The model of a generation is announced before its files are written: compare again once they are.
      ctx.schemas.onDidGenerate((outcome) => void this.update(outcome.profileId)),
      // An edited overrides file makes files "generated with other settings" without any schema change.
      ctx.overrides.onDidChange((ids) => ids.forEach((id) => void this.update(id))),
    ];
  }

  report(profileId: string): DriftReport | undefined {
    return this.reports.get(profileId);
  }

  /** "2 changes: + column public.orders.tracking_code, …" when the profile's client is stale. */
  summary(profileId: string): string | undefined {
    const r = this.reports.get(profileId);
    if (!r?.stale) return undefined;
    return r.changes.length ? summariseChanges(r.changes) : 'the schema changed since generation';
  }

  /** The schema is the same but the generated files were made with other overrides than the current ones. */
  settingsChanged(profileId: string): boolean {
    const r = this.reports.get(profileId);
    return !!r && !r.stale && r.settingsChanged;
  }

  /** Profiles whose generated client is stale. */
  drifted(): string[] {
    return [...this.reports.entries()].filter(([, r]) => r.stale).map(([id]) => id);
  }

  /** Compares the profile's output folder with its newest model (no introspection of its own). */
  update(profileId: string): Promise<void> {
    // A comparison under way may have read the folder before the latest write: run once more after it.
    const running = this.pending.get(profileId);
    if (running) return running.then(() => this.update(profileId));
    const work = (async () => {
      const model = this.ctx.schemas.peek(profileId);
      const profile = (await this.ctx.profiles.list().catch(() => [])).find((p) => p.id === profileId);
      if (!model || !profile) {
        if (this.reports.delete(profileId)) this.emitter.fire(profileId);
        return;
      }
      const { checkDrift } = await import('../core/introspect/drift');
      // An unreadable overrides file has no inputs to compare: say nothing about settings until it is fixed
      // (the CodeLens and the Problems panel show its error).
      const overrides = await this.ctx.overrides.state(profile);
      const report = await checkDrift(this.ctx.outDir(profile), model, overrides?.inputs, { offThread: true });
      if (overrides?.error) {
        report.settingsChanged = false;
        report.files.forEach((f) => (f.settingsChanged = false));
      }
      const before = this.reports.get(profileId);
      this.reports.set(profileId, report);
      if (before?.stale !== report.stale || before?.live !== report.live || before?.settingsChanged !== report.settingsChanged) this.emitter.fire(profileId);
    })()
      .catch((err: unknown) => this.ctx.log.warn('drift', `Comparing ${profileId}'s generated files failed: ${String(err)}`))
      .finally(() => this.pending.delete(profileId));
    this.pending.set(profileId, work);
    return work;
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.emitter.dispose();
  }
}
