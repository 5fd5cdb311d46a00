import type { TargetOffer } from '../backend';
import { PlugboardError } from '../errors';
import { generationDigest, generationDigestSliced } from '../introspect/fingerprint';
import type { SchemaModel } from '../model';
import { PLUGBOARD_VERSION } from '../version';
import { headerComment, parseHeader, snapshotHeaderLine, type GeneratedHeader, type HeaderStyle } from './header';
import { applyOverrides } from './mapping';
import { applyCodeOverrides, generationInputs, type OverrideWarning } from './overrides/resolve';
import { DEFAULT_SPLIT_THRESHOLD } from './split';
import { TemplateSet } from './templates';
import type { CodegenOptions, CodegenTarget, GeneratedFile, ModelFeature, ResolvedCodegenOptions } from './types';

export const SNAPSHOT_FILE = 'plugboard.schema.json';

export interface GenerateResult {
  files: GeneratedFile[];
  fingerprint: string;
  /** Targets actually generated, including ones pulled in by `requires`. */
  targets: string[];
  /** The generation-inputs hash written into the headers (undefined without overrides). */
  inputs?: string;
  /** Overrides that name something the schema does not have: reported, never silently dropped. */
  warnings: OverrideWarning[];
}

/** The ids of a backend's default targets. */
export function defaultTargets(offers: readonly TargetOffer[]): string[] {
  return offers.filter((t) => t.default).map((t) => t.id);
}

/** Resolves the requested targets among a backend's offers, adding what they require, in offer order. */
export function resolveTargets(offers: readonly TargetOffer[], requested: readonly string[], kindLabel = 'this connection'): TargetOffer[] {
  const wanted = new Set<string>();
  const add = (id: string) => {
    const t = offers.find((x) => x.id === id);
    if (!t) {
      throw new PlugboardError('INVALID_CONFIG', `Target "${id}" does not apply to ${kindLabel}.`, {
        hint: `Available targets: ${offers.map((x) => x.id).join(', ') || '(none)'}.`,
      });
    }
    if (wanted.has(id)) return;
    wanted.add(id);
    t.requires?.forEach(add);
  };
  requested.forEach(add);
  if (!wanted.size) throw new PlugboardError('INVALID_CONFIG', 'No codegen target was chosen.', { hint: 'Choose at least one target to generate.' });
  return offers.filter((t) => wanted.has(t.id));
}

/** What the model has for targets to work on. */
export function modelFeatures(model: SchemaModel): Set<ModelFeature> {
  const out = new Set<ModelFeature>();
  for (const ns of model.namespaces) {
    for (const e of ns.entities) out.add(e.kind === 'collection' ? 'documents' : e.kind === 'endpoint' ? 'endpoints' : 'relational');
  }
  return out;
}

/**
 * Renders every requested target from one model. Pure: returns files, writes nothing. The snapshot file (what
 * generated code depends on, without values the model schema restores on reading) lets `plugboard check` explain what changed, not just that something did.
 * Targets see the model with the user's overrides applied; the fingerprint and the snapshot are of the schema
 * as introspected, so a changed override is a changed input, never schema drift.
 */
export async function generate(live: SchemaModel, options: CodegenOptions & { offers: readonly TargetOffer[] }): Promise<GenerateResult> {
  const resolved: ResolvedCodegenOptions = {
    profileName: options.profileName,
    targets: options.targets,
    mapping: applyOverrides(options.mapping, options),
    templatesDir: options.templatesDir,
    splitThreshold: options.splitThreshold ?? DEFAULT_SPLIT_THRESHOLD,
  };
  const offers = resolveTargets(options.offers, options.targets);
  const { model, warnings } = applyCodeOverrides(live, options.overrides);
  const inputs = generationInputs(options.overrides);
  const targets = await Promise.all(offers.map((o) => o.load()));
  const features = modelFeatures(model);
  for (const t of targets) {
    if (t.needs && features.size && !t.needs.some((n) => features.has(n))) {
      throw new PlugboardError('INVALID_CONFIG', `Target "${t.id}" needs ${t.needs.join(' or ')}, and this schema has ${[...features].join(', ')}.`);
    }
  }
  const templates = new TemplateSet(options.templatesDir);
  await templates.load(targets.flatMap((t) => t.templates));
  // One walk gives the fingerprint and the snapshot's model text (on the extension host, in slices).
  const slicer = options.slicer;
  const { fingerprint: fp, snapshot } = slicer ? await generationDigestSliced(live, slicer) : generationDigest(live, { snapshot: true });
  const headerFor = (target: string, partOf?: string): GeneratedHeader => ({
    tool: 'plugboard',
    version: PLUGBOARD_VERSION,
    profile: options.profileName,
    target,
    fingerprint: fp,
    ...(inputs ? { inputs } : {}),
    ...(partOf ? { partOf } : {}),
  });
  const ctx = {
    model,
    fingerprint: fp,
    options: resolved,
    templates,
    header: (t: string, style?: HeaderStyle, partOf?: string) => headerComment(headerFor(t, partOf), style),
  };
  const files: GeneratedFile[] = [];
  for (const target of targets) {
    for (const file of target.generate(ctx)) {
      files.push(checked(file, target, fp));
      if (slicer) await slicer.pause();
    }
  }
  files.push({ path: SNAPSHOT_FILE, target: 'snapshot', content: `${snapshotHeaderLine(headerFor('snapshot'))}\n"model":${snapshot!}}\n` });
  return { files, fingerprint: fp, targets: targets.map((t) => t.id), ...(inputs ? { inputs } : {}), warnings };
}

/** A custom template must keep the header, or Plugboard could never recognise (and update) the file again. */
function checked(file: GeneratedFile, target: CodegenTarget, fp: string): GeneratedFile {
  const header = parseHeader(file.content);
  if (!header || header.target !== target.id || header.fingerprint !== fp) {
    throw new PlugboardError('INVALID_CONFIG', `Template output for ${file.path} does not start with {{header}}.`, {
      hint: 'Custom templates must render {{header}} on their first line so Plugboard can recognise and update the file.',
    });
  }
  return file;
}
