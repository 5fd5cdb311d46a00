import * as vscode from 'vscode';
import type { BackendModule } from '../../core/backend';
import { PlugboardError } from '../../core/errors';
import { profileIdFor, type ConnectionProfile, type HealthReport, type Secret } from '../../core/model';
import { CONNECTIONS_FILE } from '../../core/profiles/profileStore';
import { readSecret, secretKeysOf, writeSecret } from '../../core/profiles/secrets';
import { classifyError } from '../../core/health/classify';
import { redactor } from '../../core/redact';
import { closeSession } from '../../core/sessions';
import { testBeforeSaving } from '../connectionTest';
import { workspaceRoot, type PlugboardContext } from '../context';
import { withCancellableProgress } from '../progress';
import { fieldStep, runWizard, type Step } from '../wizard';
import { Commands, register, resolveProfile } from './index';

/**
 * Add/Edit Connection when called without UI (tests, other extensions). Options and secrets can be given
 * whole (`options`, `secret`), as a connection string, or as the backend's form fields by key (host, port,
 * password, … for PostgreSQL).
 */
export interface ConnectionArgs {
  kind?: string;
  name?: string;
  connectionString?: string;
  options?: Record<string, unknown>;
  secret?: Secret;
  /** Save even if the connection test fails. */
  saveAnyway?: boolean;
  [field: string]: unknown;
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
    const kind = args?.kind ?? (await pickKind(ctx));
    if (!kind) return undefined;
    const other = hooks.addCommandFor?.(kind);
    if (other) return vscode.commands.executeCommand(other, args ? { ...args, kind: undefined } : { interactive: true });
    return saveConnection(ctx, ctx.backends.get(kind), args);
  }, { optionsArgument: true });
  register(ctx, Commands.editConnection, async (arg?: unknown, args?: ConnectionArgs) => {
    const profile = await resolveProfile(ctx, arg);
    if (!profile) return undefined;
    const backend = ctx.backendOf(profile);
    if (!backend.form.length) throw new PlugboardError('INVALID_CONFIG', `${backend.label} connections are edited in .plugboard/connections.json.`, { hint: 'Plugboard: Open Connections File.' });
    return saveConnection(ctx, backend, args, profile);
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
    for (const key of secretKeysOf(profile)) await ctx.secrets.delete(key);
    ctx.health.forget(profile.id);
    ctx.schemas.forget(profile.id);
    ctx.log.info('profiles', `Removed connection ${profile.id}`);
    return true;
  });
  register(ctx, Commands.copyConnectionString, async (arg?: unknown) => {
    const profile = await resolveProfile(ctx, arg);
    if (!profile) return undefined;
    const text = ctx.backendOf(profile).format(ctx.backends.options(profile));
    if (text === undefined) throw new PlugboardError('INVALID_CONFIG', `${profile.name} has no connection string.`);
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
    if (typeof arg !== 'string') void vscode.window.showInformationMessage(`Connected to ${profile.name} in ${report.latencyMs} ms (${report.serverVersion}).`);
    return report;
  });
  register(ctx, Commands.disconnect, async (arg?: unknown) => {
    const profile = await resolveProfile(ctx, arg);
    if (!profile) return;
    await ctx.sessions.close(profile.id);
    ctx.schemas.forget(profile.id);
    refreshTree();
  });
  // Test Connection tries the saved settings on a new session of its own (as before saving them), where
  // Check Health pings through the shared session with retries and records the result in the tree.
  register(ctx, Commands.testConnection, async (arg?: unknown) => {
    const profile = await resolveProfile(ctx, arg);
    if (!profile) return undefined;
    const secret = await readSecret(ctx.secrets, profile.id);
    const report = await withCancellableProgress(`Testing ${profile.name} on a new connection`, async (_p, signal) => {
      try {
        const session = await (await ctx.backends.driver(profile.kind)).connect(profile, secret, { ...ctx.host, signal });
        try {
          return await session.ping(signal);
        } finally {
          await closeSession(session);
        }
      } catch (err) {
        const e = classifyError(err);
        if (e.code === 'CANCELLED') throw e;
        return { profileId: profile.id, status: 'error', checkedAt: new Date().toISOString(), error: e.toJSON() } satisfies HealthReport;
      }
    });
    if (typeof arg !== 'string') announce(report, profile);
    return report;
  });
  const refreshAll = () => {
    ctx.profiles.invalidate();
    ctx.schemas.forgetAll();
    refreshTree();
  };
  register(ctx, Commands.refresh, async (arg?: unknown) => {
    if (arg === undefined) return refreshAll();
    const profile = await resolveProfile(ctx, arg);
    if (profile) ctx.schemas.forget(profile.id);
    refreshTree();
  });
  // The view title's button: VS Code hands it the focused row, which must not narrow it to one connection.
  register(ctx, Commands.refreshAll, refreshAll);
  register(ctx, Commands.openConnectionsFile, async () => {
    const root = workspaceRoot();
    if (!root) throw new PlugboardError('NOT_FOUND', 'No folder is open; connections are kept in your user settings.');
    await vscode.window.showTextDocument(vscode.Uri.joinPath(vscode.Uri.file(root), ...CONNECTIONS_FILE.split(/[\\/]/)));
  });
}

