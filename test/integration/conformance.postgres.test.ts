/**
 * The backend conformance suite for PostgreSQL: the local server (with a throwaway scram cluster for bad
 * credentials, since the local one trusts every login) and PGlite (which has no authentication at all).
 */
import { CANARY } from '../support/canary';
import { describeConformance, type ConformanceFixture } from '../support/conformance';
import { withOptions } from '../support/host';
import { freePort, startBlackHole } from '../support/net';
import { startPglite } from '../support/pglite';
import { createScratchDatabase, requirePostgres } from '../support/postgres';
import { startScramCluster } from '../support/scramCluster';

const SEED = `CREATE TABLE conformance_items (id serial PRIMARY KEY, name text NOT NULL, tags text[], meta jsonb);
CREATE VIEW conformance_names AS SELECT id, name FROM conformance_items;`;

/** Every way to fail shares the seeded profile's shape, pointed elsewhere. */
function failures(base: () => ConformanceFixture['refused']): Pick<ConformanceFixture, 'refused' | 'stalled' | 'stalledWithinMs'> {
  return {
    refused: async () => {
      const t = await base()();
      return { ...t, profile: withOptions(t.profile, { host: '127.0.0.1', port: await freePort() }) };
    },
    stalled: async () => {
      const t = await base()();
      const hole = await startBlackHole();
      return { ...t, profile: withOptions(t.profile, { host: '127.0.0.1', port: hole.port, connectTimeoutMs: 500, sslmode: 'disable' }), teardown: () => hole.close() };
    },
    stalledWithinMs: 3_000,
  };
}

let local: Awaited<ReturnType<typeof createScratchDatabase>> | undefined;

describeConformance({
  name: 'PostgreSQL (local server)',
  async setup() {
    await requirePostgres();
    local = await createScratchDatabase('conformance');
    await local.exec(SEED);
    // The local server trusts logins, so the password is never asked for: it is still the secret that must
    // not leak from anything Plugboard prints or writes.
    return { profile: local.profile, secret: { password: CANARY }, canary: CANARY, teardown: () => local!.drop() };
  },
  seeded: { namespace: 'public', entity: 'conformance_items' },
  ...failures(() => async () => ({ profile: local!.profile, secret: { password: CANARY } })),
  async badCredentials() {
    const cluster = await startScramCluster(CANARY);
    return { profile: cluster.profile, secret: { password: `${CANARY}-wrong` }, code: 'AUTHENTICATION_FAILED', teardown: () => cluster.stop() };
  },
});

let pglite: Awaited<ReturnType<typeof startPglite>> | undefined;

describeConformance({
  name: 'PostgreSQL (PGlite)',
  async setup() {
    pglite = await startPglite(SEED, 'pglite-conformance');
    return { profile: pglite.profile, secret: { password: CANARY }, canary: CANARY, teardown: () => pglite!.stop() };
  },
  seeded: { namespace: 'public', entity: 'conformance_names' },
  ...failures(() => async () => ({ profile: pglite!.profile, secret: {} })),
  // PGlite accepts any user and password: there are no bad credentials to test.
});
