import * as vscode from 'vscode';
import type { HealthReport } from '../../core/model';
import type { GeneratedCodeLensProvider } from '../codelens/provider';
import type { PlugboardContext } from '../context';
import { withCancellableProgress } from '../progress';
import { summariseChanges } from '../../core/introspect/diff';
import { Commands, register, resolveProfile } from './index';

export function registerHealthCommands(ctx: PlugboardContext, codeLens: GeneratedCodeLensProvider): void {
  register(ctx, Commands.checkHealth, async (arg?: unknown) => {
    const profile = await resolveProfile(ctx, arg, 'Check the health of which connection?');
    if (!profile) return undefined;
    const report = await withCancellableProgress(`Checking ${profile.name}`, (_p, signal) => ctx.health.check(profile, signal));
    if (typeof arg !== 'string') show(profile.name, report);
    return report;
  });
  register(ctx, Commands.checkHealthAll, async (arg?: unknown) => {
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
    if (arg === undefined && profiles.length) {
      const failing = reports.map((r, i) => ({ r, p: profiles[i]! })).filter(({ r }) => r.status === 'error');
      const text = `Plugboard: ${reports.length - failing.length} of ${reports.length} connections healthy${failing.length ? ` — failing: ${failing.map(({ p, r }) => `${p.name} (${r.error?.code ?? 'error'})`).join(', ')}` : ''}.`;
      void (failing.length ? vscode.window.showWarningMessage(text) : vscode.window.showInformationMessage(text));
    }
    return reports;
  }, { optionsArgument: true });
  register(ctx, Commands.checkDrift, async (arg?: unknown) => {
    const profile = await resolveProfile(ctx, arg, 'Check the generated client of which connection?');
    if (!profile) return undefined;
    const outDir = ctx.outDir(profile);
    const overrides = await ctx.overrides.state(profile);
    const report = await withCancellableProgress(`Checking ${profile.name} for schema drift`, (_p, signal) => ctx.schemas.drift(profile, outDir, { signal, inputs: overrides?.inputs, offThread: true }));
    const settingsChanged = !report.stale && report.settingsChanged && !overrides?.error;
    void codeLens.checkNow(profile);
    const message = !report.files.length
      ? `${profile.name}: no generated client in ${outDir}.`
      : report.stale
        ? `${profile.name}: the schema changed since generation — ${summariseChanges(report.changes)}.`
        : settingsChanged
          ? `${profile.name}: the schema is unchanged, but the overrides changed since generation.`
          : `${profile.name}: the generated client is up to date.`;
    if (typeof arg !== 'string') void (report.stale || settingsChanged ? vscode.window.showWarningMessage(message, 'Regenerate') : vscode.window.showInformationMessage(message)).then((c) => {
      const first = report.files[0];
      if (c === 'Regenerate' && first) void vscode.commands.executeCommand(Commands.regenerateClient, vscode.Uri.file(first.file));
    });
    return { profileId: profile.id, ...report };
  });
  register(ctx, Commands.showLog, () => ctx.log.show());
}

function show(name: string, r: HealthReport): void {
  if (r.status === 'ok') void vscode.window.showInformationMessage(`${name} is healthy: ${r.serverVersion}, ${r.latencyMs} ms.`);
  else void vscode.window.showErrorMessage(`${name}: ${r.error?.code}: ${r.error?.message} — ${r.error?.hint ?? ''}`);
}
