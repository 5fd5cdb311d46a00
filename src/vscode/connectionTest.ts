import * as vscode from 'vscode';
import type { Session } from '../core/backend';
import { PlugboardError } from '../core/errors';
import { classifyError } from '../core/health/classify';
import type { ConnectionProfile, HealthReport } from '../core/model';
import { closeSession } from '../core/sessions';
import type { PlugboardContext } from './context';
import { withCancellableProgress } from './progress';

export interface TestOutcome {
  /** The ping's report; when the test failed and the user saved anyway, the failure (so the tree shows it). */
  report: HealthReport;
}

/**
 * The Add Connection wizards' test before saving: connect, ping, close. On failure the user may save anyway,
 * go back and edit what they typed, or cancel (a caller without UI says `saveAnyway`; otherwise the
 * PlugboardError is thrown). Returns undefined when the test or the choice was cancelled.
 */
export async function testBeforeSaving(
  ctx: PlugboardContext,
  profile: ConnectionProfile,
  connect: (signal: AbortSignal) => Promise<Session>,
  opts: { saveAnyway?: boolean; interactive: boolean },
): Promise<TestOutcome | 'edit' | undefined> {
  const result = await withCancellableProgress(`Testing ${profile.name}`, async (_p, signal) => {
    try {
      const session = await connect(signal);
      try {
        return await session.ping(signal);
      } finally {
        await closeSession(session);
      }
    } catch (err) {
      return classifyError(err);
    }
  });
  if (!(result instanceof PlugboardError)) return { report: { ...result, profileId: profile.id } };
  if (result.code === 'CANCELLED') return undefined;
  ctx.log.error('add-connection', result);
  const failed: HealthReport = { profileId: profile.id, status: 'error', checkedAt: new Date().toISOString(), error: result.toJSON() };
  if (opts.saveAnyway !== undefined || !opts.interactive) {
    if (opts.saveAnyway) return { report: failed };
    throw result;
  }
  const choice = await vscode.window.showErrorMessage(`${profile.name}: ${result.toDisplayString()}`, { modal: false }, 'Edit', 'Save anyway');
  if (choice === 'Save anyway') return { report: failed };
  if (choice === 'Edit') return 'edit';
  return undefined;
}
