import * as vscode from 'vscode';
import type { PlugboardContext } from './context';
import type { DriftMonitor } from './drift';

/** One status bar item: how many connections are healthy or drifted, and a click to check them all. */
export class HealthStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('plugboard.health', vscode.StatusBarAlignment.Left, 50);
  private readonly subs: { dispose(): void }[] = [];

  constructor(
    private readonly ctx: PlugboardContext,
    private readonly drift: DriftMonitor,
  ) {
    this.item.name = 'Plugboard Health';
    this.item.command = 'plugboard.checkHealthAll';
    this.subs.push(ctx.health.onDidChange(() => void this.update()), ctx.profiles.onDidChange(() => void this.update()), drift.onDidChange(() => void this.update()));
    void this.update();
  }

  async update(): Promise<void> {
    const profiles = await this.ctx.profiles.list().catch(() => undefined);
    if (!profiles?.length) {
      this.item.hide();
      return;
    }
    const reports = profiles.map((p) => this.ctx.health.last(p.id));
    const ok = reports.filter((r) => r?.status === 'ok').length;
    const errors = reports.filter((r) => r?.status === 'error').length;
    const drifted = profiles.filter((p) => this.drift.summary(p.id)).length;
    const parts = [errors ? `${errors} failing` : `${ok}/${profiles.length} ok`, ...(drifted ? [`${drifted} drifted`] : [])];
    this.item.text = `${errors || drifted ? '$(warning)' : '$(plug)'} Plugboard: ${parts.join(', ')}`;
    this.item.backgroundColor = errors || drifted ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const lines = profiles.map((p, i) => {
      const r = reports[i];
      const state = !r ? 'not checked' : r.status === 'ok' ? `ok, ${r.latencyMs} ms` : `${r.error?.code ?? 'error'}`;
      const drift = this.drift.summary(p.id);
      return `${p.name}: ${state}${drift ? ` — generated client out of date (${drift})` : ''}`;
    });
    this.item.tooltip = `${lines.join('\n')}\n\nClick to check all connections.`;
    this.item.show();
  }

  dispose(): void {
    this.subs.forEach((s) => s.dispose());
    this.item.dispose();
  }
}
