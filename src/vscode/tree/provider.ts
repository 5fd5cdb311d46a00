import * as vscode from 'vscode';
import { isPlugboardError } from '../../core/errors';
import { classifyError } from '../../core/health/classify';
import type { ConnectionProfile } from '../../core/model';
import type { PlugboardContext } from '../context';
import { withCancellableProgress } from '../progress';
import { ColumnNode, ConnectionNode, type ConnectionDecoration, EntityNode, EnumNode, GroupNode, GROUPS, MessageNode, NamespaceNode, type Group, type TreeNode } from './nodes';

export const VIEW_ID = 'plugboard.connections';

/** connections → schemas → tables / views / materialized views / enums → columns. */
export class ConnectionsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor(
    private readonly ctx: PlugboardContext,
    private readonly decorate: (profile: ConnectionProfile) => Promise<ConnectionDecoration> = async () => ({}),
  ) {
    this.disposables.push(
      toDisposable(ctx.schemas.onDidChange(() => this.refresh())),
      toDisposable(ctx.sessions.onDidChange(() => this.refresh())),
      toDisposable(ctx.profiles.onDidChange(() => this.refresh())),
      toDisposable(ctx.health.onDidChange(() => this.refresh())),
    );
  }

  refresh(): void {
    this.emitter.fire(undefined);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.toTreeItem();
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
      case 'entity': {
        const prefix = `col:${node.profile.id}:${node.ns.name}:${node.entity.name}`;
        return node.entity.fields.map((f) => new ColumnNode(node.entity, f, prefix));
      }
      default:
        return [];
    }
  }

  private async roots(): Promise<TreeNode[]> {
    try {
      const profiles = await this.ctx.profiles.list();
      void vscode.commands.executeCommand('setContext', 'plugboard.hasConnections', profiles.length > 0);
      return Promise.all(
        profiles.map(async (p) => new ConnectionNode(p, this.ctx.backendOf(p), this.ctx.sessions.isOpen(p.id), this.ctx.health.last(p.id), await this.decorate(p).catch(() => undefined))),
      );
    } catch (err) {
      const e = classifyError(err);
      this.ctx.log.error('tree', e);
      void vscode.commands.executeCommand('setContext', 'plugboard.hasConnections', true);
      return [new MessageNode(e.message, 'warning', { command: 'plugboard.openConnectionsFile', title: 'Open connections file' }, `${e.message}\n${e.hint}`)];
    }
  }

  private async namespaces(node: ConnectionNode): Promise<TreeNode[]> {
    try {
      const model = await (this.ctx.schemas.has(node.profile.id)
        ? this.ctx.schemas.model(node.profile)
        : withCancellableProgress(`Reading the schema of ${node.profile.name}`, (progress, signal) =>
            this.ctx.schemas.model(node.profile, { progress: (m) => progress.report({ message: m }), signal }),
          ));
      if (!model.namespaces.length) return [new MessageNode('No schemas (check the schema filters)', 'info')];
      return model.namespaces.map((ns) => new NamespaceNode(node.profile, ns));
    } catch (err) {
      const e = classifyError(err);
      if (e.code !== 'CANCELLED') this.ctx.log.error('tree', e);
      const retry = { command: 'plugboard.refresh', title: 'Retry', arguments: [node.profile.id] };
      return [new MessageNode(isPlugboardError(e) ? `${e.code}: ${e.message}` : String(e), 'error', retry, `${e.message}\n${e.hint}\nClick to retry.`)];
    }
  }

  private groups(node: NamespaceNode): TreeNode[] {
    const out: TreeNode[] = [];
    for (const g of GROUPS) {
      const count = node.ns.entities.filter((e) => (g.kinds as readonly string[]).includes(e.kind)).length;
      if (count) out.push(new GroupNode(node.profile, node.ns, g, count));
    }
    if (node.ns.enums.length) {
      const enums: Group = { key: 'enums', label: 'Enums', kinds: [], icon: 'symbol-enum' };
      out.push(new GroupNode(node.profile, node.ns, enums, node.ns.enums.length));
    }
    return out.length ? out : [new MessageNode('Empty schema', 'info')];
  }

  private members(node: GroupNode): TreeNode[] {
    if (node.group.key === 'enums') return node.ns.enums.map((e) => new EnumNode(node.profile, node.ns, e));
    const kinds = node.group.kinds as readonly string[];
    return node.ns.entities.filter((e) => kinds.includes(e.kind)).map((e) => new EntityNode(node.profile, node.ns, e, node.group.icon));
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}

function toDisposable(d: { dispose(): void }): vscode.Disposable {
  return new vscode.Disposable(() => d.dispose());
}
