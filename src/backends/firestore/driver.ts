import { deleteApp, type App } from 'firebase-admin/app';
import type { Firestore } from 'firebase-admin/firestore';
import type { Driver, HostServices, IntrospectOptions, ProgressReporter, Session } from '../../core/backend';
import { withDeadline } from '../../core/deadline';
import { PlugboardError, throwIfAborted } from '../../core/errors';
import { redactor } from '../../core/redact';
import { SCHEMA_MODEL_VERSION, type ConnectionProfile, type HealthReport, type SchemaModel, type Secret } from '../../core/model';
import { Calls } from './calls';
import { openFirestore } from './client';
import { Sampler } from './introspect';
import { checkEmulatorReachable } from './reach';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_DATABASE, DEFAULT_DEPTH, DEFAULT_SAMPLE_SIZE, FirestoreOptions } from './options';
import { secretSpellings } from './serviceAccount';
import { describeTarget, resolveTarget, type FirestoreTarget } from './target';

const CLOSE_DEADLINE_MS = 5_000;

/**
 * Firestore over firebase-admin: one Firebase app per session. Every call has a deadline of its own and
 * honours its AbortSignal (see Calls); root collections are listed under firebase-admin's own listing
 * deadline, which is also how an unreachable Google or a silent host is noticed quickly (an emulator's
 * refused port is told by a plain TCP connect first, see reach.ts).
 */
class FirestoreSession implements Session {
  private closing: Promise<void> | undefined;

  constructor(
    readonly profile: ConnectionProfile,
    private readonly options: FirestoreOptions,
    private readonly app: App,
    private readonly db: Firestore,
    private readonly calls: Calls,
    private readonly target: FirestoreTarget,
    private readonly connectTimeoutMs: number,
  ) {}

  get queryCount(): number {
    return this.calls.count;
  }

  private get databaseId(): string {
    return this.options.databaseId ?? DEFAULT_DATABASE;
  }

  /** Root collection ids: listed, or the profile's `collections` when given (listing may not be allowed). */
  async rootCollections(signal?: AbortSignal): Promise<string[]> {
    if (this.options.collections?.length) return [...this.options.collections];
    const refs = await this.calls.run('Listing root collections', () => this.db.listCollections(), signal, this.connectTimeoutMs + 1_000).catch((err: unknown) => {
      if (err instanceof PlugboardError && err.code === 'PERMISSION_DENIED') {
        throw new PlugboardError('PERMISSION_DENIED', err.message, { hint: 'The key may not list collections: name the root collections in the connection (collections, or ?collections=a,b in the URL), or grant it roles/datastore.viewer.' });
      }
      throw err;
    });
    return refs.map((r) => r.id);
  }

  /** A cheap read: the root collections' ids (one listing call), or one document of the first named collection. */
  private async probe(signal?: AbortSignal): Promise<void> {
    const named = this.options.collections?.[0];
    if (named === undefined) await this.rootCollections(signal);
    else await this.calls.run(`Reading ${named}`, () => this.db.collection(named).limit(1).get(), signal, this.connectTimeoutMs);
  }

  async ping(signal?: AbortSignal): Promise<HealthReport> {
    const started = performance.now();
    await this.probe(signal);
    return {
      profileId: this.profile.id,
      status: 'ok',
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
      serverVersion: this.serverVersion(),
      checkedAt: new Date().toISOString(),
    };
  }

  private serverVersion(): string {
    return this.target.kind === 'emulator' ? `Firestore emulator at ${this.target.host}` : 'Cloud Firestore';
  }

  async introspect(opts: IntrospectOptions, progress?: ProgressReporter, signal?: AbortSignal): Promise<SchemaModel> {
    const model: SchemaModel = {
      version: SCHEMA_MODEL_VERSION,
      source: { kind: 'firestore', database: `${this.options.projectId}/${this.databaseId}`, serverVersion: this.serverVersion() },
      namespaces: [],
    };
    const ns = this.databaseId;
    if ((opts.include?.length && !opts.include.includes(ns)) || opts.exclude?.includes(ns)) return model;
    progress?.('Listing collections', 0);
    const roots = await this.rootCollections(signal);
    throwIfAborted(signal);
    const sampler = new Sampler(this.db, this.calls, { namespace: ns, sampleSize: this.options.sampleSize ?? DEFAULT_SAMPLE_SIZE, depth: this.options.depth ?? DEFAULT_DEPTH }, signal, progress);
    const entities = await sampler.entities(roots);
    model.namespaces.push({ name: ns, entities, enums: [], domains: [], composites: [], functions: [] });
    progress?.('Done', 1);
    return model;
  }

  /**
   * Deletes the app (which terminates its Firestore). It returns at once even with calls pending; those go
   * on retrying until their own budget runs out, and their results are ignored.
   */
  close(): Promise<void> {
    this.closing ??= withDeadline(deleteApp(this.app), CLOSE_DEADLINE_MS, 'Closing the Firestore client').catch(() => undefined);
    return this.closing;
  }
}

async function connect(profile: ConnectionProfile, secret: Secret, host: HostServices): Promise<Session> {
  const parsed = FirestoreOptions.safeParse(profile.options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PlugboardError('INVALID_CONFIG', `The Firestore connection is invalid: ${issue?.path.join('.') || 'options'} ${issue?.message ?? ''}`.trim());
  }
  const options = parsed.data;
  redactor.register(secret.serviceAccount);
  throwIfAborted(host.signal);
  const target = await resolveTarget(options, secret);
  if (target.kind === 'cloud') {
    for (const spelling of secretSpellings(target.account)) redactor.register(spelling);
    if (target.account.projectId !== options.projectId) host.log(`firestore: the service account belongs to project ${target.account.projectId}; reading project ${options.projectId} with it`);
  }
  const label = describeTarget(options.projectId, target);
  host.log(`firestore: connecting to ${label}`);
  // Within the host's own step deadline, with room for the listing's last retry (it ends 0.3-2 s late).
  const connectTimeoutMs = options.connectTimeoutMs ?? Math.min(DEFAULT_CONNECT_TIMEOUT_MS, Math.max(500, host.timeoutMs - 2_000));
  if (target.kind === 'emulator') await checkEmulatorReachable(target.host, connectTimeoutMs, host.signal);
  const { app, db } = openFirestore(options, target, connectTimeoutMs);
  const session = new FirestoreSession(profile, options, app, db, new Calls(label, options.timeoutMs ?? host.timeoutMs), target, connectTimeoutMs);
  try {
    await session.ping(host.signal);
  } catch (err) {
    await session.close();
    throw err;
  }
  return session;
}

export const firestoreDriver: Driver = { connect };
