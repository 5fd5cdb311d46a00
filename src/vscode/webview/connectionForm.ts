import * as vscode from 'vscode';
import type { BackendModule } from '../../core/backend';
import { PlugboardError } from '../../core/errors';
import type { ConnectionProfile, Secret } from '../../core/model';
import { readSecret } from '../../core/profiles/secrets';
import { redactor } from '../../core/redact';
import type { PlugboardContext } from '../context';
import { WebviewChannel } from './channel';
import { toErrorView } from './errorView';
import { checkForm, definedOnly, fieldView, initialValues, secretStates, type FormCheck } from './formModel';
import { testSettings } from './formTest';
import { webviewHtml, webviewOptions } from './html';
import { FormFromWebview, FormToWebview, type FieldValues } from './protocol/form';

export const FORM_VIEW_TYPE = 'plugboard.connectionForm';

/**
 * The webview connection form: the backend picker and the backend's `form` fields, validated in the
 * extension as the user types, a Test on a fresh session, and Save through the very commands the wizard
 * uses (`plugboard.addConnection` / `plugboard.editConnection`). Secrets typed in the webview come in; none
 * goes out — the webview learns only whether a secret is stored or pending.
 */
export class ConnectionForm implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  readonly channel: WebviewChannel<FormFromWebview, FormToWebview>;
  /** What the last Save returned (the saved profile), for programmatic callers. */
  saved: ConnectionProfile | undefined;
  private backend: BackendModule;
  private entered: { raw: FieldValues; name: string };
  /** Secrets from a pasted connection string or a picked file, kept here only. */
  private pending: Secret = {};
  /** Which secret keys SecretStorage holds for the edited profile (never their values). */
  private readonly storedKeys: Promise<Set<string>>;
  private testing: AbortController | undefined;
  private work: Promise<void> = Promise.resolve();
  private readonly readyOnce: Promise<void>;

  constructor(
    private readonly ctx: PlugboardContext,
    kind: string,
    private readonly editing: ConnectionProfile | undefined,
    onDispose: () => void,
  ) {
    this.backend = ctx.backends.get(editing?.kind ?? kind);
    this.entered = { raw: initialValues(this.backend, editing?.options), name: editing?.name ?? '' };
    const title = editing ? `Edit ${editing.name}` : 'Add Connection';
    this.panel = vscode.window.createWebviewPanel(FORM_VIEW_TYPE, title, vscode.ViewColumn.Active, webviewOptions(ctx.extension.extensionUri));
    let ready: () => void = () => undefined;
    this.readyOnce = new Promise((resolve) => (ready = resolve));
    this.channel = new WebviewChannel(this.panel.webview, { incoming: FormFromWebview, outgoing: FormToWebview }, ctx.log, 'connection-form', (m) => {
      // Handled at once, not queued: a Cancel must not wait for the Test it cancels. `work` only lets
      // settled() wait for everything received so far.
      const run = this.handle(m, ready);
      this.work = this.work.then(() => run, () => run);
      return run;
    });
    this.panel.webview.html = webviewHtml(this.panel.webview, ctx.extension.extensionUri, 'form', title);
    this.panel.onDidDispose(() => {
      this.testing?.abort();
      this.channel.dispose();
      onDispose();
    });
    this.storedKeys = editing
      ? readSecret(ctx.secrets, editing.id).then((stored) => new Set(Object.keys(stored).filter((k) => stored[k])), () => new Set())
      : Promise.resolve(new Set());
  }

  ready(): Promise<void> {
    return this.readyOnce;
  }

  /** Resolves once the messages received so far have been handled (a test finished, a save settled). */
  async settled(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== this.work) {
      seen = this.work;
      await seen;
    }
  }

  reveal(): void {
    this.panel.reveal();
  }

  dispose(): void {
    this.panel.dispose();
  }

  private async handle(m: FormFromWebview, ready: () => void): Promise<void> {
    switch (m.type) {
      case 'ready':
        ready();
        await this.postForm();
        return void (await this.validate());
      case 'kind': {
        // Only a kind the picker offered: one with form fields (others have wizards of their own).
        const backend = this.ctx.backends.find(m.kind);
        if (this.editing || !backend?.form.length || backend === this.backend) return;
        this.switchTo(backend, {});
        await this.postForm();
        return void (await this.validate());
      }
      case 'change':
        this.entered = { raw: m.values, name: m.name };
        return void (await this.validate());
      case 'parse':
        this.entered = { raw: m.values, name: m.name };
        return this.parse(m.text);
      case 'browse':
        return this.browse(m.key);
      case 'test':
        this.entered = { raw: m.values, name: m.name };
        return this.test();
      case 'save':
        this.entered = { raw: m.values, name: m.name };
        return this.save(m.saveAnyway);
      case 'cancel':
        this.testing?.abort();
        return;
      case 'cspViolation':
        return;
    }
  }

  private switchTo(backend: BackendModule, options: Record<string, unknown>): void {
    this.backend = backend;
    this.pending = {};
    this.entered = { raw: initialValues(backend, options), name: this.entered.name };
  }

  private async postForm(): Promise<void> {
    const b = this.backend;
    const stored = await this.storedKeys;
    this.channel.post({
      type: 'form',
      mode: this.editing ? 'edit' : 'add',
      backends: this.ctx.backends.list().filter((x) => x.form.length).map((x) => ({ kind: x.kind, label: x.label, description: x.description })),
      kind: b.kind,
      connectionStringExample: b.schemes.length ? `${b.schemes[0]}://user:password@host/database` : undefined,
      fields: b.form.map(fieldView),
      values: Object.fromEntries(Object.entries(this.entered.raw).filter(([k]) => !b.form.find((f) => f.key === k)?.secret)),
      secrets: secretStates(b, Object.fromEntries([...stored].map((k) => [k, 'stored'])), this.pending),
      name: this.entered.name,
    });
  }

  private async check(): Promise<FormCheck> {
    const others = (await this.ctx.profiles.list()).filter((p) => p.id !== this.editing?.id);
    const formKeys = new Set(this.backend.form.map((f) => f.key));
    const base = Object.fromEntries(Object.entries(this.editing?.options ?? {}).filter(([k]) => !formKeys.has(k)));
    return checkForm(this.backend, { raw: this.entered.raw, name: this.entered.name, otherNames: others.map((p) => p.name), pending: this.pending, base });
  }

  private async validate(extra: Record<string, string> = {}): Promise<FormCheck> {
    const result = await this.check();
    this.channel.post({ type: 'validation', errors: { ...result.errors, ...extra }, formError: result.formError, visible: result.visible, suggestedName: result.suggestedName });
    return result;
  }

  /** A pasted connection string fills the form; in Add, its scheme may pick another backend. */
  private async parse(text: string): Promise<void> {
    try {
      const backend = this.editing ? this.backend : this.ctx.backends.forUrl(text);
      if (!backend.form.length) throw new PlugboardError('INVALID_CONFIG', `${backend.label} connections have a wizard of their own.`);
      const { options, secret } = backend.parse(text.trim());
      Object.values(secret).forEach((v) => redactor.register(v));
      this.switchTo(backend, options as Record<string, unknown>);
      this.pending = Object.fromEntries(Object.entries(secret).filter(([k, v]) => v && backend.form.some((f) => f.secret && f.key === k)));
      await this.postForm();
      await this.validate();
    } catch (err) {
      await this.validate({ connectionString: toErrorView(err).message });
    }
  }

  private async browse(key: string): Promise<void> {
    const field = this.backend.form.find((f) => f.key === key && f.input === 'file');
    if (!field) return;
    const [uri] = (await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Choose', title: field.label })) ?? [];
    if (!uri) return;
    if (field.secret) {
      this.pending[key] = uri.fsPath;
      this.channel.post({ type: 'fieldSet', key, secret: 'pending' });
    } else {
      this.entered.raw = { ...this.entered.raw, [key]: uri.fsPath };
      this.channel.post({ type: 'fieldSet', key, value: uri.fsPath });
    }
    await this.validate();
  }

  private async test(): Promise<void> {
    const checked = await this.validate();
    if (!checked.valid) {
      this.channel.post({ type: 'tested', result: { ok: false, error: invalid(checked) } });
      return;
    }
    this.testing?.abort();
    const controller = new AbortController();
    this.testing = controller;
    this.channel.post({ type: 'busy', action: 'test' });
    try {
      const stored = this.editing ? await readSecret(this.ctx.secrets, this.editing.id) : {};
      const name = this.entered.name.trim() || checked.suggestedName;
      const profile: ConnectionProfile = { id: this.editing?.id ?? 'connection-form-test', name, kind: this.backend.kind, options: definedOnly(checked.options) };
      const result = await testSettings(this.ctx.backends, this.ctx.host, profile, { ...stored, ...checked.secret }, controller.signal);
      this.channel.post({ type: 'tested', result });
    } finally {
      if (this.testing === controller) this.testing = undefined;
      this.channel.post({ type: 'busy', action: null });
    }
  }

  /** Saves through the wizard's own command, so the test-before-save, the stores and the tree are the same. */
  private async save(saveAnyway: boolean): Promise<void> {
    const checked = await this.validate();
    if (!checked.valid) {
      this.channel.post({ type: 'saveFailed', error: invalid(checked), canSaveAnyway: false });
      return;
    }
    const args = { kind: this.backend.kind, name: this.entered.name.trim() || checked.suggestedName, options: checked.options, secret: checked.secret, saveAnyway };
    this.channel.post({ type: 'busy', action: 'save' });
    try {
      const saved = this.editing
        ? await vscode.commands.executeCommand<ConnectionProfile | undefined>('plugboard.editConnection', this.editing.id, args)
        : await vscode.commands.executeCommand<ConnectionProfile | undefined>('plugboard.addConnection', args);
      if (!saved) return; // the test's progress notification was cancelled: the form stays as it was
      this.saved = saved;
      void vscode.window.showInformationMessage(`Saved connection "${saved.name}".`);
      this.panel.dispose();
    } catch (err) {
      const error = toErrorView(err);
      this.channel.post({ type: 'saveFailed', error, canSaveAnyway: error.code !== 'INVALID_CONFIG' && error.code !== 'CANCELLED' });
    } finally {
      this.channel.post({ type: 'busy', action: null });
    }
  }
}

function invalid(checked: FormCheck) {
  const first = Object.entries(checked.errors)[0];
  return toErrorView(new PlugboardError('INVALID_CONFIG', checked.formError ?? (first ? `${first[1]}.` : 'The settings are invalid.'), { hint: 'Fix the highlighted fields.' }));
}
