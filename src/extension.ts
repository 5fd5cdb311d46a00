import * as vscode from 'vscode';
import { BACKENDS } from './backends';
import { credentialsKey } from './core/profiles/secrets';
import { GeneratedCodeLensProvider } from './vscode/codelens/provider';
import { registerCodegenCommands } from './vscode/commands/codegen';
import { registerConnectionCommands, secretKeysOf } from './vscode/commands/connections';
import { registerProviderCommands, type ProviderServices } from './vscode/commands/providers';
import { ProviderCommands } from './vscode/commands/providerIds';
import { forgetRestConnection, oauthStatus } from './vscode/commands/restConnections';
import type { ConnectionProfile } from './core/model';
import { registerBrowseCommands } from './vscode/commands/browse';
import { registerHealthCommands } from './vscode/commands/health';
import { DriftMonitor } from './vscode/drift';
import { AutoRegenerator } from './vscode/autoRegenerate';
import { registerOverrideCommands } from './vscode/overrides/commands';
import { GeneratedDiagnostics } from './vscode/advice';
import { PlugboardContext } from './vscode/context';
import { HealthStatusBar } from './vscode/statusBar';
import { registerWebviews } from './vscode/webview';
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

  const providers = registerProviderCommands(ctx, () => tree.refresh());
  registerConnectionCommands(ctx, () => tree.refresh(), {
    beforeRemove: (profile) => forgetRestConnection(ctx, providers, profile),
    addCommandFor: (kind) => (kind === 'http' ? ProviderCommands.addRestConnection : undefined),
  });
  registerCodegenCommands(ctx);
  registerOverrideCommands(ctx);
  registerHealthCommands(ctx, codeLens);
  registerBrowseCommands(ctx, async (target) => {
    const node = await tree.find(target.profileId, target.namespace, target.entity, target.field);
    if (node) await treeView.reveal(node, { select: true, focus: true, expand: target.field === undefined ? false : 1 });
  });
  registerWebviews(ctx);

  // The shared connections file may change under us (git pull, a teammate's edit, a hand fix).
  const watcher = vscode.workspace.createFileSystemWatcher('**/.plugboard/connections.json');
  const reload = () => ctx.profiles.invalidate();
  extension.subscriptions.push(watcher, watcher.onDidChange(reload), watcher.onDidCreate(reload), watcher.onDidDelete(reload));
  // Another window changed a secret: drop sessions built with the old one. The key is matched against the
  // keys each profile owns, never parsed.
  extension.subscriptions.push(extension.secrets.onDidChange(async (e) => {
    const profiles = await ctx.profiles.list().catch(() => []);
    const owner = profiles.find((p) => secretKeysOf(p).includes(e.key));
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
