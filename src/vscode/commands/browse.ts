import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EntityRef } from '../../core/backend';
import { buildLayout } from '../../core/codegen/layout';
import { PlugboardError } from '../../core/errors';
import type { ConnectionProfile, Entity } from '../../core/model';
import type { PlugboardContext } from '../context';
import { withCancellableProgress } from '../progress';
import type { EntityNode, FieldNode } from '../tree/nodes';
import { Commands, register } from './index';

/**
 * What the tree's entity and field rows offer: Copy Name and Copy SELECT (quoted by the driver's own rules),
 * Show DDL, Open Generated Type, and Go to Table (a quick pick over every entity and field of every
 * connection's cached schema, revealing the pick in the tree).
 */
export interface EntityArgs {
  profileId: string;
  namespace: string;
  entity: string;
  field?: string;
}

interface Resolved {
  profile: ConnectionProfile;
  ref: EntityRef;
  entity?: Entity;
  field?: string;
}

export function registerBrowseCommands(ctx: PlugboardContext, reveal: (args: EntityArgs) => Promise<void>): void {
  const resolve = async (arg: unknown): Promise<Resolved> => {
    const node = arg as Partial<EntityNode | FieldNode> | undefined;
    if (node?.type === 'entity') return { profile: node.profile!, ref: { namespace: node.ns!.name, entity: node.entity!.name, path: node.entity!.path }, entity: node.entity };
    if (node?.type === 'field') {
      const e = node.entityNode!;
      return { profile: e.profile, ref: { namespace: e.ns.name, entity: e.entity.name, path: e.entity.path }, entity: e.entity, field: node.path };
    }
    const a = arg as Partial<EntityArgs> | undefined;
    if (a?.profileId && a.namespace && a.entity) {
      const profile = await ctx.profiles.get(a.profileId);
      const entity = ctx.schemas.peek(profile.id)?.namespaces.find((n) => n.name === a.namespace)?.entities.find((e) => e.name === a.entity);
      return { profile, ref: { namespace: a.namespace, entity: a.entity, path: entity?.path }, entity, field: a.field };
    }
    const picked = await pickEntity(ctx);
    if (!picked) throw new PlugboardError('CANCELLED', 'No table was chosen.');
    return resolve(picked);
  };

  register(ctx, Commands.copyName, async (arg?: unknown) => {
    const r = await resolve(arg);
    const snippets = (await ctx.backends.driver(r.profile.kind)).snippets;
    const text = snippets ? snippets.name(r.ref, r.field) : (r.field ?? r.ref.entity);
    await vscode.env.clipboard.writeText(text);
    if (!isProgrammatic(arg)) void vscode.window.setStatusBarMessage(`Copied ${text}`, 3000);
    return text;
  });

  register(ctx, Commands.copySelect, async (arg?: unknown) => {
    const r = await resolve(arg);
    const snippets = (await ctx.backends.driver(r.profile.kind)).snippets;
    if (!snippets) throw new PlugboardError('INVALID_CONFIG', `${ctx.backendOf(r.profile).label} has no query language to copy.`);
    const limit = vscode.workspace.getConfiguration('plugboard').get<number>('preview.pageSize', 100);
    const text = snippets.select(r.ref, r.entity?.fields.map((f) => f.name) ?? [], limit);
    await vscode.env.clipboard.writeText(text);
    if (!isProgrammatic(arg)) void vscode.window.setStatusBarMessage('Copied the query', 3000);
    return text;
  });

  register(ctx, Commands.showDdl, async (arg?: unknown) => {
    const r = await resolve(arg);
    if (!ctx.backendOf(r.profile).capabilities.ddl) throw new PlugboardError('INVALID_CONFIG', `${ctx.backendOf(r.profile).label} has no DDL to show.`);
    const ddl = await withCancellableProgress(`Reading the definition of ${r.ref.entity}`, async (_p, signal) => {
      const session = await ctx.sessions.get(r.profile, signal);
      if (!session.ddl) throw new PlugboardError('INVALID_CONFIG', `${ctx.backendOf(r.profile).label} has no DDL to show.`);
      return session.ddl(r.ref, signal);
    });
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: ddl });
    if (!isProgrammatic(arg)) await vscode.window.showTextDocument(doc, { preview: true });
    return ddl;
  });

  register(ctx, Commands.openGeneratedType, async (arg?: unknown) => {
    const r = await resolve(arg);
    const located = await generatedTypeLocation(ctx, r);
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(located.file), { preview: true });
    const at = new vscode.Position(located.line, 0);
    editor.selection = new vscode.Selection(at, at);
    editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.AtTop);
    return located;
  });

  register(ctx, Commands.searchSchema, async (arg?: EntityArgs) => {
    const target = arg?.profileId ? arg : await pickEntity(ctx, true);
    if (!target) return undefined;
    await reveal(target);
    return target;
  });
}

