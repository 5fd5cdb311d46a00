import * as vscode from 'vscode';
import type { HealthReport } from '../../core/model';
import type { GeneratedCodeLensProvider } from '../codelens/provider';
import type { PlugboardContext } from '../context';
import { withCancellableProgress } from '../progress';
import { Commands, register, resolveProfile } from './index';

export function registerHealthCommands(ctx: PlugboardContext, codeLens: GeneratedCodeLensProvider): void {
  register(ctx, Commands.checkHealth, async (arg?: unknown) => {
    const profile = await resolveProfile(ctx, arg, 'Check the health of which connection?');
    if (!profile) return undefined;
    const report = await withCancellableProgress(`Checking ${profile.name}`, (_p, signal) => ctx.health.check(profile, signal));
    if (!arg) void show([report]);
    return report;
  });
  register(ctx, Commands.checkHealthAll, async () => {
    const profiles = await ctx.profiles.list();
    const reports = await withCancellableProgress('Checking all connections', (progress, signal) =>
      Promise.all(
        profiles.map(async (p) => {
          const r = await ctx.health.check(p, signal);
          progress.report({ message: p.name, increment: 100 / profiles.length });
          return r;
        }),
      ),
    );
    return reports;
  });
  register(ctx, Commands.checkDrift, async (arg?: unknown) => {
    const profile = await resolveProfile(ctx, arg);
    if (!profile) return undefined;
    return { profileId: profile.id, live: await codeLens.checkNow(profile) };
  });
  register(ctx, Commands.showLog, () => ctx.log.show());
}

async function show(reports: HealthReport[]): Promise<void> {
  for (const r of reports) {
    if (r.status === 'ok') void vscode.window.showInformationMessage(`Healthy: ${r.serverVersion}, ${r.latencyMs} ms.`);
    else void vscode.window.showErrorMessage(`${r.error?.code}: ${r.error?.message} ${r.error?.hint ?? ''}`);
  }
}
