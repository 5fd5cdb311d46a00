import * as vscode from 'vscode';
import { PlugboardError } from '../../core/errors';
import type { ConnectionProfile, Entity, Namespace } from '../../core/model';
import { PreviewCache } from '../../core/preview';
import type { PlugboardContext } from '../context';
import type { PreviewPanel, PreviewTarget } from './previewPanel';
import type { PreviewService } from './previewService';

/** Preview Data called from code: which entity of which connection. */
export interface PreviewArgs {
  profileId: string;
  namespace: string;
  entity: string;
  /** For nested collections: the entity's path in the model. */
  path?: string;
}

/**
 * Preview Data: one panel per entity, brought to the front when it is already open. Resolves to the panel
 * (programmatic callers and the tests read its state), or undefined when the pick was dismissed.
 */
export class PreviewPanels implements vscode.Disposable {
  private readonly open = new Map<string, PreviewPanel>();

  constructor(
    private readonly ctx: PlugboardContext,
    private readonly service: PreviewService,
    private readonly pageSize: () => number,
  ) {}

  async show(arg: unknown): Promise<PreviewPanel | undefined> {
    const target = await this.resolve(arg);
    if (!target) return undefined;
    const backend = this.ctx.backends.get(target.profile.kind);
    if (!backend.capabilities.preview) {
      throw new PlugboardError('INVALID_CONFIG', `${backend.label} connections cannot preview data.`, { hint: 'Preview Data works for backends that can read rows, such as PostgreSQL.' });
    }
    // The panel's host (and the zod schemas of its messages) loads with the first panel; before the check
    // below, so that two quick calls still share one panel.
    const { PreviewPanel } = await import('./previewPanel');
    const key = PreviewCache.key(target.profile.id, [target.ref.namespace, target.ref.entity, target.ref.path ?? '']);
    const existing = this.open.get(key);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = new PreviewPanel(key, target, {
      service: this.service,
      log: this.ctx.log,
      extensionUri: this.ctx.extension.extensionUri,
      pageSize: this.pageSize,
      // The tree has usually read the model already; otherwise it is read once and cached for everyone. It
      // gets no signal: cancelling a page must not fail a read that the tree may be waiting for too.
      model: async (profile) => this.ctx.schemas.peek(profile.id) ?? this.ctx.schemas.model(profile),
    }, () => this.open.delete(key));
    this.open.set(key, panel);
    return panel;
  }

  /** The open panels, for the tests. */
  get panels(): readonly PreviewPanel[] {
    return [...this.open.values()];
  }

  dispose(): void {
    for (const panel of [...this.open.values()]) panel.dispose();
  }

  private async resolve(arg: unknown): Promise<PreviewTarget | undefined> {
    if (isEntityNode(arg)) return { profile: arg.profile, ref: { namespace: arg.ns.name, entity: arg.entity.name, path: arg.entity.path } };
    if (isPreviewArgs(arg)) {
      const profile = await this.ctx.profiles.get(arg.profileId);
      return { profile, ref: { namespace: arg.namespace, entity: arg.entity, path: arg.path } };
    }
    return this.pick();
  }

  /** Every entity of the connections whose model is loaded (connected ones), from the cached models. */
  private async pick(): Promise<PreviewTarget | undefined> {
    const items: (vscode.QuickPickItem & { target: PreviewTarget })[] = [];
    for (const profile of await this.ctx.profiles.list()) {
      const model = this.ctx.schemas.peek(profile.id);
      if (!model || !this.ctx.backends.find(profile.kind)?.capabilities.preview) continue;
      for (const ns of model.namespaces) {
        for (const entity of ns.entities) {
          items.push({ label: entity.path ?? entity.name, description: `${ns.name} · ${profile.name}`, detail: entity.kind.replace(/_/g, ' '), target: { profile, ref: { namespace: ns.name, entity: entity.name, path: entity.path } } });
        }
      }
    }
    if (!items.length) {
      throw new PlugboardError('NOT_FOUND', 'No connected schema to preview.', { hint: 'Expand a connection in the Plugboard view (or run "Plugboard: Connect") first.' });
    }
    const pick = await vscode.window.showQuickPick(items, { title: 'Preview Data', placeHolder: 'Which table, view or collection?', matchOnDescription: true });
    return pick?.target;
  }
}

function isEntityNode(arg: unknown): arg is { profile: ConnectionProfile; ns: Namespace; entity: Entity } {
  const node = arg as { type?: unknown; profile?: unknown; ns?: { name?: unknown }; entity?: { name?: unknown } } | undefined;
  return typeof node === 'object' && node !== null && node.type === 'entity' && !!node.profile && typeof node.ns?.name === 'string' && typeof node.entity?.name === 'string';
}

function isPreviewArgs(arg: unknown): arg is PreviewArgs {
  const a = arg as Partial<PreviewArgs> | undefined;
  return typeof a === 'object' && a !== null && typeof a.profileId === 'string' && typeof a.namespace === 'string' && typeof a.entity === 'string';
}
