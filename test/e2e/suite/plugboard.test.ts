// Plugboard's wiring in a real extension host: commands called with arguments (no UI), the tree read
// through the provider, CodeLens through VS Code's own executeCodeLensProvider, SecretStorage through the
// extension's API. PostgreSQL is the machine's server on 127.0.0.1:5432 (PLUGBOARD_TEST_PG_URL overrides).
import * as assert from 'assert';
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { withAdmin } from './pgAdmin';
import * as vscode from 'vscode';
import type { PlugboardApi } from '../../../src/extension';
import type { TreeNode } from '../../../src/vscode/tree/nodes';

const EXTENSION_ID = 'plugboard.plugboard';
const CANARY = `canary-${randomBytes(12).toString('hex')}`;
const DB = `plugboard_e2e_${randomBytes(4).toString('hex')}`;

let api: PlugboardApi;
const workspace = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;


async function labels(nodes: TreeNode[]): Promise<string[]> {
  return Promise.all(nodes.map(async (n) => String((api.tree.getTreeItem(n)).label)));
}

async function child(parent: TreeNode | undefined, label: string): Promise<TreeNode> {
  const kids = await api.tree.getChildren(parent);
  const names = await labels(kids);
  const i = names.indexOf(label);
  assert.ok(i >= 0, `expected "${label}" among ${JSON.stringify(names)}`);
  return kids[i]!;
}

async function lensTitles(file: string): Promise<string[]> {
  await vscode.workspace.openTextDocument(vscode.Uri.file(file)); // the provider only runs on open documents
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', vscode.Uri.file(file))) ?? [];
  return lenses.map((l) => l.command?.title ?? '');
}

async function* walk(dir: string): AsyncGenerator<string> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(full);
    else if (e.isFile()) yield full;
  }
}

async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const hits: string[] = [];
  for await (const file of walk(dir)) {
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat || stat.size > 20 * 1024 * 1024) continue;
    if ((await fs.readFile(file)).includes(needle)) hits.push(file);
  }
  return hits;
}