function announce(report: HealthReport, profile: ConnectionProfile): void {
  if (report.status === 'ok') void vscode.window.showInformationMessage(`${profile.name}: connected in ${report.latencyMs} ms (${report.serverVersion}).`);
  else if (report.error) void vscode.window.showErrorMessage(`${profile.name}: ${report.error.code}: ${report.error.message} — ${report.error.hint}`);
}

async function openDemo(ctx: PlugboardContext): Promise<ConnectionProfile> {
  const backend = ctx.backends.list().find((b) => b.demo);
  if (!backend?.demo) throw new PlugboardError('NOT_FOUND', 'No backend offers a demo database.');
  const existing = (await ctx.profiles.list()).find((p) => p.kind === backend.kind && JSON.stringify(p.options) === JSON.stringify(backend.demo!.options));
  const taken = (await ctx.profiles.list()).map((p) => p.id);
  const profile = existing ?? (await ctx.profiles.save({ id: profileIdFor('demo', taken), name: backend.demo.name, kind: backend.kind, options: backend.demo.options as Record<string, unknown> }));
  await withCancellableProgress('Starting the demo database', (_p, signal) => ctx.health.check(profile, signal));
  return profile;
}

async function pickKind(ctx: PlugboardContext): Promise<string | undefined> {
  const pick = await vscode.window.showQuickPick(
    ctx.backends.list().map((b) => ({ label: b.label, description: b.description, backendKind: b.kind })),
    { title: 'Add Connection', placeHolder: 'What do you want to connect to?', matchOnDescription: true },
  );
  return pick?.backendKind;
}

interface WizardState {
  method: 'string' | 'fields';
  /** Option and secret values by form key. */
  values: Record<string, unknown>;
  name: string;
}

/**
 * Add or Edit: the wizard (or the arguments) → options and secret → test before saving → save. A failed
 * test offers to save anyway or to go back into the wizard with everything typed still there.
 */
async function saveConnection(ctx: PlugboardContext, backend: BackendModule, args: ConnectionArgs | undefined, editing?: ConnectionProfile): Promise<ConnectionProfile | undefined> {
  const interactive = !args;
  const secretKeys = new Set(backend.secrets.map((s) => s.key));
  const stored: Secret = editing ? await readSecret(ctx.secrets, editing.id) : {};
  const others = (await ctx.profiles.list()).filter((p) => p.id !== editing?.id);
  const state: WizardState = { method: 'fields', values: { ...(editing?.options ?? {}) }, name: editing?.name ?? '' };

  if (args) {
    if (args.connectionString) fromConnectionString(backend, args.connectionString, state);
    Object.assign(state.values, args.options ?? {}, args.secret ?? {});
    for (const f of backend.form) if (args[f.key] !== undefined) state.values[f.key] = args[f.key];
    state.name = args.name ?? (state.name || suggestName(backend, state.values));
  }

  for (;;) {
    if (interactive && !(await runWizard(`${editing ? 'Edit' : 'Add'} ${backend.label} Connection`, state, wizardSteps(backend, state, others, !!editing)))) return undefined;
    const options = optionsOf(state.values, secretKeys);
    const valid = backend.options.safeParse(options);
    if (!valid.success) throw new PlugboardError('INVALID_CONFIG', `The connection settings are invalid: ${valid.error.issues[0]?.path.join('.')}: ${valid.error.issues[0]?.message}`);
    const name = state.name.trim() || backend.describe(valid.data);
    if (others.some((p) => p.name === name)) throw new PlugboardError('INVALID_CONFIG', `A connection named "${name}" already exists.`, { hint: 'Choose another name.' });
    const entered = Object.fromEntries(Object.entries(state.values).filter(([k, v]) => secretKeys.has(k) && typeof v === 'string' && v !== '')) as Secret;
    const secret: Secret = { ...stored, ...entered };
    Object.values(secret).forEach((v) => redactor.register(v));
    const profile: ConnectionProfile = {
      id: editing?.id ?? profileIdFor(name, others.map((p) => p.id)),
      name,
      kind: backend.kind,
      options: valid.data as Record<string, unknown>,
      ...(editing?.codegen ? { codegen: editing.codegen } : {}),
    };
    const tested = await testBeforeSaving(ctx, profile, async (signal) => (await ctx.backends.driver(profile.kind)).connect(profile, secret, { ...ctx.host, signal }), {
      saveAnyway: args?.saveAnyway,
      interactive,
    });
    if (tested === 'edit') continue;
    if (!tested) return undefined;
    if (editing) await ctx.sessions.close(editing.id);
    await writeSecret(ctx.secrets, profile.id, secret);
    const saved = await ctx.profiles.save(profile);
    ctx.schemas.forget(saved.id);
    ctx.health.record(tested.report);
    ctx.log.info('profiles', `${editing ? 'Updated' : 'Added'} connection ${saved.id} (${ctx.profiles.location})`);
    if (interactive) void vscode.window.showInformationMessage(`Saved connection "${saved.name}".`);
    return saved;
  }
}

