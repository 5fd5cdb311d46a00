import * as vscode from 'vscode';
import { CAPABILITY_KEYS, type BackendModule } from '../../core/backend';
import type { Advice } from '../../core/advise/rls';
import type { FieldOverride } from '../../core/codegen/overrides/file';
import { adviceLabel } from '../advice';
import { sqlOf, type ConnectionProfile, type Entity, type EnumType, type Field, type HealthReport, type Index, type Namespace, type Routine } from '../../core/model';

/**
 * One class per tree level. Every node knows its parent (for reveal), `contextValue` drives the menus in
 * package.json as space-separated tokens (`entity table preview ddl`), and the data behind a node is plain
 * model data, kept apart from the tree.
 */
export type TreeNode = ConnectionNode | NamespaceNode | GroupNode | EntityNode | EnumNode | FunctionNode | FieldNode | FacetGroupNode | FacetNode | MessageNode;

/** Kind-specific extras for a connection row: menu tokens and a status such as "needs sign-in". */
export interface ConnectionDecoration {
  /** Extra contextValue tokens, e.g. `oauth2` or `webhook` for REST connections. */
  tokens?: string[];
  status?: string;
}

/** What a connection row shows besides its profile: the session, the last health check, drift. */
export interface ConnectionState {
  connected: boolean;
  health?: HealthReport;
  /** The generated client no longer matches the live schema (a short summary of what changed). */
  drift?: string;
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
  readonly parent = undefined;
  constructor(
    readonly profile: ConnectionProfile,
    readonly backend: BackendModule,
    readonly state: ConnectionState,
    readonly decoration: ConnectionDecoration = {},
  ) {}

  toTreeItem(): vscode.TreeItem {
    const { health, connected, drift } = this.state;
    const item = new vscode.TreeItem(this.profile.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `connection:${this.profile.id}`;
    const options = this.backend.options.safeParse(this.profile.options);
    const where = options.success ? this.backend.describe(options.data) : undefined;
    item.description = [this.backend.label, where, drift ? 'schema changed' : undefined, this.decoration.status].filter(Boolean).join(' · ');
    const status = health?.status ?? 'unknown';
    // Failing beats drifted beats connected: the icon says what needs attention first.
    item.iconPath =
      status === 'error'
        ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'))
        : drift
          ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
          : connected
            ? new vscode.ThemeIcon('plug', new vscode.ThemeColor(status === 'ok' ? 'testing.iconPassed' : 'foreground'))
            : new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('disabledForeground'));
    item.contextValue = connectionContext(this.backend, this.profile, connected, [...(this.decoration.tokens ?? []), ...(drift ? ['drifted'] : [])]);
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`**${escapeMd(this.profile.name)}** — ${escapeMd(this.backend.label)}${where ? ` · ${escapeMd(where)}` : ''}\n\n`);
    tip.appendMarkdown(`${connected ? 'Connected' : 'Not connected'} · health: ${status}${health?.latencyMs !== undefined ? ` · last latency ${health.latencyMs} ms` : ''}\n\n`);
    if (health?.serverVersion) tip.appendMarkdown(`Server: ${escapeMd(health.serverVersion)}\n\n`);
    if (this.decoration.status) tip.appendMarkdown(`Account: ${escapeMd(this.decoration.status)}\n\n`);
    if (drift) tip.appendMarkdown(`$(warning) The generated client is out of date: ${escapeMd(drift)}\n\n`);
    if (health?.error) tip.appendMarkdown(`$(error) ${escapeMd(health.error.code)}: ${escapeMd(health.error.message)}\n\n`);
    if (health?.checkedAt) tip.appendMarkdown(`Checked ${new Date(health.checkedAt).toLocaleTimeString()}`);
    item.tooltip = tip;
    return item;
  }
}

export class NamespaceNode {
  readonly type = 'namespace';
  constructor(
    readonly parent: ConnectionNode,
    readonly ns: Namespace,
  ) {}
  get profile(): ConnectionProfile {
    return this.parent.profile;
  }
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
  { key: 'functions', label: 'Functions', kinds: [], icon: 'symbol-method' },
  { key: 'enums', label: 'Enums', kinds: [], icon: 'symbol-enum' },
] as const;
export type Group = (typeof GROUPS)[number];

