import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { adviseRls, hasRlsFacts, type Advice } from '../core/advise/rls';
import { propertyKey } from '../core/codegen/naming';
import type { SchemaModel } from '../core/model';
import type { PlugboardContext } from './context';

/**
 * The row-level security advice of a model, by `namespace\0entity`, worked out once per model: the tree asks
 * for every entity row it shows, 5,000 of them for 5,000 tables. A model without RLS facts (a plain
 * PostgreSQL server, any other backend) gets an empty map, so asking never scans the model again.
 */
const byModel = new WeakMap<SchemaModel, Map<string, Advice[]>>();

export function adviceOf(model: SchemaModel | undefined, namespace: string, entity: string): Advice[] {
  if (!model) return [];
  let map = byModel.get(model);
  if (!map) {
    map = new Map();
    if (hasRlsFacts(model)) {
      for (const a of adviseRls(model)) {
        const key = `${a.entity.namespace}\u0000${a.entity.entity}`;
        map.set(key, [...(map.get(key) ?? []), a]);
      }
    }
    byModel.set(model, map);
  }
  return map.get(`${namespace}\u0000${entity}`) ?? [];
}

/** A short label for the tree: "RLS off", "RLS: no policy", "anon writes any row". */
export function adviceLabel(advice: readonly Advice[]): string | undefined {
  const first = advice.find((a) => a.severity === 'error') ?? advice[0];
  if (!first) return undefined;
  return first.code === 'rls_disabled' ? 'RLS off' : first.code === 'rls_no_policy' ? 'RLS: no policy' : 'anon writes any row';
}

/**
 * Problems in generated files that come from the live schema: row-level security advice, shown on the
 * generated declaration of each table it is about. Refreshed whenever a profile's model or generated files
 * change; files outside a profile's output folder are not touched.
 */
export class GeneratedDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('plugboard');
  private readonly subscriptions: { dispose(): void }[];
  /** Files each profile put diagnostics on, to clear them when its advice goes away. */
  private readonly owned = new Map<string, string[]>();

  constructor(private readonly ctx: PlugboardContext) {
    this.subscriptions = [
      ctx.schemas.onDidChange((id) => void this.update(id)),
      ctx.schemas.onDidGenerate((outcome) => void this.update(outcome.profileId)),
    ];
  }

  async update(profileId: string): Promise<void> {
    const profile = (await this.ctx.profiles.list().catch(() => [])).find((p) => p.id === profileId);
    const model = this.ctx.schemas.peek(profileId);
    for (const file of this.owned.get(profileId) ?? []) this.collection.delete(vscode.Uri.file(file));
    this.owned.delete(profileId);
    if (!profile || !model || !hasRlsFacts(model)) return;
    const advice = adviseRls(model);
    if (!advice.length) return;
    const dir = this.ctx.outDir(profile);
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    const files = await Promise.all(
      names.filter((n) => n.endsWith('.ts')).map(async (n) => ({ file: path.join(dir, n), lines: (await fs.readFile(path.join(dir, n), 'utf8').catch(() => '')).split('\n') })),
    );
    const found = new Map<string, vscode.Diagnostic[]>();
    for (const a of advice) {
      for (const { file, lines } of files) {
        const line = anchorLine(lines, a.entity.namespace, a.entity.entity);
        if (line < 0) continue;
        const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, lines[line]!.length), a.message, a.severity === 'error' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information);
        d.source = 'Plugboard';
        d.code = a.code;
        found.set(file, [...(found.get(file) ?? []), d]);
      }
    }
    for (const [file, diagnostics] of found) this.collection.set(vscode.Uri.file(file), diagnostics);
    this.owned.set(profileId, [...found.keys()]);
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.collection.dispose();
  }
}

/** Where a table is declared in a generated file: its JSDoc (`/** table public.x`, `/** table x`) or its key. */
function anchorLine(lines: readonly string[], namespace: string, entity: string): number {
  const qualified = lines.findIndex((l) => l.includes(`table ${namespace}.${entity}`));
  if (qualified >= 0) return qualified;
  const doc = lines.findIndex((l) => l.trimStart().startsWith(`/** table ${entity}`) && !l.slice(l.indexOf(entity) + entity.length).match(/^\w/));
  if (doc >= 0) return doc;
  const key = propertyKey(entity);
  return lines.findIndex((l) => l.trimStart().startsWith(`${key}: {`));
}
