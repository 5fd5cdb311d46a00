import * as vscode from 'vscode';
import { CAPABILITY_KEYS, type BackendModule } from '../../core/backend';
import { sqlOf, type ConnectionProfile, type Entity, type EnumType, type Field, type HealthReport, type Namespace } from '../../core/model';

/**
 * One class per tree level. `contextValue` drives the menus in package.json (`viewItem == …`); the data
 * behind a node is plain model data, kept apart from the tree.
 */
export type TreeNode = ConnectionNode | NamespaceNode | GroupNode | EntityNode | EnumNode | ColumnNode | MessageNode;

/** Kind-specific extras for a connection row: menu tokens and a status such as "needs sign-in". */
export interface ConnectionDecoration {
  /** Extra contextValue tokens, e.g. `oauth2` or `webhook` for REST connections. */
  tokens?: string[];
  status?: string;
}

/**
 * The connection row's contextValue: `connection`, its state, then what its backend can do, space-separated
 * (`connection connected introspect crud editable url`). Menus match tokens (`viewItem =~ /\bcrud\b/`),
 * never kind names, so a new backend gets the right menus from its capabilities.
 */
export function connectionContext(backend: BackendModule, profile: ConnectionProfile, connected: boolean, extra: readonly string[] = []): string {
  const caps = CAPABILITY_KEYS.filter((k) => backend.capabilities[k]);
  const tokens = ['connection', connected ? 'connected' : 'disconnected', ...caps];
  if (backend.form.length) tokens.push('editable');
  const options = backend.options.safeParse(profile.options);
  if (options.success && backend.format(options.data) !== undefined) tokens.push('url');
  return [...tokens, ...extra].join(' ');
}

export class ConnectionNode {
  readonly type = 'connection';
  constructor(
    readonly profile: ConnectionProfile,
    readonly backend: BackendModule,
    readonly connected: boolean,
    readonly health: HealthReport | undefined,
    readonly decoration: ConnectionDecoration = {},
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.profile.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `connection:${this.profile.id}`;
    const kind = this.backend.label;
    const options = this.backend.options.safeParse(this.profile.options);
    const where = options.success ? this.backend.describe(options.data) : undefined;
    item.description = [kind, where, this.decoration.status].filter(Boolean).join(' · ');
    const status = this.health?.status ?? 'unknown';
    item.iconPath =
      status === 'ok'
        ? new vscode.ThemeIcon('database', new vscode.ThemeColor('testing.iconPassed'))
        : status === 'error'
          ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'))
          : new vscode.ThemeIcon('database');
    item.contextValue = connectionContext(this.backend, this.profile, this.connected, this.decoration.tokens);
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`**${escapeMd(this.profile.name)}** — ${escapeMd(kind)}\n\n`);
    tip.appendMarkdown(`Status: ${status}${this.health?.latencyMs !== undefined ? ` · last latency ${this.health.latencyMs} ms` : ''}\n\n`);
    if (this.health?.serverVersion) tip.appendMarkdown(`Server: ${escapeMd(this.health.serverVersion)}\n\n`);
    if (this.decoration.status) tip.appendMarkdown(`Account: ${escapeMd(this.decoration.status)}\n\n`);
    if (this.health?.error) tip.appendMarkdown(`$(error) ${escapeMd(this.health.error.code)}: ${escapeMd(this.health.error.message)}\n\n`);
    if (this.health?.checkedAt) tip.appendMarkdown(`Checked ${new Date(this.health.checkedAt).toLocaleTimeString()}`);
    item.tooltip = tip;
    return item;
  }
}

export class NamespaceNode {
  readonly type = 'namespace';
  constructor(
    readonly profile: ConnectionProfile,
    readonly ns: Namespace,
  ) {}
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.ns.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `ns:${this.profile.id}:${this.ns.name}`;
    item.iconPath = new vscode.ThemeIcon('symbol-namespace');
    item.description = `${this.ns.entities.length} objects`;
    item.contextValue = 'namespace';
    return item;
  }
}

