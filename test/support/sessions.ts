/**
 * Connects through the real adapter, the way the extension and the CLI do: getAdapter(kind).connect().
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { IntrospectOptions, Session } from '../../src/backends/adapter';
import { getAdapter } from '../../src/backends/registry';
import type { ConnectionProfile, SchemaModel, Secret } from '../../src/core/model';
import { REPO } from './workdir';

export const HOSTILE_SQL = readFileSync(path.join(REPO, 'test', 'fixtures', 'hostile.sql'), 'utf8');
export const HOSTILE_FILTER: IntrospectOptions = { exclude: ['excluded_schema'] };

export async function connect(profile: ConnectionProfile, secret: Secret = {}, signal?: AbortSignal): Promise<Session> {
  const adapter = await getAdapter(profile.kind);
  return adapter.connect(profile, secret, signal ?? new AbortController().signal);
}

/** Introspects once on a fresh session; also says how many queries the introspection took. */
export async function introspectOnce(
  profile: ConnectionProfile,
  secret: Secret = {},
  opts: IntrospectOptions = HOSTILE_FILTER,
): Promise<{ model: SchemaModel; queries: number }> {
  const session = await connect(profile, secret);
  try {
    const before = session.queryCount;
    const model = await session.introspect(opts);
    return { model, queries: session.queryCount - before };
  } finally {
    await session.close();
  }
}

/** Connects and expects a failure; returns the error (fails the test if the connect succeeded). */
export async function connectError(profile: ConnectionProfile, secret: Secret = {}, signal?: AbortSignal): Promise<unknown> {
  let session: Session | undefined;
  try {
    session = await connect(profile, secret, signal);
  } catch (err) {
    return err;
  }
  await session.close();
  throw new Error(`connecting to ${profile.host}:${profile.port}/${profile.database} was expected to fail but succeeded`);
}
