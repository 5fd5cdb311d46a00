import * as vscode from 'vscode';
import type { PlugboardContext } from './context';

/** One status bar item: how many connections are healthy, and a click to check them all. */
export class HealthStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('plugboard.health', vscode.StatusBarAlignment.Left, 50);
  private readonly subs: { dispose(): void }[] = [];

  constructor(private readonly ctx: PlugboardContext) {
    this.item.name = 'Plugboard Health';
    this.item.command = 'plugboard.checkHealthAll';
    this.subs.push(ctx.health.onDidChange(() => void this.update()), ctx.profiles.onDidChange(() => void this.update()));
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
    this.item.text = errors ? `$(warning) Plugboard: ${errors} failing` : `$(plug) Plugboard: ${ok}/${profiles.length} ok`;
    this.item.backgroundColor = errors ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const lines = profiles.map((p, i) => {
      const r = reports[i];
      const state = !r ? 'not checked' : r.status === 'ok' ? `ok, ${r.latencyMs} ms` : `${r.error?.code ?? 'error'}`;
      return `${p.name}: ${state}`;
    });
    this.item.tooltip = `${lines.join('\n')}\n\nClick to check all connections.`;
    this.item.show();
  }

  dispose(): void {
    this.subs.forEach((s) => s.dispose());
    this.item.dispose();
  }
}
