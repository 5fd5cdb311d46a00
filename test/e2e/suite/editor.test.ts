// What a person sees and does in the editor beyond the basics (issue "What a person sees"): title-bar calls
// with a focused row, drift shown in the tree, the status bar and an idle CodeLens, the commands on table
// and field rows, Go to Table, Functions / Indexes / Constraints in the tree, cancel that really cancels.
import * as assert from 'assert';
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { adminSql } from './pgAdmin';
import { treeChild } from './tree';
import * as vscode from 'vscode';
import type { PlugboardApi } from '../../../src/extension';
import type { TreeNode } from '../../../src/vscode/tree/nodes';

const DB = `plugboard_e2e_ed_${randomBytes(4).toString('hex')}`;
const NAME = 'Editor E2E';
let api: PlugboardApi;
let profileId = '';

/** A statement in this suite's own database unless another is named. */
const sql = (text: string, database = DB) => adminSql(text, database);

const child = (parent: TreeNode | undefined, label: string) => treeChild(api, parent, label);

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Plugboard: the editor, as a person uses it', function () {
  this.timeout(60_000);

  before(async () => {
    api = await vscode.extensions.getExtension<PlugboardApi>('plugboard.plugboard')!.activate();
    await sql(`CREATE DATABASE ${DB}`, 'postgres');
    await sql(`CREATE TABLE orders (id serial PRIMARY KEY, total numeric NOT NULL CHECK (total >= 0), status text);
               CREATE INDEX orders_status ON orders (status);
               INSERT INTO orders (total, status) SELECT g, 'new' FROM generate_series(1, 30) g; ANALYZE orders;
               CREATE FUNCTION order_count() RETURNS bigint LANGUAGE sql STABLE AS 'SELECT count(*) FROM orders';`);
    const saved = await vscode.commands.executeCommand<{ id: string }>('plugboard.addConnection', {
      kind: 'postgres', name: NAME, host: '127.0.0.1', port: 5432, database: DB, user: 'postgres', sslmode: 'disable',
    });
    profileId = saved.id;
  });

  after(async () => {
    await vscode.commands.executeCommand('plugboard.removeConnection', profileId, { confirm: false });
    await api.context.sessions.closeAll();
    await sql(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`, 'postgres');
  });

  it('a title-bar "+" with a row focused asks what to add instead of saving a connection', async () => {
    const before = (await api.context.profiles.list()).length;
    const row = await child(undefined, NAME);
    // VS Code hands the focused row to view-title commands: that is a UI argument, not options.
    const pending = vscode.commands.executeCommand('plugboard.addConnection', row);
    await new Promise((r) => setTimeout(r, 500));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await pending, undefined);
    assert.equal((await api.context.profiles.list()).length, before, 'nothing was saved');
  });

  it('shows Functions, row estimates, Indexes and Constraints in the tree, and the connection as connected', async () => {
    const conn = await child(undefined, NAME);
    const schema = await child(conn, 'public');
    const fn = await child(await child(schema, 'Functions'), 'order_count');
    assert.match(String(api.tree.getTreeItem(fn).description), /\(\) → bigint/);
    const orders = await child(await child(schema, 'Tables'), 'orders');
    assert.match(String(api.tree.getTreeItem(orders).description), /3 columns · ~30 rows/);
    assert.match(String(api.tree.getTreeItem(orders).contextValue), /^entity table preview ddl$/);
    const indexes = await api.tree.getChildren(await child(orders, 'Indexes'));
    assert.deepStrictEqual(indexes.map((n) => String(api.tree.getTreeItem(n).label)).sort(), ['orders_pkey', 'orders_status']);
    const constraints = await api.tree.getChildren(await child(orders, 'Constraints'));
    assert.ok(constraints.some((n) => /check \(total >= /.test(String(api.tree.getTreeItem(n).description))));
    const item = api.tree.getTreeItem(await child(undefined, NAME));
    assert.match(String(item.contextValue), /^connection connected\b/);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'plug');
  });

  it('copies names and a query quoted by the driver, and shows DDL', async () => {
    const ref = { profileId, namespace: 'public', entity: 'orders' };
    assert.equal(await vscode.commands.executeCommand('plugboard.copyName', ref), '"public"."orders"');
    assert.equal(await vscode.env.clipboard.readText(), '"public"."orders"');
    assert.equal(await vscode.commands.executeCommand('plugboard.copyName', { ...ref, field: 'total' }), '"total"');
    assert.match(String(await vscode.commands.executeCommand('plugboard.copySelect', ref)), /^SELECT "id", "total", "status"\nFROM "public"\."orders"\nLIMIT 100;$/);
    const ddl = String(await vscode.commands.executeCommand('plugboard.showDdl', ref));
    assert.match(ddl, /^CREATE TABLE "public"\."orders" \(/);
    assert.match(ddl, /CHECK \(total >= /);
    assert.match(ddl, /CREATE INDEX orders_status/);
  });

  it('Go to Table reveals the pick in the tree; Open Generated Type jumps to its interface', async () => {
    await vscode.commands.executeCommand('plugboard.searchSchema', { profileId, namespace: 'public', entity: 'orders', field: 'status' });
    const selected = api.treeView.selection[0];
    assert.ok(selected && selected.type === 'field' && selected.field.name === 'status', `selected ${selected?.type}`);
    await vscode.commands.executeCommand('plugboard.generateClient', profileId, { targets: ['ts-types'], outDir: 'src/generated/editor' });
    const located = await vscode.commands.executeCommand<{ file: string; line: number }>('plugboard.openGeneratedType', { profileId, namespace: 'public', entity: 'orders' });
    assert.ok(located.file.endsWith(path.join('editor', 'public.types.ts')));
    assert.match((await fs.readFile(located.file, 'utf8')).split('\n')[located.line]!, /^export interface OrdersRow \{/);
    assert.equal(vscode.window.activeTextEditor?.selection.active.line, located.line);
  });

  it('an idle open generated file learns about a schema change; the tree and status bar show the drift', async () => {
    await vscode.workspace.getConfiguration('plugboard').update('codeLens.liveCheckIntervalSeconds', 1, vscode.ConfigurationTarget.Workspace);
    try {
      const file = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'src', 'generated', 'editor', 'public.types.ts');
      await vscode.window.showTextDocument(vscode.Uri.file(file));
      await until('the file to be watched', () => api.codeLens.watchedProfiles().includes(profileId));
      await sql('ALTER TABLE orders ADD COLUMN tracking_code text');
      // Nothing touches the file or runs a command: the background re-check must find the change.
      await until('the drift to be noticed', () => !!api.drift.summary(profileId)).catch((err: Error) => {
        const model = api.context.schemas.peek(profileId);
        const fields = model?.namespaces[0]?.entities.find((e) => e.name === 'orders')?.fields.map((f) => f.name);
        throw new Error(`${err.message}; watched ${JSON.stringify(api.codeLens.watchedProfiles())}, fields ${JSON.stringify(fields)}, report ${JSON.stringify(api.drift.report(profileId))}`);
      });
      assert.match(String(api.drift.summary(profileId)), /\+ column public\.orders\.tracking_code/);
      const row = api.tree.getTreeItem(await child(undefined, NAME));
      assert.match(String(row.description), /schema changed/);
      assert.match(String(row.contextValue), /\bdrifted\b/);
      await api.statusBar.update();
      assert.match(api.statusBar.item.text, /1 drifted/);
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', vscode.Uri.file(file))) ?? [];
      assert.ok(lenses.some((l) => l.command?.title.includes('Schema changed')));
    } finally {
      await vscode.workspace.getConfiguration('plugboard').update('codeLens.liveCheckIntervalSeconds', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('Regenerate says what changed', async () => {
    const file = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'src', 'generated', 'editor', 'public.types.ts');
    const outcome = await vscode.commands.executeCommand<{ changes?: { kind: string; subject: string }[] }>('plugboard.regenerateClient', file);
    assert.deepStrictEqual(outcome.changes?.map((c) => `${c.kind} ${c.subject}`), ['added column public.orders.tracking_code']);
    await until('the drift to clear', () => !api.drift.summary(profileId));
  });

  it('a cancelled generation writes nothing and leaves the old files as they were', async () => {
    const dir = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'src', 'generated', 'editor');
    const before = await fs.readFile(path.join(dir, 'public.types.ts'), 'utf8');
    await sql('ALTER TABLE orders ADD COLUMN cancelled_column int');
    const profile = await api.context.profiles.get(profileId);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(api.context.schemas.generate(profile, { targets: ['ts-types'], outDir: dir, signal: controller.signal }), (e: { code?: string }) => e.code === 'CANCELLED');
    assert.equal(await fs.readFile(path.join(dir, 'public.types.ts'), 'utf8'), before);
    assert.ok(!(await fs.readdir(dir)).some((f) => f.endsWith('.tmp')), 'no temp files left');
  });
});
