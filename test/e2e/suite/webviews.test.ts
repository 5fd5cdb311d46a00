// Preview Data and the connection form in a real extension host, with their webviews really loaded in the
// workbench: commands called with arguments, the panels driven through the same message handler the
// webview uses (so every message is checked by the protocol's schema), their answers read from what the
// extension posted. The webview's own drawing is checked by the UI pass (ui/checks.ts).
import * as assert from 'assert';
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { ADMIN_URL, adminSql } from './pgAdmin';
import * as vscode from 'vscode';
import type { ConnectionProfile } from '../../../src/core/model';
import type { PlugboardApi } from '../../../src/extension';
import type { ConnectionForm } from '../../../src/vscode/webview/connectionForm';
import type { PreviewPanel } from '../../../src/vscode/webview/previewPanel';
import type { FormToWebview, FormView } from '../../../src/vscode/webview/protocol/form';
import type { TreeNode } from '../../../src/vscode/tree/nodes';

const CANARY = `canary-${randomBytes(12).toString('hex')}`;
const DB = `plugboard_e2e_webviews_${randomBytes(4).toString('hex')}`;
const pgUrl = new URL(ADMIN_URL);
const PG = { host: pgUrl.hostname, port: pgUrl.port || '5432', user: decodeURIComponent(pgUrl.username) || 'postgres' };

let api: PlugboardApi;
const workspace = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;


