import * as path from 'node:path';
import type { IntrospectOptions, ProgressReporter } from './backend';
import type { BackendCatalog } from './catalog';
import type { LoadedOverrides } from './codegen/overrides/file';
import type { OverrideWarning } from './codegen/overrides/resolve';
import type { MappingOverrides } from './codegen/types';
import { cancelled, throwIfAborted } from './errors';
import { Slicer } from './slices';
import type { SchemaChange } from './introspect/diff';
import type { DriftReport } from './introspect/drift';
import type { ConnectionProfile, SchemaModel } from './model';
import type { SessionManager } from './sessions';

export interface GenerateRequest extends MappingOverrides {
  targets: string[];
  /** Absolute. */
  outDir: string;
  templatesDir?: string;
  /** Entities per namespace above which files are split into parts (0: never; absent: the default, 200). */
  splitThreshold?: number;
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
  /** What changed since the files were last generated (from their snapshot); undefined for a first generation. */
  changes?: SchemaChange[];
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
const headerFiles = () => import('./codegen/headerFiles');
const drift = () => import('./introspect/drift');

/**
 * The one owner of schema models: introspection (one in flight per profile, shared by every caller), the
 * per-profile cache, generation and the drift check. The tree, the CodeLens, the commands and the CLI all
 * go through it, so a model introspected for one of them serves the others.
 */
export class SchemaService {
  private readonly models = new Map<string, { model: Promise<SchemaModel>; settled?: SchemaModel }>();
  /** The newest model read per profile (by start order): what peek() shows while a re-read is under way. */
  private readonly latest = new Map<string, { model: SchemaModel; seq: number }>();
  private seq = 0;
  /** Reads started before a profile was forgotten are not news when they finish. */
  private readonly forgottenAt = new Map<string, number>();
  private readonly listeners = new Set<(profileId: string) => void>();
  private readonly written = new Set<(outcome: GenerateOutcome) => void>();

  /**
   * `sliced`: the extension host's service. Long work on its thread yields to the event loop every 10 ms or so
   * (`Slicer`), so a 5,000-table schema never freezes the editor: models are built in slices
   * (`IntrospectOptions.sliced`), hashing and rendering are sliced, and what changed since the last snapshot is
   * worked out on a worker thread. The CLI's service does each in one go.
   */
  constructor(
    private readonly backends: BackendCatalog,
    private readonly sessions: SessionManager,
    private readonly options: { sliced?: boolean } = {},
  ) {}

  /** The last model read, if any (never starts an introspection; a re-read under way does not hide it). */
  peek(profileId: string): SchemaModel | undefined {
    return this.latest.get(profileId)?.model;
  }

  /** Whether a model is cached or on its way. */
  has(profileId: string): boolean {
    return this.models.has(profileId);
  }

  onDidChange(listener: (profileId: string) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Told when generated files were written (after the model they came from was announced). */
  onDidGenerate(listener: (outcome: GenerateOutcome) => void): { dispose(): void } {
    this.written.add(listener);
    return { dispose: () => this.written.delete(listener) };
  }

  /** The profile's schema: the cached one, or introspected now (and cached until forgotten). */
  model(profile: ConnectionProfile, req: ModelRequest = {}): Promise<SchemaModel> {
    const cached = this.models.get(profile.id);
    if (cached && !req.fresh && !req.filter) return cached.model;
    const seq = ++this.seq;
    const entry: { model: Promise<SchemaModel>; settled?: SchemaModel } = {
      model: (async () => {
        const session = await this.sessions.get(profile, req.signal);
        const model = await session.introspect({ ...req.filter, sliced: this.options.sliced }, req.progress, req.signal);
        throwIfAborted(req.signal);
        return model;
      })(),
    };
    if (req.filter) return entry.model; // a one-off view: not what the tree shows
    this.models.set(profile.id, entry);
    entry.model.then(
      (m) => {
        entry.settled = m;
        // Forgotten meanwhile (removed, refreshed): not news. A later read that already settled wins.
        if (seq <= (this.forgottenAt.get(profile.id) ?? 0) || (this.latest.get(profile.id)?.seq ?? 0) > seq) return;
        this.latest.set(profile.id, { model: m, seq });
        this.fire(profile.id);
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
    this.latest.delete(profileId);
    this.forgottenAt.set(profileId, this.seq);
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
      splitThreshold: req.splitThreshold ?? profile.codegen?.splitThreshold,
      ...(this.options.sliced ? { slicer: new Slicer(10, req.signal, 'Generation') } : {}),
    });
    if (req.signal?.aborted) throw cancelled('Generation');
    const changes = await this.changesSinceLastGeneration(req.outDir, model, result.fingerprint, this.options.sliced);
    req.progress?.('Writing files');
    const written = await (await writer()).writeGeneratedFiles(req.outDir, result.files, req.signal);
    const outcome: GenerateOutcome = {
      profileId: profile.id,
      outDir: req.outDir,
      fingerprint: result.fingerprint,
      targets: result.targets,
      model,
      changes,
      ...(result.inputs ? { inputs: result.inputs } : {}),
      warnings: result.warnings,
      ...written,
    };
    this.written.forEach((l) => l(outcome));
    return outcome;
  }

  /**
   * The schema's changes since the snapshot in `outDir` was written, if there is a readable one. A snapshot
   * whose header has this generation's fingerprint is of the same schema (as the drift check judges it), so
   * regenerating an unchanged schema does not parse, check and diff its megabytes (3 s at 10,000 tables).
   */
  private async changesSinceLastGeneration(outDir: string, model: SchemaModel, fingerprint: string, offThread = false): Promise<SchemaChange[] | undefined> {
    const [{ snapshotChanges, snapshotChangesOffThread }, { SNAPSHOT_FILE }, { readHeader }] = await Promise.all([drift(), codegen(), headerFiles()]);
    const file = path.join(outDir, SNAPSHOT_FILE);
    if ((await readHeader(file))?.fingerprint === fingerprint) return [];
    const { snapshot, changes } = await (offThread ? snapshotChangesOffThread : snapshotChanges)(file, model);
    return snapshot === 'read' ? changes : undefined;
  }

  /**
   * Compares what was generated into `outDir` with the live schema (introspected afresh) and, when given,
   * the current generation inputs (`generationInputs(overrides)`).
   */
  async drift(profile: ConnectionProfile, outDir: string, req: ModelRequest & { inputs?: string; offThread?: boolean } = {}): Promise<DriftReport> {
    const live = await this.model(profile, { ...req, fresh: req.fresh ?? true });
    return (await drift()).checkDrift(outDir, live, req.inputs, { offThread: req.offThread });
  }

  private fire(profileId: string): void {
    this.listeners.forEach((l) => l(profileId));
  }
}