export class GroupNode {
  readonly type = 'group';
  constructor(
    readonly parent: NamespaceNode,
    readonly group: Group,
    readonly count: number,
  ) {}
  get profile(): ConnectionProfile {
    return this.parent.profile;
  }
  get ns(): Namespace {
    return this.parent.ns;
  }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.group.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `group:${this.profile.id}:${this.ns.name}:${this.group.key}`;
    item.description = String(this.count);
    item.iconPath = new vscode.ThemeIcon(this.group.icon);
    item.contextValue = 'group';
    return item;
  }
}

const count = (n: number, what: string) => `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;

export class EntityNode {
  readonly type = 'entity';
  constructor(
    readonly parent: GroupNode,
    readonly entity: Entity,
    readonly backend: BackendModule,
    /** Row-level security advice about this table (Supabase). */
    readonly advice: readonly Advice[] = [],
  ) {}
  get profile(): ConnectionProfile {
    return this.parent.profile;
  }
  get ns(): Namespace {
    return this.parent.ns;
  }
  toTreeItem(): vscode.TreeItem {
    const e = this.entity;
    const item = new vscode.TreeItem(e.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `entity:${this.profile.id}:${this.ns.name}:${e.name}`;
    item.iconPath = new vscode.ThemeIcon(this.parent.group.icon);
    const what = e.kind === 'collection' ? 'field' : e.kind === 'endpoint' ? 'parameter' : 'column';
    const bits = [count(e.fields.length, what)];
    if (e.stats?.rows !== undefined && e.stats.rows >= 0) bits.push(`~${count(e.stats.rows, e.kind === 'collection' ? 'document' : 'row')}`);
    if (e.kind === 'partitioned_table') bits.push('partitioned');
    if (e.sql?.updatable) bits.push('updatable');
    const warning = adviceLabel(this.advice);
    if (warning) bits.unshift(`⚠ ${warning}`);
    item.description = bits.join(' · ');
    if (warning) item.iconPath = new vscode.ThemeIcon(this.parent.group.icon, new vscode.ThemeColor('list.warningForeground'));
    // No tooltip here: the tree resolves it on hover (`tooltip()`), so expanding 5,000 tables builds and sends none.
    const tokens = ['entity', e.kind];
    if (this.backend.capabilities.preview && e.kind !== 'endpoint') tokens.push('preview');
    if (this.backend.capabilities.ddl && e.kind !== 'collection' && e.kind !== 'endpoint') tokens.push('ddl');
    item.contextValue = tokens.join(' ');
    return item;
  }

  /** The row's hover: what it is, its comment, how it was inferred, and any advice. */
  tooltip(): vscode.MarkdownString {
    const e = this.entity;
    const tip = new vscode.MarkdownString(`**${escapeMd(e.kind.replace(/_/g, ' '))} ${escapeMd(this.ns.name)}.${escapeMd(e.name)}**`);
    if (e.path) tip.appendMarkdown(`\n\nPath: \`${e.path.replace(/`/g, "'")}\``);
    if (e.comment) tip.appendMarkdown(`\n\n${escapeMd(e.comment)}`);
    if (e.stats?.sample) tip.appendMarkdown(`\n\nInferred from ${e.stats.sample.seen.toLocaleString('en-US')} sampled documents`);
    for (const a of this.advice) tip.appendMarkdown(`\n\n$(warning) ${escapeMd(a.message)}`);
    return tip;
  }
}

export class EnumNode {
  readonly type = 'enum';
  constructor(
    readonly parent: GroupNode,
    readonly enumType: EnumType,
  ) {}
  get profile(): ConnectionProfile {
    return this.parent.profile;
  }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.enumType.name, vscode.TreeItemCollapsibleState.None);
    item.id = `enum:${this.profile.id}:${this.parent.ns.name}:${this.enumType.name}`;
    item.iconPath = new vscode.ThemeIcon('symbol-enum');
    item.description = this.enumType.values.join(' | ');
    item.tooltip = this.enumType.comment ?? item.description;
    item.contextValue = 'enum';
    return item;
  }
}

