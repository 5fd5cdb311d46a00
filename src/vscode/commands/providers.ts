import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PlugboardError } from '../../core/errors';
import type { ProviderEntry, ProviderFilter, ProviderRegistry } from '../../core/registry';
import { workspaceRoot, type PlugboardContext } from '../context';
import { register } from './index';
import { ProviderCommands, type ProviderServices } from './providerIds';
import { registerRestConnectionCommands } from './restConnections';

export { ProviderCommands, type ProviderServices } from './providerIds';

/**
 * Providers as data in the editor: Discover / Import / Export over the registry that providerServices.ts
 * keeps. Every handler takes arguments so tests and other commands can run it without UI.
 */
export interface ProviderSummary {
  id: string;
  name: string;
  category: string;
  version: string;
  authType: string;
  source: ProviderEntry['source'];
  file?: string;
}

function summary(e: ProviderEntry): ProviderSummary {
  const d = e.definition;
  return { id: d.id, name: d.name, category: d.category, version: d.version, authType: d.authType, source: e.source, file: e.file };
}

/** Discover / Import / Export providers, and the REST connection commands built on them. */
export function registerProviderCommands(ctx: PlugboardContext, services: ProviderServices, refreshTree: () => void): void {
  const { registry, ready } = services;
  register(ctx, ProviderCommands.discoverProviders, async (filter?: ProviderFilter & { pick?: string }) => {
    await ready;
    return filter ? discoverWith(registry, filter) : discoverInteractive(ctx, registry);
  }, { optionsArgument: true });
  register(ctx, ProviderCommands.importProvider, async (args?: ImportArgs) => {
    await ready;
    const result = await importProvider(registry, args);
    if (result) void services.reload();
    return result;
  }, { optionsArgument: true });
  register(ctx, ProviderCommands.exportProvider, async (args?: string | { id?: string; file?: string }) => {
    await ready;
    return exportProvider(registry, typeof args === 'string' ? { id: args } : args);
  }, { optionsArgument: true });
  registerRestConnectionCommands(ctx, services, refreshTree);
}

function discoverWith(registry: ProviderRegistry, filter: ProviderFilter & { pick?: string }): ProviderSummary[] {
  const list = registry.list(filter).map(summary);
  return filter.pick ? list.filter((s) => s.id === filter.pick) : list;
}

/** Category first (when there are several), then the providers with text filtering by the quick pick. */
async function discoverInteractive(ctx: PlugboardContext, registry: ProviderRegistry): Promise<ProviderSummary | undefined> {
  const categories = registry.categories();
  let category: string | undefined;
  if (categories.length > 1) {
    const all = '$(list-flat) All categories';
    const pick = await vscode.window.showQuickPick([all, ...categories], { placeHolder: 'Filter providers by category' });
    if (!pick) return undefined;
    category = pick === all ? undefined : pick;
  }
  const chosen = await vscode.window.showQuickPick(
    registry.list({ category }).map((e) => ({
      label: e.definition.name,
      description: `${e.definition.category} · ${e.definition.authType} · ${e.source === 'builtin' ? 'template' : e.source} ${e.definition.version}`,
      detail: e.definition.description,
      entry: e,
    })),
    { placeHolder: 'Type to search providers by name or description', matchOnDescription: true, matchOnDetail: true },
  );
  if (!chosen) return undefined;
  const action = await vscode.window.showQuickPick(['Add a connection…', 'Export…', 'Show definition'], { placeHolder: chosen.entry.definition.name });
  if (action === 'Add a connection…') await vscode.commands.executeCommand(ProviderCommands.addRestConnection, { provider: chosen.entry.definition.id, interactive: true });
  else if (action === 'Export…') await exportProvider(registry, { id: chosen.entry.definition.id });
  else if (action === 'Show definition') {
    const doc = await vscode.workspace.openTextDocument({ language: 'json', content: registry.export(chosen.entry.definition.id) });
    await vscode.window.showTextDocument(doc, { preview: true });
  }
  ctx.log.info('providers', `Discover: ${chosen.entry.definition.id}`);
  return summary(chosen.entry);
}

export interface ImportArgs {
  file?: string;
  text?: string;
  target?: 'workspace' | 'user';
  /** Replace a newer (or same-version, different) definition without asking. */
  force?: boolean;
}

async function importProvider(registry: ProviderRegistry, args: ImportArgs | undefined): Promise<(ProviderSummary & { status: string }) | undefined> {
  const interactive = !args;
  let file = args?.file;
  if (!file && args?.text === undefined) {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Provider definition': ['json'] }, openLabel: 'Import' });
    file = picked?.[0]?.fsPath;
    if (!file) return undefined;
  }
  const text = args?.text ?? (await fs.readFile(file!, 'utf8'));
  const location = file ?? 'import';
  const preview = registry.preview(text, location);
  const hasFolder = !!registry.folder('workspace');
  let target = args?.target ?? (hasFolder ? 'workspace' : 'user');
  let force = args?.force ?? false;
  if (interactive) {
    const warn = preview.status === 'downgrade' ? `\n\nThis is OLDER than the installed ${preview.existing?.definition.version}.` : preview.status === 'changed' ? '\n\nThe installed definition has the same version but different content.' : '';
    const buttons = [...(hasFolder ? ['Import to workspace'] : []), 'Import for me only'];
    const choice = await vscode.window.showInformationMessage(`Import provider ${preview.definition.name}?`, { modal: true, detail: `${preview.description.join('\n')}${warn}` }, ...buttons);
    if (!choice) return undefined;
    target = choice === 'Import to workspace' ? 'workspace' : 'user';
    force = preview.status === 'downgrade' || preview.status === 'changed';
  }
  const stored = await registry.import(text, { target, force, location });
  const entry = registry.require(stored.definition.id);
  if (interactive) void vscode.window.showInformationMessage(`Imported ${stored.definition.name} ${stored.definition.version} (${stored.status}).`);
  return { ...summary(entry), status: stored.status };
}

async function exportProvider(registry: ProviderRegistry, args: { id?: string; file?: string } = {}): Promise<string | undefined> {
  let id = args.id;
  if (!id) {
    const pick = await vscode.window.showQuickPick(registry.list().map((e) => ({ label: e.definition.name, description: e.definition.id, id: e.definition.id })), { placeHolder: 'Provider to export' });
    id = pick?.id;
  }
  if (!id) return undefined;
  registry.require(id);
  let file = args.file;
  if (!file) {
    const root = workspaceRoot();
    const uri = await vscode.window.showSaveDialog({ defaultUri: root ? vscode.Uri.file(path.join(root, `${id}.json`)) : undefined, filters: { 'Provider definition': ['json'] } });
    file = uri?.fsPath;
  }
  if (!file) return undefined;
  if (path.extname(file) !== '.json') throw new PlugboardError('INVALID_CONFIG', 'Export to a .json file.');
  await registry.exportToFile(id, file);
  if (!args.file) void vscode.window.showInformationMessage(`Exported ${id} (no secrets are included).`);
  return file;
}
