import * as vscode from 'vscode';
import { DEMO_PROFILE_NAME } from '../../backends/postgres/demoSchema';
import { describeKind, getAdapter, listAdapterKinds } from '../../backends/registry';
import { PlugboardError } from '../../core/errors';
import { SSL_MODES, profileIdFor, type ConnectionProfile, type HealthReport, type Secret, type SslMode } from '../../core/model';
import { formatPostgresUrl, parsePostgresConnectionString } from '../../core/profiles/connectionString';
import { CONNECTIONS_FILE } from '../../core/profiles/profileStore';
import { credentialsKey, readSecret, tokensKey, writeSecret } from '../../core/profiles/secrets';
import { workspaceRoot, type PlugboardContext } from '../context';
import { testBeforeSaving } from '../connectionTest';
import { withCancellableProgress } from '../progress';
import { Commands, register, resolveProfile } from './index';

/** Arguments of Add/Edit Connection when called without UI (tests, other extensions). */
export interface ConnectionArgs {
  kind?: string;
  name?: string;
  connectionString?: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  sslmode?: SslMode;
  /** Save even if the connection test fails. */
  saveAnyway?: boolean;
}

/** Kind-specific steps of the generic connection commands (REST connections have their own wizard). */
export interface ConnectionHooks {
  /** Before a profile's secrets are deleted: revoke and forget OAuth2 accounts, for instance. */
  beforeRemove?(profile: ConnectionProfile): Promise<void>;
  /** Kinds whose Add Connection is another command. */
  addCommandFor?(kind: string): string | undefined;
}

export function registerConnectionCommands(ctx: PlugboardContext, refreshTree: () => void, hooks: ConnectionHooks = {}): void {
  register(ctx, Commands.addConnection, async (args?: ConnectionArgs) => {
    const kind = args?.kind ?? (await pickKind());
    if (!kind) return undefined;
    const other = hooks.addCommandFor?.(kind);
    if (other) return vscode.commands.executeCommand(other, args ? { ...args, kind: undefined } : { interactive: true });
    return addConnection(ctx, args ? { ...args, kind } : undefined, undefined, kind);
  });
  register(ctx, Commands.editConnection, async (arg?: unknown, args?: ConnectionArgs) => {
    const profile = await resolveProfile(ctx, arg);
    return profile && addConnection(ctx, args, profile);
  });
  register(ctx, Commands.openDemo, () => openDemo(ctx));
  register(ctx, Commands.removeConnection, async (arg?: unknown, opts?: { confirm?: boolean }) => {
    const profile = await resolveProfile(ctx, arg);
    if (!profile) return false;
    if (opts?.confirm !== false) {
      const ok = await vscode.window.showWarningMessage(`Remove the connection "${profile.name}" and its stored secrets?`, { modal: true }, 'Remove');
      if (ok !== 'Remove') return false;
    }
    await ctx.sessions.close(profile.id);
    await hooks.beforeRemove?.(profile);
    await ctx.profiles.remove(profile.id);
    await ctx.secrets.delete(credentialsKey(profile.id));
    await ctx.secrets.delete(tokensKey(profile.id, profile.accountId));
    ctx.health.forget(profile.id);
    ctx.forgetModel(profile.id);
    ctx.log.info('profiles', `Removed connection ${profile.id}`);
    return true;
  });
  register(ctx, Commands.copyConnectionString, async (arg?: unknown) => {
    const profile = await resolveProfile(ctx, arg);
    if (!profile) return undefined;
    const text = formatPostgresUrl(profile);
    await vscode.env.clipboard.writeText(text);
    void vscode.window.showInformationMessage('Connection string copied (without the password).');
    return text;
  });
  register(ctx, Commands.connect, async (arg?: unknown) => {
    const profile = await resolveProfile(ctx, arg);
    if (!profile) return undefined;
    const report = await withCancellableProgress(`Connecting to ${profile.name}`, (_p, signal) => ctx.health.check(profile, signal));
    if (report.error) throw new PlugboardError(report.error.code, report.error.message, { hint: report.error.hint });
    refreshTree();
    return report;
  });
  register(ctx, Commands.disconnect, async (arg?: unknown) => {
    const profile = await resolveProfile(ctx, arg);
    if (!profile) return;
    await ctx.sessions.close(profile.id);
    ctx.forgetModel(profile.id);
  });
  register(ctx, Commands.testConnection, async (arg?: unknown) => {
    const profile = await resolveProfile(ctx, arg);
    if (!profile) return undefined;
    const report = await withCancellableProgress(`Testing ${profile.name}`, (_p, signal) => ctx.health.check(profile, signal));
    announce(report, profile);
    return report;
  });
  register(ctx, Commands.refresh, async (arg?: unknown) => {
    if (arg === undefined) {
      ctx.profiles.invalidate();
      for (const id of [...ctx.models.keys()]) ctx.forgetModel(id);
    } else {
      const profile = await resolveProfile(ctx, arg);
      if (profile) ctx.forgetModel(profile.id);
    }
    refreshTree();
  });
  register(ctx, Commands.openConnectionsFile, async () => {
    const root = workspaceRoot();
    if (!root) throw new PlugboardError('NOT_FOUND', 'No folder is open; connections are kept in your user settings.');
    await vscode.window.showTextDocument(vscode.Uri.joinPath(vscode.Uri.file(root), ...CONNECTIONS_FILE.split(/[\\/]/)));
  });
}

