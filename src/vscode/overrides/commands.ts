import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { editFieldOverride, findFieldOverride, formatImportSpec, parseImportSpec, type FieldChange, type FieldRef } from '../../core/codegen/overrides/edit';
import { FieldOverride, type ImportSpec } from '../../core/codegen/overrides/file';
import { fieldAt, generatedTypeOf } from '../../core/codegen/overrides/fieldType';
import { displayKey } from '../../core/codegen/overrides/resolve';
import { tsTypeProblem } from '../../core/codegen/overrides/tsTypeExpr';
import { DATE_AS, INT8_AS, NUMERIC_AS, type MappingOverrides } from '../../core/codegen/types';
import { cancelled, PlugboardError } from '../../core/errors';
import type { ConnectionProfile } from '../../core/model';
import { Commands, register } from '../commands/index';
import { workspaceRoot, type PlugboardContext } from '../context';
import type { FieldNode } from '../tree/nodes';

/**
 * The column menu's overrides: "Override Type…", "Mark Not Null", "Mark Nullable" and "Clear Override" write
 * the connection's overrides file (creating it when needed, keeping the rest of it as it was) and offer to
 * regenerate. Each takes a tree row, or `{ profileId, namespace, entity, field }` (field: a name or the path
 * to a nested one) from tests and other commands, which then get the result instead of a prompt.
 */
export interface FieldArgs {
  profileId: string;
  namespace: string;
  entity: string;
  field: string | string[];
}

export interface OverrideTypeArgs {
  /** The type; empty removes the type override. */
  tsType: string;
  /** `Name from module`, or an import spec; empty or null for none. */
  import?: string | ImportSpec | null;
}

export interface OverrideWritten {
  file: string;
  key: string;
  /** The field's entry after the edit (undefined: it has none). */
  override?: FieldOverride;
}

interface Target {
  profile: ConnectionProfile;
  ref: FieldRef;
  interactive: boolean;
}

export function registerOverrideCommands(ctx: PlugboardContext): void {
  register(ctx, Commands.overrideType, async (arg?: unknown, args?: OverrideTypeArgs) => {
    const t = await target(ctx, arg);
    const current = await currentOverride(ctx, t);
    let change: FieldChange;
    if (args) {
      change = typeChange(args.tsType, typeof args.import === 'string' ? parseImportSpec(args.import) : (args.import ?? undefined));
    } else {
      const asked = await askType(ctx, t, current);
      if (!asked) throw cancelled('Override Type');
      change = asked;
    }
    return finish(ctx, t, await writeOverride(ctx, t, change));
  });
  register(ctx, Commands.markNotNull, async (arg?: unknown) => {
    const t = await target(ctx, arg);
    return finish(ctx, t, await writeOverride(ctx, t, { nullable: false }));
  });
  register(ctx, Commands.markNullable, async (arg?: unknown) => {
    const t = await target(ctx, arg);
    // Undo a "not null" override; a column the schema says is NOT NULL needs one saying the opposite.
    const field = modelField(ctx, t);
    return finish(ctx, t, await writeOverride(ctx, t, { nullable: field && !field.nullable ? true : null }));
  });
  register(ctx, Commands.clearOverride, async (arg?: unknown) => {
    const t = await target(ctx, arg);
    return finish(ctx, t, await writeOverride(ctx, t, 'clear'));
  });
}

async function target(ctx: PlugboardContext, arg: unknown): Promise<Target> {
  const node = arg as Partial<FieldNode> | undefined;
  if (node?.type === 'field' && node.entityNode && node.fieldPath) {
    const e = node.entityNode;
    return { profile: e.profile, ref: { namespace: e.ns.name, entity: e.entity.name, field: node.fieldPath }, interactive: true };
  }
  const a = arg as Partial<FieldArgs> | undefined;
  if (a?.profileId && a.namespace && a.entity && a.field !== undefined) {
    const field = typeof a.field === 'string' ? [a.field] : a.field;
    if (!field.length || !field.every((f) => typeof f === 'string')) throw new PlugboardError('INVALID_CONFIG', 'Name the field to override.');
    return { profile: await ctx.profiles.get(a.profileId), ref: { namespace: a.namespace, entity: a.entity, field }, interactive: false };
  }
  throw new PlugboardError('NOT_FOUND', 'Choose a column in the Plugboard view to override it.', { hint: 'Right-click a column or field under a table, view or collection.' });
}

function modelField(ctx: PlugboardContext, t: Target) {
  const model = ctx.schemas.peek(t.profile.id);
  return model && fieldAt(model, t.ref);
}

/** The field's entry as the file says now (an unreadable file stops here, before anything is asked). */
async function currentOverride(ctx: PlugboardContext, t: Target): Promise<FieldOverride | undefined> {
  const loaded = await ctx.overrides.load(t.profile);
  return findFieldOverride(loaded?.overrides, t.ref);
}

function typeChange(tsType: string, spec: ImportSpec | undefined): FieldChange {
  const type = tsType.trim();
  if (!type) return { tsType: null, import: null };
  const problem = tsTypeProblem(type);
  if (problem) throw new PlugboardError('INVALID_CONFIG', `The type ${problem}.`, { hint: 'Name a type and import it from your own module for anything more elaborate.' });
  return { tsType: type, import: spec ?? null };
}