describe('Plugboard: PostgreSQL end to end in the editor', function () {
  this.timeout(60_000);
  let profileId = '';
  let generatedTypes = '';

  before(async () => {
    const ext = vscode.extensions.getExtension<PlugboardApi>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed in this extension host`);
    api = await ext.activate();
    await withAdmin((c) => c.query(`CREATE DATABASE ${DB}`));
    await withAdmin(
      (c) =>
        c.query(`CREATE TYPE mood AS ENUM ('happy', 'it''s complicated');
                 CREATE TABLE authors (id serial PRIMARY KEY, name text NOT NULL, mood mood);
                 CREATE TABLE books (id serial PRIMARY KEY, author_id int REFERENCES authors(id), title text NOT NULL, tags text[]);`),
      DB,
    );
  });

  after(async () => {
    await api?.context.sessions.closeAll();
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`));
  });

  it('activates on its view and commands, not on startup', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { activationEvents?: string[] };
    assert.ok(!(pkg.activationEvents ?? []).includes('*'), 'activationEvents must not contain "*"');
    assert.ok(!(pkg.activationEvents ?? []).includes('onStartupFinished'));
  });

  it('registers every contributed command at activation, each handled by the module it names', async () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: { command: string }[] } };
    const contributed = pkg.contributes.commands.map((c) => c.command).sort();
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepStrictEqual(contributed.filter((id) => !registered.has(id)), [], 'contributed but not registered');
    assert.deepStrictEqual(api.commands.ids().sort(), contributed);
    // Loading every command module: each deferred id gets its handler, and no module registers one more.
    assert.deepStrictEqual(await api.commands.loadAll(), [], 'deferred to a module that does not register them');
    assert.deepStrictEqual(api.commands.ids().sort(), contributed);
  });

  it('shows an error for a malformed connections.json and leaves it untouched', async () => {
    const file = path.join(workspace(), '.plugboard', 'connections.json');
    await fs.mkdir(path.dirname(file), { recursive: true });
    const broken = '{ "version": 1, "connections": [ { "id": "x", "name": "X", "kind": "postgres", "port": "not a number" } ] }\n';
    await fs.writeFile(file, broken);
    api.context.profiles.invalidate();
    const roots = await api.tree.getChildren();
    const [text] = await labels(roots);
    assert.match(text ?? '', /connections\.json: connections\[0\]\.port/);
    await assert.rejects(
      async () => vscode.commands.executeCommand('plugboard.addConnection', { kind: 'postgres', name: 'Nope', host: '127.0.0.1', port: 5432, database: DB, user: 'postgres', password: CANARY, sslmode: 'disable' }),
      (err: Error & { code?: string }) => err.code === 'INVALID_CONFIG' || /connections\.json/.test(err.message),
    );
    assert.strictEqual(await fs.readFile(file, 'utf8'), broken, 'the malformed file was modified');
    await fs.rm(file);
    api.context.profiles.invalidate();
  });

  it('adds a PostgreSQL connection: password in SecretStorage only', async () => {
    const profile = await vscode.commands.executeCommand<{ id: string }>('plugboard.addConnection', {
      kind: 'postgres', name: 'E2E Postgres', host: '127.0.0.1', port: 5432, database: DB, user: 'postgres', password: CANARY, sslmode: 'disable',
    });
    assert.ok(profile?.id);
    profileId = profile.id;
    assert.strictEqual(await api.hasSecret(profileId), true);
    const shared = await fs.readFile(path.join(workspace(), '.plugboard', 'connections.json'), 'utf8');
    assert.ok(shared.includes('"E2E Postgres"'));
    assert.ok(!shared.includes(CANARY), 'the password reached connections.json');
  });

  it('shows connection → schema → tables → columns in the tree', async () => {
    const conn = await child(undefined, 'E2E Postgres');
    const schema = await child(conn, 'public');
    const tables = await child(schema, 'Tables');
    assert.deepStrictEqual((await labels(await api.tree.getChildren(tables))).sort(), ['authors', 'books']);
    const books = await child(tables, 'books');
    // A table's tooltip is resolved on hover, not made for every row.
    const booksItem = api.tree.getTreeItem(books);
    assert.strictEqual(booksItem.tooltip, undefined);
    const tip = api.tree.resolveTreeItem(booksItem, books).tooltip;
    assert.ok(tip instanceof vscode.MarkdownString, `tooltip: ${String(tip)}`);
    assert.strictEqual(tip.value, '**table public.books**');
    assert.deepStrictEqual(await labels(await api.tree.getChildren(books)), ['id', 'author_id', 'title', 'tags', 'Indexes', 'Constraints']);
    const authorId = await child(books, 'author_id');
    assert.match(String((api.tree.getTreeItem(authorId)).description), /FK → authors/);
    assert.ok(await child(schema, 'Enums'));
  });

  it('generates a client with headers, and the CodeLens offers to regenerate it', async () => {
    const outcome = await vscode.commands.executeCommand<{ written: string[]; fingerprint: string }>('plugboard.generateClient', profileId, {
      targets: ['ts-types', 'pg-crud'],
      outDir: 'src/generated/e2e',
    });
    generatedTypes = outcome.written.find((f) => f.endsWith('public.types.ts'))!;
    assert.ok(generatedTypes, `no public.types.ts in ${JSON.stringify(outcome.written)}`);
    const text = await fs.readFile(generatedTypes, 'utf8');
    assert.match(text, /^\/\/ Generated by Plugboard .* from profile "E2E Postgres"/);
    assert.ok(text.includes(outcome.fingerprint));
    assert.ok(text.includes('export type Mood =') && text.includes('"it\'s complicated"'));
    const titles = await lensTitles(generatedTypes);
    assert.ok(titles.some((t) => t.includes('Regenerate client')), JSON.stringify(titles));
    assert.ok(!titles.some((t) => t.includes('Schema changed')), JSON.stringify(titles));
  });

  it('says "Schema changed" after the schema changes, and regenerating updates the fingerprint', async () => {
    const before = await fs.readFile(generatedTypes, 'utf8');
    await withAdmin((c) => c.query('ALTER TABLE books ADD COLUMN published_on date'), DB);
    const drift = await vscode.commands.executeCommand<{ live: string }>('plugboard.checkDrift', profileId);
    assert.ok(drift?.live && !before.includes(drift.live));
    assert.ok((await lensTitles(generatedTypes)).some((t) => t.includes('Schema changed')));
    await vscode.commands.executeCommand('plugboard.regenerateClient', vscode.Uri.file(generatedTypes));
    const after = await fs.readFile(generatedTypes, 'utf8');
    assert.ok(after.includes(drift.live), 'the regenerated header has the live fingerprint');
    assert.ok(after.includes('published_on'));
    // The open document picks up the rewritten file through the file watcher; wait for that, then ask again.
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(generatedTypes));
    for (let i = 0; i < 50 && !doc.getText().includes(drift.live); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(!(await lensTitles(generatedTypes)).some((t) => t.includes('Schema changed')));
    // The drift monitor compares in the background: the new model is announced before the files are written,
    // so a comparison of the old files may still be running. The next one (update() waits for it) is current.
    await api.drift.update(profileId);
    assert.strictEqual(api.drift.report(profileId)?.stale, false, 'the drift monitor sees the regenerated files');
  });

  it('checks health: status in the tree and the status bar', async () => {
    const report = await vscode.commands.executeCommand<{ status: string; latencyMs: number; serverVersion: string }>('plugboard.checkHealth', profileId);
    assert.strictEqual(report.status, 'ok');
    assert.match(report.serverVersion, /PostgreSQL/);
    const item = api.tree.getTreeItem(await child(undefined, 'E2E Postgres'));
    assert.strictEqual((item.iconPath as vscode.ThemeIcon).id, 'plug', 'connected and healthy');
    await api.statusBar.update();
    assert.match(api.statusBar.item.text, /Plugboard: 1\/1 ok/);
  });

  it('reports a wrong port as CONNECTION_REFUSED and keeps the profile', async () => {
    const saved = await vscode.commands.executeCommand<{ id: string }>('plugboard.addConnection', {
      kind: 'postgres', name: 'Nowhere', host: '127.0.0.1', port: 1, database: DB, user: 'postgres', password: CANARY, saveAnyway: true,
    });
    const report = await vscode.commands.executeCommand<{ status: string; error?: { code: string } }>('plugboard.checkHealth', saved.id);
    assert.strictEqual(report.status, 'error');
    assert.strictEqual(report.error?.code, 'CONNECTION_REFUSED');
    await vscode.commands.executeCommand('plugboard.removeConnection', saved.id, { confirm: false });
  });

  it('removes the connection and its secret', async () => {
    assert.strictEqual(await vscode.commands.executeCommand('plugboard.removeConnection', profileId, { confirm: false }), true);
    assert.strictEqual(await api.hasSecret(profileId), false);
    const shared = await fs.readFile(path.join(workspace(), '.plugboard', 'connections.json'), 'utf8');
    assert.ok(!shared.includes('E2E Postgres'));
  });

  it('never writes the password to the workspace, the user data or the logs', async () => {
    const dirs = [workspace()];
    if (process.env.PLUGBOARD_E2E_USER_DATA) dirs.push(process.env.PLUGBOARD_E2E_USER_DATA);
    for (const dir of dirs) assert.deepStrictEqual(await filesContaining(dir, CANARY), [], `canary found under ${dir}`);
  });
});

describe('Plugboard: the demo database needs no server', function () {
  this.timeout(90_000);

  it('opens the embedded demo, browses it and generates a client', async () => {
    const profile = await vscode.commands.executeCommand<{ id: string; options: { demo?: boolean } }>('plugboard.openDemo');
    assert.ok(profile?.options.demo);
    const conn = await child(undefined, 'Demo (embedded PostgreSQL)');
    const tables = await child(await child(conn, 'public'), 'Tables');
    assert.deepStrictEqual((await labels(await api.tree.getChildren(tables))).sort(), ['customers', 'order_items', 'orders', 'products']);
    const outcome = await vscode.commands.executeCommand<{ written: string[] }>('plugboard.generateClient', profile.id, { targets: ['ts-types'], outDir: 'demo-client' });
    assert.ok(outcome.written.some((f) => f.endsWith('public.types.ts')));
    await vscode.commands.executeCommand('plugboard.removeConnection', profile.id, { confirm: false });
  });
});