function announce(report: HealthReport, profile: ConnectionProfile): void {
  if (report.status === 'ok') void vscode.window.showInformationMessage(`${profile.name}: connected in ${report.latencyMs} ms (${report.serverVersion}).`);
  else if (report.error) void vscode.window.showErrorMessage(`${profile.name}: ${report.error.code}: ${report.error.message} ${report.error.hint}`);
}

async function openDemo(ctx: PlugboardContext): Promise<ConnectionProfile> {
  const existing = (await ctx.profiles.list()).find((p) => p.demo);
  const profile = existing ?? (await ctx.profiles.save({ id: 'demo', name: DEMO_PROFILE_NAME, kind: 'postgres', demo: true }));
  await withCancellableProgress('Starting the demo database', (_p, signal) => ctx.health.check(profile, signal));
  return profile;
}

/** The Add/Edit Connection wizard: quick picks and input boxes, or straight from `args`. */
async function addConnection(ctx: PlugboardContext, args: ConnectionArgs | undefined, editing?: ConnectionProfile, kind?: string): Promise<ConnectionProfile | undefined> {
  const interactive = !args;
  const a: ConnectionArgs = { ...args };
  if (!a.kind) a.kind = kind ?? editing?.kind ?? (await pickKind());
  if (!a.kind) return undefined;
  const descriptor = describeKind(a.kind);
  if (!descriptor) throw new PlugboardError('INVALID_CONFIG', `Unknown connection kind "${a.kind}".`);

  let fields: Partial<ConnectionProfile> & { password?: string } = {};
  if (interactive && !editing) {
    const method = await vscode.window.showQuickPick(
      [
        { label: '$(link) Paste a connection string', detail: `${descriptor.schemes[0]}://user@host:${descriptor.defaultPort}/database or key=value pairs`, id: 'string' },
        { label: '$(edit) Enter host, port, database…', id: 'fields' },
      ],
      { placeHolder: `How do you want to connect to ${descriptor.label}?` },
    );
    if (!method) return undefined;
    if (method.id === 'string') {
      a.connectionString = await vscode.window.showInputBox({
        prompt: `${descriptor.label} connection string (the password, if any, goes to your OS keychain)`,
        placeHolder: `${descriptor.schemes[0]}://user:password@host:${descriptor.defaultPort}/database`,
        ignoreFocusOut: true,
        validateInput: (v) => validateConnectionString(v),
      });
      if (a.connectionString === undefined) return undefined;
    }
  }
  if (a.connectionString) fields = parsePostgresConnectionString(a.connectionString);
  else if (interactive) {
    const asked = await askFields(editing, descriptor.defaultPort);
    if (!asked) return undefined;
    fields = asked;
  } else fields = { host: a.host, port: a.port, database: a.database, user: a.user, sslmode: a.sslmode, password: a.password };
  if (a.password !== undefined) fields.password = a.password;

  const taken = (await ctx.profiles.list()).map((p) => p.id).filter((id) => id !== editing?.id);
  const suggested = editing?.name ?? `${fields.database ?? descriptor.label} on ${fields.host ?? 'localhost'}`;
  const name = a.name ?? (interactive ? await vscode.window.showInputBox({ prompt: 'Connection name', value: suggested, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'A name is required') }) : suggested);
  if (!name) return undefined;

  const { password, ...rest } = fields;
  const profile: ConnectionProfile = stripUndefined({
    ...(editing ?? {}),
    ...rest,
    id: editing?.id ?? profileIdFor(name, taken),
    name: name.trim(),
    kind: a.kind,
    demo: undefined,
  });
  const secret: Secret = password !== undefined ? { password } : editing ? await readSecret(ctx.secrets, editing.id) : {};

  // Test before saving; on failure offer to save anyway (or do so when asked by argument).
  const tested = await testBeforeSaving(ctx, profile, async (signal) => (await getAdapter(profile.kind)).connect(profile, secret, signal), {
    saveAnyway: a.saveAnyway,
    interactive,
  });
  if (!tested) return undefined;

  if (editing) await ctx.sessions.close(editing.id);
  await writeSecret(ctx.secrets, profile.id, secret);
  const saved = await ctx.profiles.save(profile);
  ctx.forgetModel(saved.id);
  if (tested.report) ctx.health.record(tested.report);
  ctx.log.info('profiles', `${editing ? 'Updated' : 'Added'} connection ${saved.id} (${ctx.profiles.location})`);
  if (interactive) void vscode.window.showInformationMessage(`Saved connection "${saved.name}".`);
  return saved;
}

