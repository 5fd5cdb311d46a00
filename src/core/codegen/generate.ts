import { PlugboardError } from '../errors';
import { fingerprint as fingerprintOf, normaliseModel } from '../introspect/fingerprint';
import type { SchemaModel } from '../model';
import { PLUGBOARD_VERSION } from '../version';
import { headerComment, type GeneratedHeader } from './header';
import { TARGETS } from './targets';
import { TemplateSet } from './templates';
import type { CodegenOptions, CodegenTarget, GeneratedFile, ResolvedCodegenOptions } from './types';

export const SNAPSHOT_FILE = 'plugboard.schema.json';

export interface GenerateResult {
  files: GeneratedFile[];
  fingerprint: string;
  /** Targets actually generated, including ones pulled in by `requires`. */
  targets: string[];
}

export function targetsFor(kind: string): CodegenTarget[] {
  return TARGETS.filter((t) => t.kinds === '*' || t.kinds.includes(kind));
}

export function defaultTargets(kind: string): string[] {
  return targetsFor(kind)
    .filter((t) => t.id !== 'webhook-verify')
    .map((t) => t.id);
}

/** Resolves the requested targets, adding what they require, in registry order. */
export function resolveTargets(kind: string, requested: readonly string[]): CodegenTarget[] {
  const available = targetsFor(kind);
  const wanted = new Set<string>();
  const add = (id: string) => {
    const t = available.find((x) => x.id === id);
    if (!t) {
      throw new PlugboardError('INVALID_CONFIG', `Target "${id}" does not apply to ${kind} connections.`, {
        hint: `Available targets: ${available.map((x) => x.id).join(', ') || '(none)'}.`,
      });
    }
    if (wanted.has(id)) return;
    wanted.add(id);
    t.requires?.forEach(add);
  };
  requested.forEach(add);
  if (!wanted.size) throw new PlugboardError('INVALID_CONFIG', 'No codegen target was chosen.');
  return available.filter((t) => wanted.has(t.id));
}

/**
 * Renders every requested target from one model. Pure: returns files, writes nothing. The snapshot file (the
 * normalised model) lets `plugboard check` explain what changed, not just that something did.
 */
export async function generate(model: SchemaModel, options: CodegenOptions): Promise<GenerateResult> {
  const resolved: ResolvedCodegenOptions = {
    profileName: options.profileName,
    targets: options.targets,
    int8As: options.int8As ?? 'string',
    numericAs: options.numericAs ?? 'string',
    dateAs: options.dateAs ?? 'Date',
    templatesDir: options.templatesDir,
  };
  const targets = resolveTargets(model.source.kind, options.targets);
  const templates = new TemplateSet(options.templatesDir);
  await templates.load(targets.flatMap((t) => t.templates));
  const fp = fingerprintOf(model);
  const headerFor = (target: string): GeneratedHeader => ({
    tool: 'plugboard',
    version: PLUGBOARD_VERSION,
    profile: options.profileName,
    target,
    fingerprint: fp,
  });
  const ctx = { model, fingerprint: fp, options: resolved, templates, header: (t: string) => headerComment(headerFor(t)) };
  const files: GeneratedFile[] = [];
  for (const target of targets) {
    for (const file of target.generate(ctx)) {
      if (!file.content.startsWith(ctx.header(target.id))) {
        throw new PlugboardError('INVALID_CONFIG', `Template output for ${file.path} does not start with {{header}}.`, {
          hint: 'Custom templates must render {{header}} on their first line so Plugboard can recognise and update the file.',
        });
      }
      files.push(file);
    }
  }
  files.push({
    path: SNAPSHOT_FILE,
    target: 'snapshot',
    content: `${JSON.stringify({ $plugboard: headerFor('snapshot'), model: normaliseModel(model) }, null, 2)}\n`,
  });
  return { files, fingerprint: fp, targets: targets.map((t) => t.id) };
}
