import * as vscode from 'vscode';
import { BACKENDS } from './backends';
import { credentialsKey, secretKeysOf } from './core/profiles/secrets';
import { GeneratedCodeLensProvider } from './vscode/codelens/provider';
import { Commands, type CommandTable } from './vscode/commands/index';
import { ProviderCommands, type ProviderServices } from './vscode/commands/providerIds';
import { createProviderServices, oauthStatus } from './vscode/commands/providerServices';
import type { ConnectionProfile } from './core/model';
import { DriftMonitor } from './vscode/drift';
import { AutoRegenerator } from './vscode/autoRegenerate';
import { GeneratedDiagnostics } from './vscode/advice';
import { PlugboardContext } from './vscode/context';
import { HealthStatusBar } from './vscode/statusBar';
import { WebviewCommands } from './vscode/webview/ids';
import { ConnectionsTreeProvider, VIEW_ID } from './vscode/tree/provider';
import type { ConnectionDecoration, TreeNode } from './vscode/tree/nodes';

/** What activate() returns: the live services, for the extension-host tests and other extensions. */
export interface PlugboardApi {
  context: PlugboardContext;
  tree: ConnectionsTreeProvider;
  codeLens: GeneratedCodeLensProvider;
  statusBar: HealthStatusBar;
  drift: DriftMonitor;
  /** `plugboard.codegen.autoRegenerate`'s watchers. */
  autoRegenerate: AutoRegenerator;
  treeView: vscode.TreeView<TreeNode>;
  /** Every command, and the modules that handle them (loaded on first use). */
  commands: CommandTable;
  /** Whether SecretStorage holds credentials for a profile (never the value). */
  hasSecret(profileId: string): Promise<boolean>;
}

export function activate(extension: vscode.ExtensionContext): PlugboardApi {
  const ctx = new PlugboardContext(extension, BACKENDS);
  // The tree asks the provider services for REST connections' sign-in state; they are made right below,
  // before the tree first asks.
  const drift = new DriftMonitor(ctx);
  const diagnostics = new GeneratedDiagnostics(ctx);
  const tree = new ConnectionsTreeProvider(ctx, (p) => decorate(p, providers), (id) => drift.summary(id));
  const codeLens = new GeneratedCodeLensProvider(ctx);
  const statusBar = new HealthStatusBar(ctx, drift);
  const treeView = vscode.window.createTreeView<TreeNode>(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const autoRegenerate = new AutoRegenerator(ctx);
  extension.subscriptions.push(
    // Watchers stop before the sessions they read through close.
    autoRegenerate,
    ctx,
    drift,
    diagnostics,
    tree,
    codeLens,
    statusBar,
    treeView,
    drift.onDidChange(() => tree.refresh()),
    vscode.languages.registerCodeLensProvider([{ language: 'typescript', scheme: 'file' }, { language: 'javascript', scheme: 'file' }], codeLens),
  );

  const refresh = () => tree.refresh();
  const providers = createProviderServices(ctx, refresh);
  // Each command module is loaded when one of its commands first runs, not at startup. The ids listed for a
  // module are the ones it registers (the extension-host tests check each list against its module and
  // against package.json).
  const handlers = () => import('./vscode/commands/handlers');
  const defer = (ids: readonly string[], load: () => Promise<void>) => ctx.commands.defer(ids, load);
  defer(
    [
      Commands.addConnection, Commands.editConnection, Commands.openDemo, Commands.removeConnection, Commands.copyConnectionString,
      Commands.connect, Commands.disconnect, Commands.testConnection, Commands.refresh, Commands.refreshAll, Commands.openConnectionsFile,
    ],
    async () => {
      const { registerConnectionCommands, forgetRestConnection } = await handlers();
      registerConnectionCommands(ctx, refresh, {
        beforeRemove: (profile) => forgetRestConnection(ctx, providers, profile),
        addCommandFor: (kind) => (kind === 'http' ? ProviderCommands.addRestConnection : undefined),
      });
    },
  );
  defer(Object.values(ProviderCommands), async () => (await handlers()).registerProviderCommands(ctx, providers, refresh));
  defer([Commands.generateClient, Commands.regenerateClient], async () => (await handlers()).registerCodegenCommands(ctx));
  defer([Commands.overrideType, Commands.markNotNull, Commands.markNullable, Commands.clearOverride], async () => (await handlers()).registerOverrideCommands(ctx));
  defer([Commands.checkHealth, Commands.checkHealthAll, Commands.checkDrift, Commands.showLog], async () => (await handlers()).registerHealthCommands(ctx, codeLens));
  defer([Commands.copyName, Commands.copySelect, Commands.showDdl, Commands.openGeneratedType, Commands.searchSchema], async () =>
    (await handlers()).registerBrowseCommands(ctx, async (target) => {
      const node = await tree.find(target.profileId, target.namespace, target.entity, target.field);
      if (node) await treeView.reveal(node, { select: true, focus: true, expand: target.field === undefined ? false : 1 });
    }),
  );
  defer(Object.values(WebviewCommands), async () => void (await handlers()).registerWebviews(ctx));

  // The shared connections file may change under us (git pull, a teammate's edit, a hand fix).
  const watcher = vscode.workspace.createFileSystemWatcher('**/.plugboard/connections.json');
  const reload = () => ctx.profiles.invalidate();
  extension.subscriptions.push(watcher, watcher.onDidChange(reload), watcher.onDidCreate(reload), watcher.onDidDelete(reload));
  // Another window changed a secret: drop sessions built with the old one. The key is matched against the
  // keys each profile owns, never parsed.
  extension.subscriptions.push(extension.secrets.onDidChange(async (e) => {
    const profiles = await ctx.profiles.list().catch(() => []);
    const owner = profiles.find((p) => secretKeysOf(p).some((key) => key === e.key));
    if (owner) await ctx.sessions.close(owner.id);
  }));

  ctx.log.info('extension', `Activated (${vscode.workspace.workspaceFolders?.length ? ctx.profiles.location : 'no folder open'})`);
  return {
    context: ctx,
    tree,
    codeLens,
    statusBar,
    drift,
    autoRegenerate,
    treeView,
    commands: ctx.commands,
    hasSecret: async (profileId) => (await extension.secrets.get(credentialsKey(profileId))) !== undefined,
  };
}

/** REST connections carry their auth type into the menus and "expires in …" / "needs sign-in" into the row. */
async function decorate(profile: ConnectionProfile, providers: ProviderServices): Promise<ConnectionDecoration> {
  if (profile.kind !== 'http') return {};
  const provider = typeof profile.options.provider === 'string' ? profile.options.provider : undefined;
  const definition = provider ? providers.registry.get(provider)?.definition : undefined;
  const status = await oauthStatus(providers, profile).catch(() => undefined);
  const tokens = [definition?.authType ?? 'none', ...(definition?.auth.webhook ? ['webhook'] : [])];
  return { tokens, status: status?.label };
}

export function deactivate(): void {
  // Disposables in context.subscriptions close sessions; the demo database stops with the process.
}
