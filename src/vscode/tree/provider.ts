import * as vscode from 'vscode';
import { findFieldOverride } from '../../core/codegen/overrides/edit';
import type { FieldOverride } from '../../core/codegen/overrides/file';
import { classifyError } from '../../core/health/classify';
import type { ConnectionProfile } from '../../core/model';
import type { PlugboardContext } from '../context';
import { adviceOf } from '../advice';
import { withCancellableProgress } from '../progress';
import {
  ConnectionNode,
  EntityNode,
  EnumNode,
  FacetGroupNode,
  FacetNode,
  facetsOf,
  FieldNode,
  FunctionNode,
  GroupNode,
  GROUPS,
  MessageNode,
  NamespaceNode,
  type ConnectionDecoration,
  type TreeNode,
} from './nodes';

export const VIEW_ID = 'plugboard.connections';

/**
 * connections → namespaces → Tables / Views / Collections / Functions / Enums… → entities → fields (nested for
 * documents), Indexes, Constraints. Models come from the schema service; the tree only arranges them.
 */
export class ConnectionsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor(
    private readonly ctx: PlugboardContext,
    private readonly decorate: (profile: ConnectionProfile) => Promise<ConnectionDecoration> = async () => ({}),
    /** A short summary of how a profile's generated client differs from the live schema, if it does. */
    private readonly driftOf: (profileId: string) => string | undefined = () => undefined,
  ) {
    this.disposables.push(
      toDisposable(ctx.schemas.onDidChange(() => this.refresh())),
      toDisposable(ctx.sessions.onDidChange(() => this.refresh())),
      toDisposable(ctx.profiles.onDidChange(() => this.refresh())),
      toDisposable(ctx.health.onDidChange(() => this.refresh())),
      toDisposable(ctx.overrides.onDidChange(() => this.refresh())),
    );
  }

  refresh(): void {
    this.emitter.fire(undefined);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  /** A table's tooltip, made when the pointer rests on its row rather than for every row shown. */
  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    if (node.type === 'entity') item.tooltip = node.tooltip();
    return item;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.roots();
    switch (node.type) {
      case 'connection':
        return this.namespaces(node);
      case 'namespace':
        return this.groups(node);
      case 'group':
        return this.members(node);
      case 'entity':
        return this.entityChildren(node);
      case 'field':
        return node.children.map((f) => new FieldNode(node, f, this.overrideOf(node, [...node.fieldPath, f.name])));
      case 'facets':
        return node.items.map((i) => new FacetNode(node, i));
      default:
        return [];
    }
  }

  /** The node for a model object, built the way getChildren builds it, for TreeView.reveal. */
  async find(profileId: string, namespace: string, entity?: string, field?: string): Promise<TreeNode | undefined> {
    const conn = (await this.roots()).find((n): n is ConnectionNode => n.type === 'connection' && n.profile.id === profileId);
    if (!conn) return undefined;
    const ns = (await this.namespaces(conn)).find((n): n is NamespaceNode => n.type === 'namespace' && n.ns.name === namespace);
    if (!ns || entity === undefined) return ns;
    for (const group of this.groups(ns)) {
      if (group.type !== 'group') continue;
      const hit = this.members(group).find((m): m is EntityNode => m.type === 'entity' && m.entity.name === entity);
      if (!hit || field === undefined) {
        if (hit) return hit;
        continue;
      }
      let at: EntityNode | FieldNode = hit;
      for (const part of field.split('.')) {
        const next: TreeNode | undefined = (await this.getChildren(at)).find((c): c is FieldNode => c.type === 'field' && c.field.name === part);
        if (!next || next.type !== 'field') return at;
        at = next;
      }
      return at;
    }
    return undefined;
  }

  private async roots(): Promise<TreeNode[]> {
    try {
      const profiles = await this.ctx.profiles.list();
      void vscode.commands.executeCommand('setContext', 'plugboard.hasConnections', profiles.length > 0);
      return Promise.all(
        profiles.map(async (p) => {
          const state = { connected: this.ctx.sessions.isOpen(p.id), health: this.ctx.health.last(p.id), drift: this.driftOf(p.id) };
          return new ConnectionNode(p, this.ctx.backendOf(p), state, await this.decorate(p).catch(() => undefined));
        }),
      );
    } catch (err) {
      const e = classifyError(err);
      this.ctx.log.error('tree', e);
      void vscode.commands.executeCommand('setContext', 'plugboard.hasConnections', true);
      return [new MessageNode(e.message, 'warning', { command: 'plugboard.openConnectionsFile', title: 'Open connections file' }, `${e.message}\n${e.hint}`)];
    }
  }

  private async namespaces(node: ConnectionNode): Promise<TreeNode[]> {
    const retry = { command: 'plugboard.refresh', title: 'Retry', arguments: [node.profile.id] };
    try {
      const model = await (this.ctx.schemas.has(node.profile.id)
        ? this.ctx.schemas.model(node.profile)
        : withCancellableProgress(`Reading the schema of ${node.profile.name}`, (progress, signal) =>
            this.ctx.schemas.model(node.profile, { progress: (m) => progress.report({ message: m }), signal }),
          ));
      if (!model.namespaces.length) return [new MessageNode('Nothing here (check the namespace filters)', 'info', undefined, undefined, node)];
      return model.namespaces.map((ns) => new NamespaceNode(node, ns));
    } catch (err) {
      const e = classifyError(err);
      if (e.code === 'CANCELLED') return [new MessageNode('Loading cancelled — click to try again', 'debug-pause', retry, undefined, node)];
      this.ctx.log.error('tree', e);
      return [new MessageNode(`${e.code}: ${e.message}`, 'error', retry, `${e.message}\n${e.hint}\nClick to retry.`, node)];
    }
  }

  private groups(node: NamespaceNode): TreeNode[] {
    const out: TreeNode[] = [];
    for (const g of GROUPS) {
      const n =
        g.key === 'functions' ? node.ns.functions.length : g.key === 'enums' ? node.ns.enums.length : node.ns.entities.filter((e) => (g.kinds as readonly string[]).includes(e.kind)).length;
      if (n) out.push(new GroupNode(node, g, n));
    }
    return out.length ? out : [new MessageNode('Empty', 'info', undefined, undefined, node)];
  }

  private members(node: GroupNode): TreeNode[] {
    if (node.group.key === 'enums') return node.ns.enums.map((e) => new EnumNode(node, e));
    if (node.group.key === 'functions') {
      const seen = new Map<string, number>();
      return node.ns.functions.map((r) => {
        const n = seen.get(r.name) ?? 0;
        seen.set(r.name, n + 1);
        return new FunctionNode(node, r, n);
      });
    }
    const kinds = node.group.kinds as readonly string[];
    const backend = this.ctx.backendOf(node.profile);
    const model = this.ctx.schemas.peek(node.profile.id);
    return node.ns.entities.filter((e) => kinds.includes(e.kind)).map((e) => new EntityNode(node, e, backend, adviceOf(model, node.ns.name, e.name)));
  }

  private entityChildren(node: EntityNode): TreeNode[] {
    const out: TreeNode[] = node.entity.fields.map((f) => new FieldNode(node, f, this.overrideOf(node, [f.name])));
    const { indexes, constraints } = facetsOf(node.entity);
    if (indexes.length) out.push(new FacetGroupNode(node, 'indexes', indexes));
    if (constraints.length) out.push(new FacetGroupNode(node, 'constraints', constraints));
    return out;
  }

  /** A field's entry in its connection's overrides file, as last read (the rows are redrawn when it changes). */
  private overrideOf(node: EntityNode | FieldNode, field: string[]): FieldOverride | undefined {
    const entityNode = node.type === 'entity' ? node : node.entityNode;
    const loaded = this.ctx.overrides.peek(entityNode.profile)?.loaded;
    return findFieldOverride(loaded?.overrides, { namespace: entityNode.ns.name, entity: entityNode.entity.name, field });
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}

function toDisposable(d: { dispose(): void }): vscode.Disposable {
  return new vscode.Disposable(() => d.dispose());
}