export class FunctionNode {
  readonly type = 'function';
  constructor(
    readonly parent: GroupNode,
    readonly routine: Routine,
    /** Position among overloads of the same name, for a stable id. */
    readonly overload: number,
  ) {}
  get profile(): ConnectionProfile {
    return this.parent.profile;
  }
  toTreeItem(): vscode.TreeItem {
    const r = this.routine;
    const item = new vscode.TreeItem(r.name, vscode.TreeItemCollapsibleState.None);
    item.id = `fn:${this.profile.id}:${this.parent.ns.name}:${r.name}:${this.overload}`;
    item.iconPath = new vscode.ThemeIcon('symbol-method');
    const args = r.args.map((a) => `${a.name ? `${a.name} ` : ''}${a.nativeType}`).join(', ');
    const returns = r.returns.kind === 'void' ? 'void' : r.returns.kind === 'entity' ? `${r.returns.set ? 'setof ' : ''}${r.returns.entity?.entity}` : r.returns.kind === 'columns' ? 'table(…)' : (r.returns.type?.nativeType ?? '?');
    item.description = `(${args}) → ${returns}`;
    item.tooltip = r.comment ? `${r.name}(${args}) → ${returns}\n\n${r.comment}` : `${r.name}(${args}) → ${returns}`;
    item.contextValue = 'function';
    return item;
  }
}

/** A column, a document field (nested fields are its children) or an endpoint parameter. */
export class FieldNode {
  readonly type = 'field';
  constructor(
    readonly parent: EntityNode | FieldNode,
    readonly field: Field,
    /** This field's entry in the connection's overrides file, if it has one. */
    readonly override?: FieldOverride,
  ) {}
  get entityNode(): EntityNode {
    return this.parent.type === 'entity' ? this.parent : this.parent.entityNode;
  }
  get profile(): ConnectionProfile {
    return this.entityNode.profile;
  }
  /** `address.city` for a nested field. */
  get path(): string {
    return this.parent.type === 'entity' ? this.field.name : `${this.parent.path}.${this.field.name}`;
  }
  /** The names from the top-level field down to this one (a name may itself contain a dot). */
  get fieldPath(): string[] {
    return this.parent.type === 'entity' ? [this.field.name] : [...this.parent.fieldPath, this.field.name];
  }
  get children(): Field[] {
    return this.field.fields ?? this.field.items?.fields ?? [];
  }
  toTreeItem(): vscode.TreeItem {
    const f = this.field;
    const entity = this.entityNode.entity;
    const item = new vscode.TreeItem(f.name, this.children.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `field:${this.profile.id}:${this.entityNode.ns.name}:${entity.name}:${this.path}`;
    const top = this.parent.type === 'entity';
    const pk = top && (entity.primaryKey?.columns.includes(f.name) ?? false);
    const fk = top ? entity.relations.find((r) => r.columns.includes(f.name)) : undefined;
    const marks = [f.nativeType];
    if (pk) marks.push('PK');
    if (fk) marks.push(`FK → ${fk.target.entity}`);
    const sql = sqlOf(f);
    if (sql.generated) marks.push('generated');
    if (sql.identity || sql.autoIncrement) marks.push(sql.identity ? 'identity' : 'auto increment');
    if (f.optional) marks.push('optional');
    const o = this.override;
    const nullable = o?.nullable ?? f.nullable;
    marks.push(`${nullable ? 'null' : 'not null'}${o?.nullable !== undefined && o.nullable !== f.nullable ? ' (override)' : ''}`);
    if (o?.tsType !== undefined) marks.push(`→ ${o.tsType}`);
    if (f.confidence !== undefined && f.confidence < 1) marks.push(`seen in ${Math.round(f.confidence * 100)}%`);
    item.description = marks.join(' · ');
    item.iconPath = new vscode.ThemeIcon(pk ? 'key' : fk ? 'references' : this.children.length ? 'symbol-object' : 'symbol-field');
    item.tooltip = f.comment ? `${f.comment}\n\n${item.description}` : item.description;
    item.contextValue = fieldContext(entity, f, o);
    return item;
  }
}

/**
 * A field row's contextValue: `field`, then what its menu may offer. `overridable` (the overrides file can
 * say something about it: not a REST operation's parameter), `nullable` (generated code allows null, so
 * "Mark Not Null" applies), `notNullOverride` (an override made it not null: "Mark Nullable" undoes that),
 * `overridden` (it has an entry: "Clear Override").
 */
export function fieldContext(entity: Entity, field: Field, override: FieldOverride | undefined): string {
  const tokens = ['field'];
  if (entity.kind === 'endpoint') return tokens.join(' ');
  tokens.push('overridable');
  if (override?.nullable ?? field.nullable) tokens.push('nullable');
  if (override?.nullable === false) tokens.push('notNullOverride');
  if (override && Object.keys(override).length) tokens.push('overridden');
  return tokens.join(' ');
}

/** "Indexes" and "Constraints" under a table. */
export class FacetGroupNode {
  readonly type = 'facets';
  constructor(
    readonly parent: EntityNode,
    readonly facet: 'indexes' | 'constraints',
    readonly items: { name: string; detail: string; icon: string }[],
  ) {}
  get profile(): ConnectionProfile {
    return this.parent.profile;
  }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.facet === 'indexes' ? 'Indexes' : 'Constraints', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `facets:${this.profile.id}:${this.parent.ns.name}:${this.parent.entity.name}:${this.facet}`;
    item.description = String(this.items.length);
    item.iconPath = new vscode.ThemeIcon(this.facet === 'indexes' ? 'list-tree' : 'lock');
    item.contextValue = 'facets';
    return item;
  }
}

