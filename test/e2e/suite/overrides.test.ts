// Issue 16 in the editor: the overrides file reaches Generate, the CodeLens tells "settings changed" from
// schema drift, stale entries are warnings in the Problems panel, the column menu's commands write the file,
// and plugboard.codegen.autoRegenerate regenerates after an ALTER TABLE (and does nothing while off).
import * as assert from 'assert';
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { adminSql } from './pgAdmin';
import { treeChild } from './tree';
import * as vscode from 'vscode';
import type { PlugboardApi } from '../../../src/extension';
import type { TreeNode } from '../../../src/vscode/tree/nodes';

const DB = `plugboard_e2e_ov_${randomBytes(4).toString('hex')}`;
const NAME = 'Overrides E2E';
const OUT = 'src/generated/overrides-e2e';
let api: PlugboardApi;
let profileId = '';

const workspace = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
const overridesFile = () => path.join(workspace(), '.plugboard', 'overrides.json');
const typesFile = () => path.join(workspace(), OUT, 'public.types.ts');

/** A statement in this suite's own database unless another is named. */
const sql = (text: string, database = DB) => adminSql(text, database);

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function lensTitles(file: string): Promise<string[]> {
  await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', vscode.Uri.file(file))) ?? [];
  return lenses.map((l) => l.command?.title ?? '');
}

const child = (parent: TreeNode | undefined, label: string) => treeChild(api, parent, label);

async function column(group: string, entity: string, field: string): Promise<TreeNode> {
  const schema = await child(await child(undefined, NAME), 'public');
  return child(await child(await child(schema, group), entity), field);
}

async function writeOverrides(value: unknown): Promise<void> {
  await fs.mkdir(path.dirname(overridesFile()), { recursive: true });
  await fs.writeFile(overridesFile(), `${JSON.stringify(value, null, 2)}\n`);
}

const readOverrides = async () => JSON.parse(await fs.readFile(overridesFile(), 'utf8')) as { namespaces: Record<string, Record<string, { fields?: Record<string, Record<string, unknown>> }>> };

const META = { tsType: 'OrderMeta', import: { name: 'OrderMeta', from: '../../types/meta' } };

