import type { Driver, EntityRef, HostServices, IntrospectOptions, PreviewPage, ProgressReporter, Session } from '../../core/backend';
import { PlugboardError, throwIfAborted } from '../../core/errors';
import type { ConnectionProfile, HealthReport, SchemaModel, Secret } from '../../core/model';
import { redactor } from '../../core/redact';
import { closeSession } from '../../core/sessions';
import { postgresDriver, type PgSession } from '../postgres/driver';
import { parsePgConnection } from '../postgres/url';
import { rlsDdl, supabaseSnippets } from './browse';
import { applyFacts, parseFacts, POSTGREST_FACTS_SQL } from './enrich';
import { checkKeys } from './keys';
import { DEFAULT_SCHEMAS, SupabaseOptions } from './options';
import { probeAuth, probeRest, type Probe, type ServiceCall } from './services';

interface SupabaseSecret {
  anonKey: string;
  serviceRoleKey?: string;
  dbUrl: string;
}

function secretOf(secret: Secret): SupabaseSecret {
  const value = (k: string) => (typeof secret[k] === 'string' && secret[k] !== '' ? secret[k] : undefined);
  const anonKey = value('anonKey');
  const dbUrl = value('dbUrl');
  if (!anonKey) throw new PlugboardError('INVALID_CONFIG', 'The connection has no anon key.', { hint: 'Add it (Project Settings → API → anon key): Plugboard: Edit Connection, or SUPABASE_ANON_KEY for the CLI.' });
  if (!dbUrl) {
    throw new PlugboardError('INVALID_CONFIG', 'The connection has no database connection string.', {
      hint: 'Add it (Project Settings → Database → Connection string): Plugboard: Edit Connection, or SUPABASE_DB_URL for the CLI.',
    });
  }
  return { anonKey, serviceRoleKey: value('serviceRoleKey'), dbUrl };
}

/**
 * A Supabase project: its data API, checked with the anon key (and the service-role key, when given), and
 * its database, reached through the PostgreSQL driver for introspection.
 */
class SupabaseSession implements Session {
  private requests = 0;

  constructor(
    readonly profile: ConnectionProfile,
    private readonly options: SupabaseOptions,
    private readonly keys: SupabaseSecret,
    private readonly db: PgSession,
    private readonly host: HostServices,
  ) {}

  get queryCount(): number {
    return this.db.queryCount + this.requests;
  }

  async ping(signal?: AbortSignal): Promise<HealthReport> {
    const call = serviceCall(this.options, this.host, signal);
    this.requests += this.keys.serviceRoleKey ? 3 : 2;
    const [rest, auth, db] = await Promise.all([checkApi(call, this.keys), probeAuth(call, this.keys.anonKey), this.db.ping(signal)]);
    const parts = [
      `${rest.version ?? 'PostgREST'} (${rest.latencyMs} ms)`,
      auth.ok ? `${auth.version} (${auth.latencyMs} ms)` : `auth not reachable (${auth.problem})`,
      `${db.serverVersion ?? 'PostgreSQL'} (${db.latencyMs ?? '?'} ms)`,
    ];
    return { profileId: this.profile.id, status: 'ok', latencyMs: rest.latencyMs, serverVersion: parts.join(' · '), checkedAt: new Date().toISOString() };
  }

  async introspect(opts: IntrospectOptions, progress?: ProgressReporter, signal?: AbortSignal): Promise<SchemaModel> {
    // The caller's filter (the CLI's --schema) wins over the profile's exposed schemas.
    const include = opts.include?.length ? opts.include : (this.options.schemas ?? DEFAULT_SCHEMAS);
    const exclude = opts.exclude ?? [];
    const schemas = include.filter((s) => !exclude.includes(s));
    const [model, facts] = await Promise.all([
      this.db.introspect({ include: schemas, sliced: opts.sliced }, progress, signal),
      this.db.query<{ data: string }>(POSTGREST_FACTS_SQL, [schemas], signal),
    ]);
    throwIfAborted(signal);
    applyFacts(model, parseFacts(facts));
    model.source = { ...model.source, kind: 'supabase' };
    const without = model.namespaces.flatMap((ns) => ns.entities.filter((e) => e.rls && !e.rls.enabled).map((e) => `${ns.name}.${e.name}`));
    if (without.length) this.host.log(`[supabase] ${this.profile.id}: RLS is off on ${without.length} table(s): ${without.slice(0, 10).join(', ')}${without.length > 10 ? ', …' : ''}`);
    return model;
  }

  /** Rows as the database holds them (read over the database connection, so RLS does not hide any). */
  preview(ref: EntityRef, page: { limit: number; offset: number }, signal?: AbortSignal): Promise<PreviewPage> {
    return this.db.preview(ref, page, signal);
  }

  /** The relation's DDL, followed by its row-level security: ENABLE and the policies. */
  async ddl(ref: EntityRef, signal?: AbortSignal): Promise<string> {
    const [ddl, rls] = await Promise.all([this.db.ddl(ref, signal), rlsDdl((text, values, s) => this.db.query(text, values, s), ref, signal)]);
    return rls ? `${ddl}
${rls}
` : ddl;
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

function serviceCall(options: SupabaseOptions, host: HostServices, signal: AbortSignal | undefined): ServiceCall {
  return { fetch: host.fetch, url: options.url, timeoutMs: options.connectTimeoutMs ?? host.timeoutMs, signal };
}

/** The data API with each key the connection has; throws the first refusal. */
async function checkApi(call: ServiceCall, keys: SupabaseSecret): Promise<Probe> {
  const [anon] = await Promise.all([
    probeRest(call, keys.anonKey, 'anon key'),
    keys.serviceRoleKey ? probeRest(call, keys.serviceRoleKey, 'service role key') : undefined,
  ]);
  return anon;
}

export const supabaseDriver: Driver = {
  async connect(profile, secret, host) {
    const options = SupabaseOptions.parse(profile.options);
    const keys = secretOf(secret);
    for (const v of [keys.anonKey, keys.serviceRoleKey, keys.dbUrl]) redactor.register(v);
    checkKeys(keys.anonKey, keys.serviceRoleKey);
    const pg = parsePgConnection(keys.dbUrl);
    redactor.register(pg.secret.password);
    const dbProfile: ConnectionProfile = {
      id: profile.id,
      name: profile.name,
      kind: 'postgres',
      options: { connectTimeoutMs: options.connectTimeoutMs, ...pg.options },
    };
    // The API and the database at once; whichever fails first is the answer, and a session opened meanwhile
    // is closed again.
    const opening = postgresDriver.connect(dbProfile, pg.secret, host) as Promise<PgSession>;
    try {
      const [api, db] = await Promise.all([checkApi(serviceCall(options, host, host.signal), keys), opening]);
      host.log(`[supabase] ${profile.id}: data API ${api.version ?? 'PostgREST'} at ${options.url}${keys.serviceRoleKey ? ' (anon and service role keys accepted)' : ' (anon key accepted)'}`);
      return new SupabaseSession(profile, options, keys, db, host);
    } catch (err) {
      void opening.then((s) => closeSession(s), () => undefined);
      throw err;
    }
  },
  snippets: supabaseSnippets,
};