export class FacetNode {
  readonly type = 'facet';
  constructor(
    readonly parent: FacetGroupNode,
    readonly item: { name: string; detail: string; icon: string },
  ) {}
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.item.name, vscode.TreeItemCollapsibleState.None);
    item.id = `${this.parent.toTreeItem().id}:${this.item.name}`;
    item.description = this.item.detail;
    item.tooltip = `${this.item.name}: ${this.item.detail}`;
    item.iconPath = new vscode.ThemeIcon(this.item.icon);
    item.contextValue = 'facet';
    return item;
  }
}

/** The indexes and key/check constraints of an entity, as facet rows. */
export function facetsOf(e: Entity): { indexes: FacetNode['item'][]; constraints: FacetNode['item'][] } {
  const indexDetail = (i: Index) => {
    const bits = [i.columns.join(', ')];
    if (i.primary) bits.push('primary');
    else if (i.unique) bits.push('unique');
    if (i.method) bits.push(i.method);
    if (i.predicate) bits.push(`where ${i.predicate}`);
    for (const [k, v] of Object.entries(i.options ?? {})) bits.push(`${k} ${String(v)}`);
    return bits.join(' · ');
  };
  const constraints: FacetNode['item'][] = [];
  if (e.primaryKey) constraints.push({ name: e.primaryKey.name, detail: `primary key (${e.primaryKey.columns.join(', ')})`, icon: 'key' });
  for (const u of e.uniques) constraints.push({ name: u.name, detail: `unique (${u.columns.join(', ')})`, icon: 'symbol-constant' });
  for (const r of e.relations) constraints.push({ name: r.name, detail: `foreign key (${r.columns.join(', ')}) → ${r.target.namespace}.${r.target.entity} (${r.target.columns.join(', ')})`, icon: 'references' });
  for (const c of e.sql?.checks ?? []) constraints.push({ name: c.name, detail: `check ${c.expression}`, icon: 'check' });
  return { indexes: e.indexes.map((i) => ({ name: i.name, detail: indexDetail(i), icon: 'list-tree' })), constraints };
}

/** A leaf that explains something: an error, an empty schema, a malformed connections file. */
export class MessageNode {
  readonly type = 'message';
  constructor(
    readonly message: string,
    readonly icon: string,
    readonly command?: vscode.Command,
    readonly tooltip?: string,
    readonly parent?: TreeNode,
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