async function pickKind(): Promise<string | undefined> {
  const kinds = listAdapterKinds();
  const pick = await vscode.window.showQuickPick(
    kinds.map((k) => ({ label: k.label, description: k.description, adapterKind: k.kind })),
    { placeHolder: 'What do you want to connect to?', matchOnDescription: true },
  );
  return pick?.adapterKind;
}

async function askFields(editing: ConnectionProfile | undefined, defaultPort = 5432): Promise<(Partial<ConnectionProfile> & { password?: string }) | undefined> {
  const host = await vscode.window.showInputBox({ prompt: 'Host', value: editing?.host ?? 'localhost', ignoreFocusOut: true });
  if (host === undefined) return undefined;
  const port = await vscode.window.showInputBox({
    prompt: 'Port',
    value: String(editing?.port ?? defaultPort),
    ignoreFocusOut: true,
    validateInput: (v) => (/^\d+$/.test(v) && Number(v) > 0 && Number(v) < 65536 ? undefined : 'A port is a number from 1 to 65535'),
  });
  if (port === undefined) return undefined;
  const database = await vscode.window.showInputBox({ prompt: 'Database', value: editing?.database ?? 'postgres', ignoreFocusOut: true });
  if (database === undefined) return undefined;
  const user = await vscode.window.showInputBox({ prompt: 'User', value: editing?.user ?? 'postgres', ignoreFocusOut: true });
  if (user === undefined) return undefined;
  const password = await vscode.window.showInputBox({
    prompt: editing ? 'Password (leave empty to keep the stored one)' : 'Password (stored in your OS keychain, never in a file)',
    password: true,
    ignoreFocusOut: true,
  });
  if (password === undefined) return undefined;
  const ssl = await vscode.window.showQuickPick(
    SSL_MODES.map((m) => ({ label: m, picked: m === (editing?.sslmode ?? 'prefer') })),
    { placeHolder: 'SSL mode (prefer: TLS when the server offers it)' },
  );
  if (!ssl) return undefined;
  return { host, port: Number(port), database, user, sslmode: ssl.label, ...(password || !editing ? { password } : {}) };
}

function validateConnectionString(value: string): string | undefined {
  if (!value.trim()) return 'Paste a connection string';
  try {
    parsePostgresConnectionString(value);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

function stripUndefined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