/** Every wait has a deadline: a webview that never loads fails the test instead of hanging the run. */
async function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until the extension has posted a message matching `test` (after `from` messages already seen). */
async function posted<T extends FormToWebview>(form: ConnectionForm, test: (m: FormToWebview) => m is T, what: string, from = 0): Promise<T> {
  const until = Date.now() + 15_000;
  for (;;) {
    const found = form.channel.sent.slice(from).filter(test).pop();
    if (found) return found;
    if (Date.now() > until) throw new Error(`the form never posted ${what}; it posted ${JSON.stringify(form.channel.sent.map((m) => m.type))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const isForm = (m: FormToWebview): m is FormView => m.type === 'form';
const isTested = (m: FormToWebview): m is Extract<FormToWebview, { type: 'tested' }> => m.type === 'tested';
const isValidation = (m: FormToWebview): m is Extract<FormToWebview, { type: 'validation' }> => m.type === 'validation';
const isSaveFailed = (m: FormToWebview): m is Extract<FormToWebview, { type: 'saveFailed' }> => m.type === 'saveFailed';

/** The form's fields as the webview would send them back: the form's values, with `patch` typed over them. */
function entered(view: FormView, patch: Record<string, string | boolean> = {}) {
  return { values: { ...view.values, ...patch }, name: '' };
}

describe('Plugboard webviews: Preview Data', function () {
  this.timeout(60_000);
  let profile: ConnectionProfile;
  const opened: PreviewPanel[] = [];

  const preview = async (entity: string): Promise<PreviewPanel> => {
    const panel = await vscode.commands.executeCommand<PreviewPanel>('plugboard.previewData', { profileId: profile.id, namespace: 'public', entity });
    opened.push(panel);
    return panel;
  };

  before(async () => {
    api = await vscode.extensions.getExtension<PlugboardApi>('plugboard.plugboard')!.activate();
    await adminSql(`CREATE DATABASE ${DB}`);
    await adminSql(
      `CREATE TABLE things (id int PRIMARY KEY, doc jsonb, note text, at timestamptz);
       INSERT INTO things SELECT g, jsonb_build_object('n', g, 'tags', jsonb_build_array('x', 'y')), CASE WHEN g % 2 = 0 THEN repeat('long text ', 40) END, '2026-01-02T03:04:05Z' FROM generate_series(1, 130) g;
       CREATE VIEW slow AS SELECT pg_sleep(30)::text AS slept;`,
      DB,
    );
    profile = await vscode.commands.executeCommand<ConnectionProfile>('plugboard.addConnection', {
      kind: 'postgres', name: 'Webviews E2E', host: PG.host, port: Number(PG.port), database: DB, user: PG.user, password: CANARY, sslmode: 'disable',
    });
  });

  after(async () => {
    opened.forEach((p) => p.dispose());
    if (profile) await vscode.commands.executeCommand('plugboard.removeConnection', profile.id, { confirm: false });
    await api.context.sessions.closeAll();
    await adminSql(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  });

  it('opens a panel whose webview loads under its CSP and shows the first page with the model\'s types', async () => {
    const panel = await preview('things');
    await within(panel.ready(), 20_000, 'the preview webview saying ready');
    const state = await within(panel.settled(), 20_000, 'the first page');
    assert.strictEqual(state.error, undefined, JSON.stringify(state.error));
    const page = state.page!;
    assert.strictEqual(page.rows.length, 100, 'plugboard.preview.pageSize defaults to 100');
    assert.strictEqual(page.hasMore, true);
    assert.deepStrictEqual(page.columns, [{ name: 'id', type: 'integer' }, { name: 'doc', type: 'jsonb' }, { name: 'note', type: 'text' }, { name: 'at', type: 'timestamp with time zone' }]);
    assert.deepStrictEqual(page.rows[0], [1, { n: 1, tags: ['x', 'y'] }, null, '2026-01-02T03:04:05.000Z']);
    assert.strictEqual(panel.channel.sent.at(-1)?.page?.rows.length, 100, 'the webview was sent the page');
    assert.deepStrictEqual(panel.channel.cspViolations, []);
    assert.strictEqual(panel.panel.webview.options.enableCommandUris, false);
  });

  it('pages forward and back through the webview\'s messages, the second visit from the cache', async () => {
    const panel = await preview('things');
    assert.strictEqual(opened.filter((p) => p === panel).length, 2, 'the same entity reuses its panel');
    await panel.channel.receive({ type: 'load', index: 1, fresh: false });
    const second = (await within(panel.settled(), 20_000, 'page 2')).page!;
    assert.strictEqual(second.offset, 100);
    assert.strictEqual(second.rows.length, 30);
    assert.strictEqual(second.hasMore, false);
    await panel.channel.receive({ type: 'load', index: 0, fresh: false });
    assert.strictEqual((await panel.settled()).page?.fromCache, true);
  });

  it('opens the same panel from the entity\'s row in the tree', async () => {
    const byLabel = async (parent: TreeNode | undefined, label: string) => {
      const kids = await api.tree.getChildren(parent);
      const found = kids.find((k) => api.tree.getTreeItem(k).label === label);
      assert.ok(found, `no "${label}" row`);
      return found;
    };
    const row = await byLabel(await byLabel(await byLabel(await byLabel(undefined, 'Webviews E2E'), 'public'), 'Tables'), 'things');
    const panel = await vscode.commands.executeCommand<PreviewPanel>('plugboard.previewData', row);
    assert.strictEqual(panel, opened[0], 'the row opens the panel already showing the table');
  });

  it('ignores a malformed message from the webview', async () => {
    const panel = await preview('things');
    const before = panel.channel.sent.length;
    await panel.channel.receive({ type: 'load', index: -1, fresh: false });
    await panel.channel.receive({ type: 'run', sql: 'DROP TABLE things' });
    assert.strictEqual(panel.channel.sent.length, before);
  });

  it('reads the server again after Refresh on the connection', async () => {
    const panel = await preview('things');
    await vscode.commands.executeCommand('plugboard.refresh', profile.id);
    await panel.channel.receive({ type: 'load', index: 0, fresh: false });
    assert.strictEqual((await within(panel.settled(), 20_000, 'the page after Refresh')).page?.fromCache, false);
  });

  it('shows a coded error in the panel, and Retry recovers once the cause is gone', async () => {
    const panel = await preview('later');
    const failed = await within(panel.settled(), 20_000, 'the failure');
    assert.ok(failed.error, 'an error is shown');
    assert.match(failed.error.code, /^[A-Z_]+$/);
    assert.ok(failed.error.message && failed.error.hint);
    await adminSql('CREATE TABLE later (x int); INSERT INTO later VALUES (7);', DB);
    await panel.channel.receive({ type: 'load', index: 0, fresh: true });
    const retried = await within(panel.settled(), 20_000, 'the retry');
    assert.strictEqual(retried.error, undefined);
    assert.deepStrictEqual(retried.page?.rows, [[7]]);
  });

  it('cancels a page that takes too long, on the webview\'s Cancel', async () => {
    const panel = await preview('slow');
    await within(panel.ready(), 20_000, 'the slow preview webview saying ready');
    assert.strictEqual(panel.view.loading, true);
    const started = Date.now();
    await panel.channel.receive({ type: 'cancel' });
    const state = await within(panel.settled(), 10_000, 'the cancel');
    assert.strictEqual(state.error?.code, 'CANCELLED');
    assert.strictEqual(state.loading, false);
    assert.ok(Date.now() - started < 5_000);
  });

  it('pages by plugboard.preview.pageSize', async () => {
    const config = vscode.workspace.getConfiguration('plugboard.preview');
    await config.update('pageSize', 40, vscode.ConfigurationTarget.Global);
    try {
      await adminSql('CREATE TABLE more_things AS SELECT * FROM things', DB);
      const panel = await preview('more_things');
      const page = (await within(panel.settled(), 20_000, 'a page of 40')).page!;
      assert.strictEqual(page.rows.length, 40);
      assert.strictEqual(page.pageSize, 40);
    } finally {
      await config.update('pageSize', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('never sends the connection\'s password to a webview', () => {
    for (const panel of new Set(opened)) assert.ok(!JSON.stringify(panel.channel.sent).includes(CANARY));
  });
});

describe('Plugboard webviews: the connection form', function () {
  this.timeout(60_000);
  const saved: string[] = [];
  let goodId = '';

  before(async () => {
    api = await vscode.extensions.getExtension<PlugboardApi>('plugboard.plugboard')!.activate();
    await adminSql(`CREATE DATABASE ${DB}_form`);
  });

  after(async () => {
    for (const id of saved) await vscode.commands.executeCommand('plugboard.removeConnection', id, { confirm: false });
    await api.context.sessions.closeAll();
    await adminSql(`DROP DATABASE IF EXISTS ${DB}_form WITH (FORCE)`);
  });

  const openForm = async (arg: unknown): Promise<{ form: ConnectionForm; view: FormView }> => {
    const form = await vscode.commands.executeCommand<ConnectionForm>('plugboard.openConnectionForm', arg);
    await within(form.ready(), 20_000, 'the form webview saying ready');
    return { form, view: await posted(form, isForm, 'the form') };
  };

  it('draws the backend\'s fields, defaults first, the password masked and empty', async () => {
    const { form, view } = await openForm({ kind: 'postgres' });
    assert.strictEqual(view.mode, 'add');
    assert.deepStrictEqual(view.fields.map((f) => f.key), ['host', 'port', 'database', 'user', 'password', 'sslmode']);
    assert.deepStrictEqual(view.values, { host: 'localhost', port: '5432', database: 'postgres', user: 'postgres', sslmode: 'prefer' });
    assert.strictEqual(view.fields.find((f) => f.key === 'password')?.secret, true);
    assert.deepStrictEqual(view.secrets, { password: 'none' });
    assert.ok(view.connectionStringExample?.startsWith('postgres://'));
    assert.ok(view.backends.some((b) => b.kind === 'postgres'));
    await form.channel.receive({ type: 'change', ...entered(view, { port: 'eighty' }) });
    const checked = await posted(form, isValidation, 'a verdict', form.channel.sent.length - 1);
    assert.strictEqual(checked.errors.port, 'Port is a whole number');
    assert.deepStrictEqual(form.channel.cspViolations, []);
    form.dispose();
  });

  it('fills from a pasted connection string; its password stays in the extension', async () => {
    const { form, view } = await openForm({ kind: 'postgres' });
    const url = `postgres://${PG.user}:${CANARY}@${PG.host}:${PG.port}/${DB}_form?sslmode=disable`;
    const from = form.channel.sent.length;
    await form.channel.receive({ type: 'parse', text: url, ...entered(view) });
    const filled = await posted(form, isForm, 'the filled form', from);
    assert.deepStrictEqual(filled.values, { host: PG.host, port: PG.port, database: `${DB}_form`, user: PG.user, sslmode: 'disable' });
    assert.deepStrictEqual(filled.secrets, { password: 'pending' });
    await form.channel.receive({ type: 'parse', text: 'postgres://[broken', ...entered(filled) });
    assert.ok((await posted(form, isValidation, 'the parse error', from + 1)).errors.connectionString);
    assert.ok(!JSON.stringify(form.channel.sent).includes(CANARY), 'the password was sent to the webview');
    form.dispose();
  });

  it('tests the settings on a fresh session: the server\'s version, or the coded error', async () => {
    const { form, view } = await openForm({ kind: 'postgres' });
    const good = { host: PG.host, port: PG.port, database: `${DB}_form`, user: PG.user, sslmode: 'disable' };
    await form.channel.receive({ type: 'test', ...entered(view, good) });
    await form.settled();
    const ok = (await posted(form, isTested, 'a test result')).result;
    assert.ok(ok.ok && /PostgreSQL/.test(ok.serverVersion ?? '') && typeof ok.latencyMs === 'number', JSON.stringify(ok));
    const from = form.channel.sent.length;
    await form.channel.receive({ type: 'test', ...entered(view, { ...good, port: '1' }) });
    await form.settled();
    const refused = (await posted(form, isTested, 'a failed test', from)).result;
    assert.ok(!refused.ok && refused.error.code === 'CONNECTION_REFUSED', JSON.stringify(refused));
    form.dispose();
  });

  it('saves through Add Connection; a failed test offers Save anyway, which keeps the failure', async () => {
    const { form, view } = await openForm({ kind: 'postgres' });
    const values = { host: PG.host, port: '1', database: `${DB}_form`, user: PG.user, sslmode: 'disable' };
    await form.channel.receive({ type: 'save', ...entered(view, values), name: 'Form refused', saveAnyway: false });
    const failed = await posted(form, isSaveFailed, 'the save failure');
    assert.strictEqual(failed.error.code, 'CONNECTION_REFUSED');
    assert.strictEqual(failed.canSaveAnyway, true);
    await form.channel.receive({ type: 'save', ...entered(view, values), name: 'Form refused', saveAnyway: true });
    assert.ok(form.saved, `not saved anyway; the form posted ${JSON.stringify(form.channel.sent.slice(-3))}`);
    saved.push(form.saved.id);
    assert.strictEqual(api.context.health.last(form.saved.id)?.error?.code, 'CONNECTION_REFUSED', 'the failure it knows about is kept');
  });

  it('saves a working connection: the password goes to SecretStorage only', async () => {
    const { form, view } = await openForm({ kind: 'postgres' });
    const values = { host: PG.host, port: PG.port, database: `${DB}_form`, user: PG.user, sslmode: 'disable', password: CANARY };
    await form.channel.receive({ type: 'save', ...entered(view, values), name: 'Form Postgres', saveAnyway: false });
    assert.ok(form.saved, `not saved; the form posted ${JSON.stringify(form.channel.sent.slice(-3))}`);
    saved.push(form.saved.id);
    goodId = form.saved.id;
    assert.strictEqual(form.saved.name, 'Form Postgres');
    assert.strictEqual(await api.hasSecret(form.saved.id), true);
    const shared = await fs.readFile(path.join(workspace(), '.plugboard', 'connections.json'), 'utf8');
    assert.ok(shared.includes('"Form Postgres"') && !shared.includes(CANARY));
  });

  it('edits a saved connection: the secret shows as stored, is kept when left empty, and names stay unique', async () => {
    const id = goodId;
    const row = (await api.tree.getChildren()).find((n) => api.tree.getTreeItem(n).label === 'Form Postgres');
    assert.ok(row, 'no tree row for the saved connection');
    const { form, view } = await openForm(row);
    assert.strictEqual(await vscode.commands.executeCommand('plugboard.openConnectionForm', { profileId: id }), form, 'one form per edited connection');
    assert.strictEqual(view.mode, 'edit');
    assert.deepStrictEqual(view.secrets, { password: 'stored' });
    assert.strictEqual(view.values.database, `${DB}_form`);
    await form.channel.receive({ type: 'change', values: view.values, name: 'Webviews E2E taken' });
    await api.context.profiles.save({ id: 'taken', name: 'Webviews E2E taken', kind: 'postgres', options: { host: 'nowhere' } });
    saved.push('taken');
    const from = form.channel.sent.length;
    await form.channel.receive({ type: 'change', values: view.values, name: 'Webviews E2E taken' });
    assert.match((await posted(form, isValidation, 'the name check', from)).errors.name ?? '', /already exists/);
    await form.channel.receive({ type: 'save', values: { ...view.values, sslmode: 'disable' }, name: 'Form Postgres (edited)', saveAnyway: false });
    assert.strictEqual(form.saved?.name, 'Form Postgres (edited)');
    assert.strictEqual(await api.hasSecret(id), true, 'the stored password was kept');
    assert.ok(!JSON.stringify(form.channel.sent).includes(CANARY), 'a stored secret reached the webview');
  });
});
