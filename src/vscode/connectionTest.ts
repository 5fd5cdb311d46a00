import * as vscode from 'vscode';
import type { Session } from '../backends/adapter';
import { PlugboardError } from '../core/errors';
import { classifyError } from '../core/health/classify';
import type { ConnectionProfile, HealthReport } from '../core/model';
import type { PlugboardContext } from './context';
import { withCancellableProgress } from './progress';

export interface TestOutcome {
  /** The ping's report when the test passed; absent when it failed and the user saved anyway. */
  report?: HealthReport;
}

/**
 * The Add Connection wizards' test before saving: connect, ping, close. On failure the user may save anyway
 * (or the caller says so with `saveAnyway`); otherwise the PlugboardError is thrown. Returns undefined when
 * the test was cancelled.
 */
export async function testBeforeSaving(
  ctx: PlugboardContext,
  profile: ConnectionProfile,
  connect: (signal: AbortSignal) => Promise<Session>,
  opts: { saveAnyway?: boolean; interactive: boolean },
): Promise<TestOutcome | undefined> {
  const result = await withCancellableProgress(`Testing ${profile.name}`, async (_p, signal) => {
    try {
      const session = await connect(signal);
      try {
        return await session.ping(signal);
      } finally {
        await session.close();
      }
    } catch (err) {
      return classifyError(err);
    }
  });
  if (!(result instanceof PlugboardError)) return { report: { ...result, profileId: profile.id } };
  if (result.code === 'CANCELLED') return undefined;
  ctx.log.error('add-connection', result);
  const save =
    opts.saveAnyway ??
    (opts.interactive && (await vscode.window.showErrorMessage(`${result.code}: ${result.message} ${result.hint}`, 'Save anyway', 'Cancel')) === 'Save anyway');
  if (!save) throw result;
  return {};
}
