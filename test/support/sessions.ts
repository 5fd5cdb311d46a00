/**
 * Connects through the real backend module, the way the extension and the CLI do: the catalog's driver.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { IntrospectOptions, Session } from '../../src/core/backend';
import type { ConnectionProfile, SchemaModel, Secret } from '../../src/core/model';
import { CATALOG, testHost } from './host';
import { REPO } from './workdir';

export const HOSTILE_SQL = readFileSync(path.join(REPO, 'test', 'fixtures', 'hostile.sql'), 'utf8');
export const HOSTILE_FILTER: IntrospectOptions = { exclude: ['excluded_schema'] };

export async function connect(profile: ConnectionProfile, secret: Secret = {}, signal?: AbortSignal): Promise<Session> {
  const driver = await CATALOG.driver(profile.kind);
  return driver.connect(profile, secret, testHost({ signal: signal ?? new AbortController().signal }));
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
  throw new Error(`connecting to ${CATALOG.get(profile.kind).describe(profile.options)} was expected to fail but succeeded`);
}