describe('Plugboard: overrides in the editor', function () {
  this.timeout(60_000);

  before(async () => {
    api = await vscode.extensions.getExtension<PlugboardApi>('plugboard.plugboard')!.activate();
    await sql(`CREATE DATABASE ${DB}`, 'postgres');
    await sql(`CREATE TABLE orders (id serial PRIMARY KEY, meta jsonb, note text);
               CREATE VIEW order_notes AS SELECT id, note FROM orders;`);
    await fs.rm(overridesFile(), { force: true });
    const saved = await vscode.commands.executeCommand<{ id: string }>('plugboard.addConnection', {
      kind: 'postgres', name: NAME, host: '127.0.0.1', port: 5432, database: DB, user: 'postgres', sslmode: 'disable',
    });
    profileId = saved.id;
  });

  after(async () => {
    const config = vscode.workspace.getConfiguration('plugboard');
    await config.update('codegen.autoRegenerate', undefined, vscode.ConfigurationTarget.Workspace);
    await config.update('codegen.autoRegenerateIntervalSeconds', undefined, vscode.ConfigurationTarget.Workspace);
    await until('the watches to stop', async () => {
      await api.autoRegenerate.settled();
      return api.autoRegenerate.watching().length === 0;
    });
    await vscode.commands.executeCommand('plugboard.removeConnection', profileId, { confirm: false });
    await api.context.sessions.closeAll();
    await fs.rm(overridesFile(), { force: true });
    await sql(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`, 'postgres');
  });

  it('Generate applies the overrides file and records its inputs in the headers', async () => {
    await writeOverrides({ namespaces: { public: { orders: { fields: { meta: META } } } } });
    const outcome = await vscode.commands.executeCommand<{ inputs?: string; warnings: unknown[] }>('plugboard.generateClient', profileId, { targets: ['ts-types'], outDir: OUT });
    assert.ok(outcome.inputs, 'no generation inputs');
    assert.deepStrictEqual(outcome.warnings, []);
    const text = await fs.readFile(typesFile(), 'utf8');
    assert.match(text, /import type \{ OrderMeta \} from "\.\.\/\.\.\/types\/meta";/);
    assert.match(text, /\bmeta: OrderMeta \| null;/);
    assert.ok(text.includes(outcome.inputs), 'the header carries the inputs');
    const titles = await lensTitles(typesFile());
    assert.ok(titles.some((t) => t.includes('Regenerate client')) && !titles.some((t) => /changed/.test(t)), JSON.stringify(titles));
  });

  it('an invalid overrides file is an error naming its line, and nothing is written', async () => {
    const before = await fs.readFile(typesFile(), 'utf8');
    await writeOverrides({ namespaces: { public: { orders: { fields: { meta: { tsType: 'OrderMeta; alert(1)' } } } } } });
    await assert.rejects(
      async () => vscode.commands.executeCommand('plugboard.generateClient', profileId, { targets: ['ts-types'], outDir: OUT }),
      (err: Error & { code?: string }) => err.code === 'INVALID_CONFIG' && /overrides\.json:7:\d+: namespaces\.public\.orders\.fields\.meta\.tsType: is not a TypeScript type expression/.test(err.message),
    );
    assert.strictEqual(await fs.readFile(typesFile(), 'utf8'), before);
    await until('the error in Problems', () => vscode.languages.getDiagnostics(vscode.Uri.file(overridesFile())).some((d) => d.severity === vscode.DiagnosticSeverity.Error && d.range.start.line === 6));
    await writeOverrides({ namespaces: { public: { orders: { fields: { meta: META } } } } });
    await until('the error to clear', () => vscode.languages.getDiagnostics(vscode.Uri.file(overridesFile())).length === 0);
  });

  it('editing overrides.json turns the CodeLens into "Settings changed", not schema drift', async () => {
    await writeOverrides({ namespaces: { public: { orders: { fields: { meta: META, note: { nullable: false } } } } } });
    await until('"Settings changed" in the CodeLens', async () => (await lensTitles(typesFile())).some((t) => t.includes('Settings changed — Regenerate')));
    assert.ok(!(await lensTitles(typesFile())).some((t) => t.includes('Schema changed')));
    const drift = await vscode.commands.executeCommand<{ stale: boolean; settingsChanged: boolean }>('plugboard.checkDrift', profileId);
    assert.deepStrictEqual([drift.stale, drift.settingsChanged], [false, true]);
    await vscode.commands.executeCommand('plugboard.regenerateClient', typesFile());
    assert.match(await fs.readFile(typesFile(), 'utf8'), /\bnote: string;/);
    // The lens reads the header from disk while the document is not dirty: no need to wait for it to reload.
    await until('the lens to clear', async () => !(await lensTitles(typesFile())).some((t) => t.includes('Settings changed')));
  });

  it('an override naming a column that does not exist is a warning on its key, in Problems and the CodeLens', async () => {
    await writeOverrides({ namespaces: { public: { orders: { fields: { meta: META, ghost: { nullable: false } } } } } });
    const uri = vscode.Uri.file(overridesFile());
    await until('the warning in Problems', () => vscode.languages.getDiagnostics(uri).some((d) => /no field "ghost"/.test(d.message)));
    const [warning] = vscode.languages.getDiagnostics(uri);
    assert.strictEqual(warning!.severity, vscode.DiagnosticSeverity.Warning);
    const lines = (await fs.readFile(overridesFile(), 'utf8')).split('\n');
    const line = lines.findIndex((l) => l.includes('"ghost"'));
    assert.deepStrictEqual([warning!.range.start.line, warning!.range.start.character, warning!.range.end.character], [line, lines[line]!.indexOf('"ghost"'), lines[line]!.indexOf('"ghost"') + '"ghost"'.length]);
    await until('the warning in the CodeLens', async () => (await lensTitles(typesFile())).some((t) => t.includes('1 override names nothing')));
    await writeOverrides({ namespaces: { public: { orders: { fields: { meta: META } } } } });
    await until('the warning to clear', () => vscode.languages.getDiagnostics(uri).length === 0);
  });

  it('Override Type… and Mark Not Null write the file and keep what else it says', async () => {
    const note = { profileId, namespace: 'public', entity: 'orders', field: 'note' };
    const typed = await vscode.commands.executeCommand<{ override?: unknown }>('plugboard.overrideType', note, { tsType: 'NoteText', import: 'NoteText from ../../types/note' });
    assert.deepStrictEqual(typed.override, { tsType: 'NoteText', import: { name: 'NoteText', from: '../../types/note' } });
    const viewNote = { profileId, namespace: 'public', entity: 'order_notes', field: 'note' };
    await vscode.commands.executeCommand('plugboard.markNotNull', viewNote);
    const file = await readOverrides();
    assert.deepStrictEqual(file.namespaces.public!.orders!.fields, { meta: META, note: { tsType: 'NoteText', import: { name: 'NoteText', from: '../../types/note' } } });
    assert.deepStrictEqual(file.namespaces.public!.order_notes, { fields: { note: { nullable: false } } });
    await assert.rejects(
      async () => vscode.commands.executeCommand('plugboard.overrideType', note, { tsType: 'string; drop()' }),
      (err: Error & { code?: string }) => err.code === 'INVALID_CONFIG' && /not a TypeScript type expression/.test(err.message),
    );

    // The tree row of the view column shows the override and offers to undo it.
    await until('the row to show the override', async () => /not null \(override\)/.test(String(api.tree.getTreeItem(await column('Views', 'order_notes', 'note')).description)));
    const row = api.tree.getTreeItem(await column('Views', 'order_notes', 'note'));
    assert.match(String(row.contextValue), /^field overridable notNullOverride overridden$/);
    assert.match(String(api.tree.getTreeItem(await column('Tables', 'orders', 'meta')).contextValue), /^field overridable nullable overridden$/);
    await vscode.commands.executeCommand('plugboard.markNullable', viewNote);
    await vscode.commands.executeCommand('plugboard.clearOverride', note);
    const after = await readOverrides();
    assert.deepStrictEqual(after.namespaces.public, { orders: { fields: { meta: META } } });
  });

  it('Override Type… from a column row asks for the type, prefilled with the generated one', async () => {
    const row = await column('Tables', 'orders', 'note');
    const pending = vscode.commands.executeCommand('plugboard.overrideType', row);
    // Accept the prefilled type ("string"), then no import.
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => setTimeout(r, 800));
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    }
    await Promise.race([pending, new Promise((_, reject) => setTimeout(() => reject(new Error('the prompts did not finish')), 10_000))]).finally(() =>
      vscode.commands.executeCommand('workbench.action.closeQuickOpen'),
    );
    assert.deepStrictEqual((await readOverrides()).namespaces.public!.orders!.fields!.note, { tsType: 'string' });
    await vscode.commands.executeCommand('plugboard.clearOverride', { profileId, namespace: 'public', entity: 'orders', field: 'note' });
  });

  it('plugboard.codegen.autoRegenerate regenerates after an ALTER TABLE, and does nothing while off', async () => {
    const config = () => vscode.workspace.getConfiguration('plugboard');
    assert.deepStrictEqual(api.autoRegenerate.watching(), [], 'off by default');
    await sql('ALTER TABLE orders ADD COLUMN while_off int');
    await new Promise((r) => setTimeout(r, 2500));
    assert.ok(!(await fs.readFile(typesFile(), 'utf8')).includes('while_off'), 'regenerated while off');

    await config().update('codegen.autoRegenerateIntervalSeconds', 1, vscode.ConfigurationTarget.Workspace);
    await config().update('codegen.autoRegenerate', true, vscode.ConfigurationTarget.Workspace);
    await until('the connection to be watched', async () => {
      await api.autoRegenerate.settled();
      return api.autoRegenerate.watching().includes(profileId);
    });
    // The files were stale when the watch began: the first round brings them up to date.
    await until('the first regeneration', async () => (await fs.readFile(typesFile(), 'utf8')).includes('while_off'));
    await sql('ALTER TABLE orders ADD COLUMN shipped_at timestamptz');
    await until('the regeneration after ALTER TABLE', async () => (await fs.readFile(typesFile(), 'utf8')).includes('shipped_at'));

    await config().update('codegen.autoRegenerate', false, vscode.ConfigurationTarget.Workspace);
    await until('the watch to stop', async () => {
      await api.autoRegenerate.settled();
      return api.autoRegenerate.watching().length === 0;
    });
    await sql('ALTER TABLE orders ADD COLUMN after_off int');
    await new Promise((r) => setTimeout(r, 2500));
    assert.ok(!(await fs.readFile(typesFile(), 'utf8')).includes('after_off'), 'regenerated after the setting went off');
  });
});
