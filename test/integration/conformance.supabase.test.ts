/**
 * The backend conformance suite for Supabase: a scratch database shaped like a Supabase project behind the
 * real PostgREST. The canary is the database password (the local server trusts logins, so it is never
 * checked, only carried); bad credentials are an anon key signed with another secret.
 */
import { CANARY } from '../support/canary';
import { describeConformance } from '../support/conformance';
import { withOptions } from '../support/host';
import { freePort, startBlackHole } from '../support/net';
import { signSupabaseJwt } from '../support/supabase';
import { startSupabaseProject, type SupabaseProject } from '../support/supabaseProject';

const SEED = `CREATE TABLE conformance_items (id serial PRIMARY KEY, name text NOT NULL, tags text[], meta jsonb);
ALTER TABLE conformance_items ENABLE ROW LEVEL SECURITY;
CREATE POLICY "anyone reads" ON conformance_items FOR SELECT USING (true);
CREATE VIEW conformance_names AS SELECT id, name FROM conformance_items;`;

let project: SupabaseProject | undefined;

describeConformance({
  name: 'Supabase (PostgREST 12 + local PostgreSQL)',
  async setup() {
    project = await startSupabaseProject(SEED);
    return { profile: project.profile, secret: project.secret, canary: CANARY, teardown: () => project!.stop() };
  },
  seeded: { namespace: 'public', entity: 'conformance_items' },
  refused: async () => ({ profile: withOptions(project!.profile, { url: `http://127.0.0.1:${await freePort()}` }), secret: project!.secret }),
  badCredentials: async () => ({
    profile: project!.profile,
    secret: { ...project!.secret, anonKey: signSupabaseJwt('another-secret-that-is-long-enough-0123', { role: 'anon' }) },
    code: 'AUTHENTICATION_FAILED',
  }),
  async stalled() {
    const hole = await startBlackHole();
    return { profile: withOptions(project!.profile, { url: `http://127.0.0.1:${hole.port}`, connectTimeoutMs: 500 }), secret: project!.secret, teardown: () => hole.close() };
  },
  stalledWithinMs: 3_000,
});
