import type { IntrospectOptions, ProgressReporter } from './backend';
import type { BackendCatalog } from './catalog';
import type { LoadedOverrides } from './codegen/overrides/file';
import type { OverrideWarning } from './codegen/overrides/resolve';
import type { MappingOverrides } from './codegen/types';
import { cancelled, throwIfAborted } from './errors';
import type { DriftReport } from './introspect/drift';
import type { ConnectionProfile, SchemaModel } from './model';
import type { SessionManager } from './sessions';

export interface GenerateRequest extends MappingOverrides {
  targets: string[];
  /** Absolute. */
  outDir: string;
  templatesDir?: string;
  progress?: ProgressReporter;
  signal?: AbortSignal;
  /** A model just introspected (with a one-off filter, say); otherwise the schema is introspected afresh. */
  model?: SchemaModel;
  /** The profile's overrides file, read (`readOverrides(overridesPath(root, profile.codegen?.overrides))`). */
  overrides?: LoadedOverrides;
}

export interface GenerateOutcome {
  profileId: string;
  outDir: string;
  fingerprint: string;
  targets: string[];
  written: string[];
  unchanged: string[];
  model: SchemaModel;
  /** The generation-inputs hash in the headers (undefined without overrides). */
  inputs?: string;
  /** Overrides that name nothing in the schema: for the Problems panel, the CodeLens and the CLI's stderr. */
  warnings: OverrideWarning[];
}

export interface ModelRequest {
  progress?: ProgressReporter;
  signal?: AbortSignal;
  /** Introspect again even when a model is cached. */
  fresh?: boolean;
  /** Namespaces to read instead of the profile's own filter (the CLI's --schema). */
  filter?: IntrospectOptions;
}

/** Codegen (handlebars, every target) and the drift check load on first use, not with the service. */
const codegen = () => import('./codegen/generate');
const writer = () => import('./codegen/writer');
const drift = () => import('./introspect/drift');

/**
 * The one owner of schema models: introspection (one in flight per profile, shared by every caller), the
 * per-profile cache, generation and the drift check. The tree, the CodeLens, the commands and the CLI all
 * go through it, so a model introspected for one of them serves the others.
 */
export class SchemaService {
  private readonly models = new Map<string, { model: Promise<SchemaModel>; settled?: SchemaModel }>();
  private readonly listeners = new Set<(profileId: string) => void>();

  constructor(
    private readonly backends: BackendCatalog,
    private readonly sessions: SessionManager,
  ) {}

  /** The cached model, if one has been read (never starts an introspection). */
  peek(profileId: string): SchemaModel | undefined {
    return this.models.get(profileId)?.settled;
  }

  /** Whether a model is cached or on its way. */
  has(profileId: string): boolean {
    return this.models.has(profileId);
  }

  onDidChange(listener: (profileId: string) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** The profile's schema: the cached one, or introspected now (and cached until forgotten). */
  model(profile: ConnectionProfile, req: ModelRequest = {}): Promise<SchemaModel> {
    const cached = this.models.get(profile.id);
    if (cached && !req.fresh && !req.filter) return cached.model;
    const entry: { model: Promise<SchemaModel>; settled?: SchemaModel } = {
      model: (async () => {
        const session = await this.sessions.get(profile, req.signal);
        const model = await session.introspect(req.filter ?? {}, req.progress, req.signal);
        throwIfAborted(req.signal);
        return model;
      })(),
    };
    if (req.filter) return entry.model; // a one-off view: not what the tree shows
    this.models.set(profile.id, entry);
    entry.model.then(
      (m) => {
        entry.settled = m;
        if (this.models.get(profile.id) === entry) this.fire(profile.id);
      },
      () => {
        // A failed re-read keeps what was known before (the server may be down for a moment).
        if (this.models.get(profile.id) !== entry) return;
        if (cached?.settled) this.models.set(profile.id, cached);
        else this.models.delete(profile.id);
      },
    );
    return entry.model;
  }

  forget(profileId: string): void {
    if (this.models.delete(profileId)) this.fire(profileId);
  }

  forgetAll(): void {
    for (const id of [...this.models.keys()]) this.forget(id);
  }

  /**
   * Introspects afresh, renders the targets and writes them all or nothing. A cancel at any point before the
   * files are renamed into place leaves the old files exactly as they were.
   */
  async generate(profile: ConnectionProfile, req: GenerateRequest): Promise<GenerateOutcome> {
    const backend = this.backends.get(profile.kind);
    const { generate } = await codegen();
    const model = req.model ?? (await this.model(profile, { fresh: true, progress: req.progress, signal: req.signal }));
    req.progress?.('Rendering templates');
    const result = await generate(model, {
      profileName: profile.name,
      targets: req.targets,
      offers: backend.targets,
      mapping: backend.valueMapping,
      int8As: req.int8As,
      numericAs: req.numericAs,
      dateAs: req.dateAs,
      templatesDir: req.templatesDir,
      overrides: req.overrides,
    });
    if (req.signal?.aborted) throw cancelled('Generation');
    req.progress?.('Writing files');
    const written = await (await writer()).writeGeneratedFiles(req.outDir, result.files, req.signal);
    return {
      profileId: profile.id,
      outDir: req.outDir,
      fingerprint: result.fingerprint,
      targets: result.targets,
      model,
      ...(result.inputs ? { inputs: result.inputs } : {}),
      warnings: result.warnings,
      ...written,
    };
  }

  /**
   * Compares what was generated into `outDir` with the live schema (introspected afresh) and, when given,
   * the current generation inputs (`generationInputs(overrides)`).
   */
  async drift(profile: ConnectionProfile, outDir: string, req: ModelRequest & { inputs?: string } = {}): Promise<DriftReport> {
    const live = await this.model(profile, { ...req, fresh: req.fresh ?? true });
    return (await drift()).checkDrift(outDir, live, req.inputs);
  }

  private fire(profileId: string): void {
    this.listeners.forEach((l) => l(profileId));
  }
}