function settings(): MappingOverrides {
  const s = vscode.workspace.getConfiguration('plugboard');
  const pick = <T extends string>(key: string, allowed: readonly T[]) => {
    const v = s.get<string>(key);
    return v && (allowed as readonly string[]).includes(v) ? (v as T) : undefined;
  };
  return { int8As: pick('codegen.int8As', INT8_AS), numericAs: pick('codegen.numericAs', NUMERIC_AS), dateAs: pick('codegen.dateAs', DATE_AS) };
}

/** The two prompts: the type (prefilled with the override or the generated type), then an optional import. */
async function askType(ctx: PlugboardContext, t: Target, current: FieldOverride | undefined): Promise<FieldChange | undefined> {
  const key = displayKey([t.ref.namespace, t.ref.entity, ...t.ref.field]);
  const model = ctx.schemas.peek(t.profile.id);
  const generated = model ? generatedTypeOf(model, ctx.backendOf(t.profile).valueMapping, settings(), t.ref) : undefined;
  const tsType = await vscode.window.showInputBox({
    title: `Override Type: ${key}`,
    prompt: `The TypeScript type generated code gives ${key} ("| null" is added while it is nullable). Empty: no type override.`,
    value: current?.tsType ?? generated ?? '',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? tsTypeProblem(v.trim()) && `The type ${tsTypeProblem(v.trim())}.` : undefined),
  });
  if (tsType === undefined) return undefined;
  if (!tsType.trim()) return { tsType: null, import: null };
  const spec = await vscode.window.showInputBox({
    title: `Override Type: ${key}`,
    prompt: 'Import it from a module? "Name from module" (a package, or a path relative to the output folder); empty: no import.',
    placeHolder: 'OrderMeta from ../types',
    value: formatImportSpec(current?.import),
    ignoreFocusOut: true,
    validateInput: (v) => importProblem(tsType.trim(), v),
  });
  if (spec === undefined) return undefined;
  return typeChange(tsType, parseImportSpec(spec));
}

/** The same rules as the file's: a named export, a module on one line. */
function importProblem(tsType: string, text: string): string | undefined {
  try {
    const spec = parseImportSpec(text);
    if (!spec) return undefined;
    const checked = FieldOverride.safeParse({ tsType, import: spec });
    return checked.success ? undefined : checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * Edits the file: through the open document when there is one (so its undo history and any unsaved change
 * the edit was made on stay the user's), else on disk with a temp file and a rename.
 */
async function writeOverride(ctx: PlugboardContext, t: Target, change: FieldChange | 'clear'): Promise<OverrideWritten> {
  const where = ctx.overrides.locate(t.profile);
  if (!where) throw new PlugboardError('NOT_FOUND', 'Overrides live in the workspace: open a folder first.');
  const uri = vscode.Uri.file(where.file);
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === where.file);
  const before = doc ? doc.getText() : await fs.readFile(where.file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw new PlugboardError('INVALID_CONFIG', `Cannot read ${where.file}: ${e.message}`);
  });
  const after = editFieldOverride(before, t.ref, change, where.file);
  if (after !== before) {
    if (doc) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), after);
      if (!(await vscode.workspace.applyEdit(edit)) || !(await doc.save())) throw new PlugboardError('INVALID_CONFIG', `Could not save ${where.file}.`);
    } else {
      await fs.mkdir(path.dirname(where.file), { recursive: true });
      const tmp = `${where.file}.${randomBytes(4).toString('hex')}.tmp`;
      await fs.writeFile(tmp, after);
      await fs.rename(tmp, where.file).catch(async (err: unknown) => {
        await fs.rm(tmp, { force: true });
        throw err;
      });
    }
  }
  await ctx.overrides.changed(where.file);
  const key = displayKey([t.ref.namespace, t.ref.entity, ...t.ref.field]);
  ctx.log.info('overrides', `${key}: ${change === 'clear' ? 'override cleared' : JSON.stringify(change)} in ${where.file}`);
  const loaded = await ctx.overrides.state(t.profile);
  return { file: where.file, key, override: findFieldOverride(loaded?.loaded?.overrides, t.ref) };
}

/** From the menu: say what was written and offer to regenerate (or to generate, when nothing was yet). */
async function finish(ctx: PlugboardContext, t: Target, written: OverrideWritten): Promise<OverrideWritten> {
  if (!t.interactive) return written;
  const root = workspaceRoot();
  const rel = root ? path.relative(root, written.file) : written.file;
  void (async () => {
    const generated = await hasGeneratedFiles(ctx, t.profile);
    const action = generated ? 'Regenerate' : 'Generate Client…';
    const choice = await vscode.window.showInformationMessage(`Plugboard: ${written.override ? 'override of' : 'no override for'} ${written.key} saved in ${rel}.`, action, 'Open File');
    if (choice === 'Regenerate') await vscode.commands.executeCommand(Commands.generateClient, t.profile.id, {});
    if (choice === 'Generate Client…') await vscode.commands.executeCommand(Commands.generateClient, t.profile.id);
    if (choice === 'Open File') await vscode.window.showTextDocument(vscode.Uri.file(written.file));
  })().catch(() => undefined); // a failed generation has shown its own error
  return written;
}

async function hasGeneratedFiles(ctx: PlugboardContext, profile: ConnectionProfile): Promise<boolean> {
  const { readGeneratedHeaders } = await import('../../core/codegen/headerFiles');
  return (await readGeneratedHeaders(ctx.outDir(profile)).catch(() => [])).length > 0;
}