export const GROUPS = [
  { key: 'tables', label: 'Tables', kinds: ['table', 'partitioned_table', 'foreign_table'], icon: 'table' },
  { key: 'views', label: 'Views', kinds: ['view'], icon: 'eye' },
  { key: 'matviews', label: 'Materialized Views', kinds: ['materialized_view'], icon: 'layers' },
  { key: 'collections', label: 'Collections', kinds: ['collection'], icon: 'json' },
  { key: 'endpoints', label: 'Endpoints', kinds: ['endpoint'], icon: 'globe' },
] as const;
export type Group = (typeof GROUPS)[number] | { key: 'enums'; label: 'Enums'; kinds: readonly []; icon: 'symbol-enum' };

export class GroupNode {
  readonly type = 'group';
  constructor(
    readonly profile: ConnectionProfile,
    readonly ns: Namespace,
    readonly group: Group,
    readonly count: number,
  ) {}
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.group.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `group:${this.profile.id}:${this.ns.name}:${this.group.key}`;
    item.description = String(this.count);
    item.iconPath = new vscode.ThemeIcon(this.group.icon);
    item.contextValue = 'group';
    return item;
  }
}

export class EntityNode {
  readonly type = 'entity';
  constructor(
    readonly profile: ConnectionProfile,
    readonly ns: Namespace,
    readonly entity: Entity,
    readonly icon: string,
  ) {}
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.entity.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `entity:${this.profile.id}:${this.ns.name}:${this.entity.name}`;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.description = `${this.entity.fields.length} columns${this.entity.kind === 'partitioned_table' ? ' · partitioned' : ''}`;
    item.tooltip = this.entity.comment ?? `${this.entity.kind.replace(/_/g, ' ')} ${this.ns.name}.${this.entity.name}`;
    item.contextValue = `entity.${this.entity.kind}`;
    return item;
  }
}

export class EnumNode {
  readonly type = 'enum';
  constructor(
    readonly profile: ConnectionProfile,
    readonly ns: Namespace,
    readonly enumType: EnumType,
  ) {}
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.enumType.name, vscode.TreeItemCollapsibleState.None);
    item.id = `enum:${this.profile.id}:${this.ns.name}:${this.enumType.name}`;
    item.iconPath = new vscode.ThemeIcon('symbol-enum');
    item.description = this.enumType.values.join(' | ');
    item.contextValue = 'enum';
    return item;
  }
}

export class ColumnNode {
  readonly type = 'column';
  constructor(
    readonly entity: Entity,
    readonly field: Field,
    readonly idPrefix: string,
  ) {}
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.field.name, vscode.TreeItemCollapsibleState.None);
    item.id = `${this.idPrefix}:${this.field.name}`;
    const pk = this.entity.primaryKey?.columns.includes(this.field.name) ?? false;
    const fk = this.entity.relations.find((r) => r.columns.includes(this.field.name));
    const marks = [this.field.nativeType];
    if (pk) marks.push('PK');
    if (fk) marks.push(`FK → ${fk.target.entity}`);
    const sql = sqlOf(this.field);
    if (sql.generated) marks.push('generated');
    if (sql.identity || sql.autoIncrement) marks.push(sql.identity ? 'identity' : 'auto increment');
    if (this.field.optional) marks.push('optional');
    marks.push(this.field.nullable ? 'null' : 'not null');
    item.description = marks.join(' · ');
    item.iconPath = new vscode.ThemeIcon(pk ? 'key' : fk ? 'references' : 'symbol-field');
    item.tooltip = this.field.comment ?? item.description;
    item.contextValue = 'column';
    return item;
  }
}

/** A leaf that explains something: an error, an empty schema, a malformed connections file. */
export class MessageNode {
  readonly type = 'message';
  constructor(
    readonly message: string,
    readonly icon: string,
    readonly command?: vscode.Command,
    readonly tooltip?: string,
  ) {}
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.message, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.command = this.command;
    item.tooltip = this.tooltip ?? this.message;
    item.contextValue = 'message';
    return item;
  }
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
