import { MongoClient } from 'mongodb';
import type { Driver, HostServices, IntrospectOptions, ProgressReporter, Session } from '../../core/backend';
import { withDeadline } from '../../core/deadline';
import { cancelled, PlugboardError, throwIfAborted } from '../../core/errors';
import { describeZodIssue } from '../../core/model/zodIssues';
import type { ConnectionProfile, HealthReport, SchemaModel, Secret } from '../../core/model';
import { redactor } from '../../core/redact';
import { CLOSE_DEADLINE_MS } from '../../core/sessions';
import { clientSetup, POOL_SIZE } from './client';
import { classifyMongoError } from './errors';
import { failFast } from './failFast';
import { introspectServer, type Step } from './introspect';
import { DEFAULT_SAMPLE_SIZE, describeMongo, MongoOptions } from './options';

/**
 * MongoDB over the official driver: one MongoClient (a pool of POOL_SIZE connections) per session. Every
 * step runs under the host's deadline and the caller's AbortSignal (passed to the driver, which then drops the
 * connection the command was on); connecting is bounded by server selection and cancelled by closing the
 * client.
 */
class MongoSession implements Session {
  queryCount = 0;
  private closing: Promise<void> | undefined;

  constructor(
    readonly profile: ConnectionProfile,
    private readonly options: MongoOptions,
    private readonly client: MongoClient,
    private readonly label: string,
    private readonly stepMs: number,
    private readonly maxTimeMS: number,
  ) {
    client.on('commandStarted', () => this.queryCount++);
  }

  /** One network step: deadline, cancellation, and the driver's error as a PlugboardError. */
  step<T>(what: string, work: (signal: AbortSignal | undefined) => Promise<T>, signal?: AbortSignal, ms = this.stepMs): Promise<T> {
    if (this.closing) return Promise.reject(new PlugboardError('CONNECTION_LOST', `The session to ${this.label} is closed.`));
    throwIfAborted(signal);
    const running = withDeadline(abortable(work(signal), signal), ms, `${what} on ${this.label}`);
    return running.catch((err: unknown) => Promise.reject(classifyMongoError(err, `${what} on ${this.label}`, { tls: this.options.tls, signal })));
  }

  async ping(signal?: AbortSignal): Promise<HealthReport> {
    const admin = this.client.db('admin');
    const started = performance.now();
    await this.step('Ping', (s) => admin.command({ ping: 1 }, { signal: s }), signal);
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    const build = await this.step('Reading the server version', (s) => admin.command({ buildInfo: 1 }, { signal: s }), signal);
    return {
      profileId: this.profile.id,
      status: 'ok',
      latencyMs,
      serverVersion: `MongoDB ${typeof build.version === 'string' ? build.version : '?'}`,
      checkedAt: new Date().toISOString(),
    };
  }

  introspect(opts: IntrospectOptions, progress?: ProgressReporter, signal?: AbortSignal): Promise<SchemaModel> {
    // The caller's filter (the CLI's --schema) wins over the profile's, which wins over the URL's database.
    const filter = opts.include?.length || opts.exclude?.length ? opts : (this.options.databases ?? {});
    const step: Step = (what, work, ms) => this.step(what, work, signal, ms);
    const plan = {
      filter,
      defaultDatabase: this.options.database,
      sampleSize: this.options.sampleSize ?? DEFAULT_SAMPLE_SIZE,
      maxTimeMS: this.maxTimeMS,
      concurrency: POOL_SIZE,
      stepMs: this.stepMs,
    };
    return introspectServer(this.client, plan, step, progress, signal);
  }

  close(): Promise<void> {
    this.closing ??= closeClient(this.client);
    return this.closing;
  }
}

/** Closes the client within CLOSE_DEADLINE_MS; a stalled server never keeps the caller waiting. */
function closeClient(client: MongoClient): Promise<void> {
  return withDeadline(client.close(), CLOSE_DEADLINE_MS, 'Closing the connection').catch(() => undefined);
}

/** `work`, or CANCELLED as soon as `signal` fires (the driver gets the same signal and stops on its own). */
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

async function connect(profile: ConnectionProfile, secret: Secret, host: HostServices): Promise<MongoSession> {
  const parsed = MongoOptions.safeParse(profile.options ?? {});
  if (!parsed.success) throw new PlugboardError('INVALID_CONFIG', `Connection "${profile.name}": ${describeZodIssue(parsed.error, 'options')}`);
  const options = parsed.data;
  redactor.register(secret.password);
  const label = describeMongo(options);
  if (options.user && secret.password === undefined && options.authMechanism !== 'MONGODB-X509') {
    // The driver would refuse with words about its own options; say what is missing.
    throw new PlugboardError('AUTHENTICATION_FAILED', `The connection to ${label} names user "${options.user}" but has no password.`, {
      hint: 'Add the password (Plugboard: Edit Connection); the CLI reads it from the URL or MONGODB_PASSWORD.',
    });
  }
  const setup = clientSetup(options, secret, host.timeoutMs);
  const context = `Connecting to ${options.hosts ?? 'localhost:27017'}`;
  let client: MongoClient;
  try {
    client = new MongoClient(setup.url, setup.options);
  } catch (err) {
    throw classifyMongoError(err, context, { tls: options.tls });
  }
  const signal = host.signal;
  const onAbort = () => void closeClient(client);
  signal?.addEventListener('abort', onAbort, { once: true });
  const early = failFast(client);
  try {
    throwIfAborted(signal);
    // connect() selects a server and, with a user, authenticates a connection; ping proves a command runs.
    const ready = client.connect().then(() => client.db('admin').command({ ping: 1 }, { signal }));
    await withDeadline(abortable(Promise.race([ready, early.failed]), signal), setup.selectionMs + host.timeoutMs, context, onAbort);
  } catch (err) {
    await closeClient(client);
    throw classifyMongoError(err, context, { tls: options.tls, signal });
  } finally {
    early.stop();
    signal?.removeEventListener('abort', onAbort);
  }
  return new MongoSession(profile, options, client, label, host.timeoutMs, setup.maxTimeMS);
}

export const mongoDriver: Driver = { connect };

export type { MongoSession };
