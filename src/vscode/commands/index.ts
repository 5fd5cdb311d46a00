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
  ctx.commands.set(id, async (...args: unknown[]) => {
    if (opts.optionsArgument && isUiArgument(args[0])) args = [];
    try {
      return await handler(...args);
    } catch (raw) {
      return report(ctx, id, raw, args, opts);
    }
  });
}

function report(ctx: PlugboardContext, id: string, raw: unknown, args: unknown[], opts: RegisterOptions): undefined {
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

/**
 * The extension's commands as VS Code knows them. activate() registers every contributed id at once with
 * `defer`, saying which module handles it; that module is loaded the first time one of its commands runs
 * (its register() calls fill in the handlers), so starting the editor does not load code for commands
 * nobody runs. An id nobody deferred is registered with VS Code when its module registers it.
 */
export class CommandTable {
  private readonly handlers = new Map<string, Handler>();
  private readonly loaders = new Map<string, () => Promise<void>>();

  constructor(private readonly ctx: PlugboardContext) {}

  defer(ids: readonly string[], load: () => Promise<void>): void {
    let loading: Promise<void> | undefined;
    const once = () => (loading ??= load());
    for (const id of ids) {
      if (this.loaders.has(id) || this.handlers.has(id)) throw new Error(`The command ${id} is registered twice.`);
      this.loaders.set(id, once);
      this.ctx.extension.subscriptions.push(
        vscode.commands.registerCommand(id, async (...args: unknown[]) => {
          if (!this.handlers.has(id)) {
            try {
              await once();
            } catch (raw) {
              return report(this.ctx, id, raw, args, {});
            }
          }
          return this.handlerOf(id)(...args);
        }),
      );
    }
  }

  set(id: string, handler: Handler): void {
    if (this.handlers.has(id)) throw new Error(`The command ${id} is registered twice.`);
    this.handlers.set(id, handler);
    if (!this.loaders.has(id)) this.ctx.extension.subscriptions.push(vscode.commands.registerCommand(id, handler));
  }

  /** Every id registered so far, deferred or not. */
  ids(): string[] {
    return [...new Set([...this.loaders.keys(), ...this.handlers.keys()])];
  }

  /** Loads every deferred module; returns the deferred ids that their module left without a handler. */
  async loadAll(): Promise<string[]> {
    await Promise.all([...new Set(this.loaders.values())].map((load) => load()));
    return [...this.loaders.keys()].filter((id) => !this.handlers.has(id));
  }

  private handlerOf(id: string): Handler {
    const handler = this.handlers.get(id);
    if (!handler) throw new Error(`The module loaded for ${id} did not register it.`);
    return handler;
  }
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