/** "shop on db.example.com:5432": what the backend says of the settings, once they are valid. */
function suggestName(backend: BackendModule, values: Record<string, unknown>): string {
  const parsed = backend.options.safeParse(optionsOf(values, new Set(backend.secrets.map((s) => s.key))));
  return parsed.success ? backend.describe(parsed.data) : backend.label;
}

function optionsOf(values: Record<string, unknown>, secretKeys: Set<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([k, v]) => !secretKeys.has(k) && v !== undefined && v !== ''));
}

function fromConnectionString(backend: BackendModule, text: string, state: WizardState): void {
  const { options, secret } = backend.parse(text);
  Object.values(secret).forEach((v) => redactor.register(v));
  state.values = { ...options, ...secret };
}

function wizardSteps(backend: BackendModule, state: WizardState, others: ConnectionProfile[], editing: boolean): Step<WizardState>[] {
  const hasString = backend.schemes.length > 0;
  const method: Step<WizardState> = async (s, input) => {
    if (!hasString) return 'skip';
    const example = `${backend.schemes[0]}://…`;
    const picked = await input.pick({
      placeholder: `How do you want to connect to ${backend.label}?`,
      items: [
        { label: '$(edit) Enter the settings one by one', id: 'fields' as const, picked: s.method === 'fields' },
        { label: '$(link) Paste a connection string', detail: `${example} (the password, if any, goes to your OS keychain)`, id: 'string' as const, picked: s.method === 'string' },
      ],
    });
    if (picked === undefined) return 'cancel';
    if (picked === 'back') return 'back';
    s.method = picked.id;
    return 'next';
  };
  const connectionString: Step<WizardState> = async (s, input) => {
    if (s.method !== 'string') return 'skip';
    const answer = await input.text({
      prompt: `${backend.label} connection string`,
      placeholder: `${backend.schemes[0]}://user:password@host/database`,
      password: true,
      validate: (v) => {
        if (!v.trim()) return 'Paste a connection string';
        try {
          backend.parse(v);
          return { message: `Reads as: ${redactor.redact(v.trim())}`, severity: vscode.InputBoxValidationSeverity.Info };
        } catch (err) {
          return (err as Error).message;
        }
      },
    });
    if (answer === undefined) return 'cancel';
    if (answer === 'back') return 'back';
    fromConnectionString(backend, answer, s);
    return 'next';
  };
  const fields = backend.form.map((f): Step<WizardState> => {
    const ask = fieldStep(f, state.values, { editing });
    return (s, input) => (s.method === 'fields' ? ask(s, input) : Promise.resolve('skip'));
  });
  const name: Step<WizardState> = async (s, input) => {
    const suggested = s.name || suggestName(backend, s.values);
    const answer = await input.text({
      prompt: 'Connection name',
      value: suggested,
      validate: (v) => (!v.trim() ? 'A name is required' : others.some((p) => p.name === v.trim()) ? `A connection named "${v.trim()}" already exists` : undefined),
    });
    if (answer === undefined) return 'cancel';
    if (answer === 'back') return 'back';
    s.name = answer.trim();
    return 'next';
  };
  return [method, connectionString, ...fields, name];
}
