import * as vscode from 'vscode';
import { PlugboardError } from '../../core/errors';
import { classifyError } from '../../core/health/classify';
import type { ConnectionProfile } from '../../core/model';
import { redactor } from '../../core/redact';
import type { PlugboardContext } from '../context';

/** Every command id, in one place; package.json contributes the same list. */
export const Commands = {
  addConnection: 'plugboard.addConnection',
  openDemo: 'plugboard.openDemo',
  refresh: 'plugboard.refresh',
  refreshAll: 'plugboard.refreshAll',
  copyName: 'plugboard.copyName',
  copySelect: 'plugboard.copySelect',
  showDdl: 'plugboard.showDdl',
  openGeneratedType: 'plugboard.openGeneratedType',
  searchSchema: 'plugboard.searchSchema',
  connect: 'plugboard.connect',
  disconnect: 'plugboard.disconnect',
  testConnection: 'plugboard.testConnection',
  generateClient: 'plugboard.generateClient',
  regenerateClient: 'plugboard.regenerateClient',
  editConnection: 'plugboard.editConnection',
  removeConnection: 'plugboard.removeConnection',
  copyConnectionString: 'plugboard.copyConnectionString',
  checkHealth: 'plugboard.checkHealth',
  checkHealthAll: 'plugboard.checkHealthAll',
  checkDrift: 'plugboard.checkDrift',
  showLog: 'plugboard.showLog',
  openConnectionsFile: 'plugboard.openConnectionsFile',
  overrideType: 'plugboard.overrideType',
  markNotNull: 'plugboard.markNotNull',
  markNullable: 'plugboard.markNullable',
  clearOverride: 'plugboard.clearOverride',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

export type Handler = (...args: any[]) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface RegisterOptions {
  /**
   * The handler's first argument is an options object for programmatic callers. VS Code passes the focused
   * tree row to view-title buttons (and a Uri to some menus): such a UI argument is not options, so the
   * handler gets nothing and asks the user, as from the palette.
   */
  optionsArgument?: boolean;
  /** Also say "cancelled" when the user cancels (work that would otherwise end without a word). */
  announceCancel?: string;
}

/**
 * Registers a handler that logs, turns any failure into a PlugboardError notification (redacted, with its
 * code and hint and a "Show Log" button) and rethrows nothing to the editor — but returns the error's
 * rejection to programmatic callers (tests, other commands) so they can assert on it.
 */
export function register(ctx: PlugboardContext, id: string, handler: Handler, opts: RegisterOptions = {}): void {
  ctx.extension.subscriptions.push(
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      if (opts.optionsArgument && isUiArgument(args[0])) args = [];
      try {
        return await handler(...args);
      } catch (raw) {
        const err = classifyError(raw);
        if (err.code === 'CANCELLED') {
          ctx.log.info(id, err.message);
          if (opts.announceCancel) void vscode.window.showInformationMessage(opts.announceCancel);
          return undefined;
        }
        ctx.log.error(id, err);
        void showError(ctx, err);
        if (isProgrammatic(args[0])) throw err;
        return undefined;
      }
    }),
  );
}

/** What VS Code passes from a tree row (a node), an editor menu or a CodeLens (a Uri). */
function isUiArgument(arg: unknown): boolean {
  return arg instanceof vscode.Uri || (typeof arg === 'object' && arg !== null && 'toTreeItem' in arg);
}

/** Called with a profile id or an options object (tests, other commands), not from a tree item or CodeLens. */
function isProgrammatic(arg: unknown): boolean {
  return arg !== undefined && !isUiArgument(arg);
}

export async function showError(ctx: PlugboardContext, err: PlugboardError): Promise<void> {
  const choice = await vscode.window.showErrorMessage(redactor.redact(err.toDisplayString()), 'Show Log');
  if (choice === 'Show Log') ctx.log.show();
}

/** A command argument may be a tree node, a profile id or nothing (then the user picks). */
export async function resolveProfile(ctx: PlugboardContext, arg: unknown, placeHolder = 'Choose a connection'): Promise<ConnectionProfile | undefined> {
  if (typeof arg === 'string') return ctx.profiles.get(arg);
  if (arg && typeof arg === 'object' && 'profile' in arg) return (arg as { profile: ConnectionProfile }).profile;
  if (arg && typeof arg === 'object' && 'id' in arg && 'kind' in arg) return ctx.profiles.get(String((arg as { id: unknown }).id));
  const profiles = await ctx.profiles.list();
  if (!profiles.length) {
    throw new PlugboardError('NOT_FOUND', 'There are no connections yet.', { hint: 'Run "Plugboard: Add Connection" or "Plugboard: Open Demo Database".' });
  }
  if (profiles.length === 1) return profiles[0];
  const pick = await vscode.window.showQuickPick(
    profiles.map((p) => {
      const backend = ctx.backends.find(p.kind);
      return { label: p.name, description: backend?.label ?? p.kind, detail: backend?.describe(p.options), profile: p };
    }),
    { placeHolder, matchOnDescription: true, matchOnDetail: true },
  );
  return pick?.profile;
}