function isProgrammatic(arg: unknown): boolean {
  return typeof arg === 'object' && arg !== null && 'profileId' in arg;
}

/** Where `export interface …Row` of an entity is in the profile's generated ts-types (the file and its line). */
export async function generatedTypeLocation(ctx: PlugboardContext, r: Resolved): Promise<{ file: string; line: number }> {
  const model = ctx.schemas.peek(r.profile.id) ?? (await ctx.schemas.model(r.profile));
  const layout = buildLayout(model, ctx.backendOf(r.profile).valueMapping).get(r.ref.namespace);
  const base = layout?.entities.get(r.ref.entity);
  if (!layout || !base) throw new PlugboardError('NOT_FOUND', `${r.ref.namespace}.${r.ref.entity} is not in the schema any more.`, { hint: 'Refresh the connection.' });
  const file = path.join(ctx.outDir(r.profile), `${layout.stem}.types.ts`);
  const text = await vscode.workspace.fs.readFile(vscode.Uri.file(file)).then(
    (b) => Buffer.from(b).toString('utf8'),
    () => undefined,
  );
  if (text === undefined) {
    throw new PlugboardError('NOT_FOUND', `No generated types for ${r.profile.name} in ${path.dirname(file)}.`, { hint: 'Generate the client first (Plugboard: Generate Client).' });
  }
  const found = await findRow(file, text, `export interface ${base}Row `);
  if (!found) throw new PlugboardError('NOT_FOUND', `${base}Row is not in ${path.basename(file)}.`, { hint: 'The client may be out of date: regenerate it.' });
  return found;
}

/** The declaration's line in the types file or, when it is a split file's index, in the part that has it. */
async function findRow(file: string, text: string, declaration: string): Promise<{ file: string; line: number } | undefined> {
  const line = text.split('\n').findIndex((l) => l.startsWith(declaration));
  if (line >= 0) return { file, line };
  const parts = [...text.matchAll(/^export \* from "(\.\/[^"\\]+)";$/gm)].map((m) => path.join(path.dirname(file), `${m[1]!}.ts`));
  for (const part of parts) {
    if (!part.startsWith(path.dirname(file) + path.sep)) continue;
    const partText = await vscode.workspace.fs.readFile(vscode.Uri.file(part)).then(
      (b) => Buffer.from(b).toString('utf8'),
      () => '',
    );
    const at = partText.split('\n').findIndex((l) => l.startsWith(declaration));
    if (at >= 0) return { file: part, line: at };
  }
  return undefined;
}

/** Every entity (and, when asked, every field) of every connection whose schema is loaded. */
async function pickEntity(ctx: PlugboardContext, withFields = false): Promise<EntityArgs | undefined> {
  type Item = vscode.QuickPickItem & { target?: EntityArgs };
  const items: Item[] = [];
  for (const profile of await ctx.profiles.list()) {
    const model = ctx.schemas.peek(profile.id);
    if (!model) continue;
    items.push({ label: profile.name, kind: vscode.QuickPickItemKind.Separator });
    for (const ns of model.namespaces) {
      for (const e of ns.entities) {
        const target = { profileId: profile.id, namespace: ns.name, entity: e.name };
        items.push({ label: `$(table) ${e.name}`, description: `${ns.name} · ${e.kind.replace(/_/g, ' ')}`, detail: e.comment, target });
        if (withFields) for (const f of e.fields) items.push({ label: `$(symbol-field) ${e.name}.${f.name}`, description: `${ns.name} · ${f.nativeType}`, target: { ...target, field: f.name } });
      }
    }
  }
  if (!items.some((i) => i.target)) {
    throw new PlugboardError('NOT_FOUND', 'No schema is loaded yet.', { hint: 'Expand a connection in the Plugboard view first, or connect to one.' });
  }
  const pick = await vscode.window.showQuickPick(items, { placeHolder: withFields ? 'Go to a table, collection or field' : 'Which table or collection?', matchOnDescription: true });
  return pick?.target;
}

