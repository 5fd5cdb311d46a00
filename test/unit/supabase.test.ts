import * as assert from 'node:assert/strict';
import { postgresBackend } from '../../src/backends/postgres';
import { supabaseBackend } from '../../src/backends/supabase';
import { checkKeys, keyRole } from '../../src/backends/supabase/keys';
import { SupabaseOptions } from '../../src/backends/supabase/options';
import { splitNative } from '../../src/backends/supabase/targets/pgTypeNames';
import { formatSupabaseUrl, parseSupabaseConnection } from '../../src/backends/supabase/url';
import { viewTargetOrigins } from '../../src/backends/supabase/viewTree';
import { adviseRls, rlsOffTables } from '../../src/core/advise/rls';
import { PlugboardError } from '../../src/core/errors';
import { fingerprint } from '../../src/core/introspect/fingerprint';
import type { Entity, RlsPolicy, RowSecurity, SchemaModel } from '../../src/core/model';

const jwt = (claims: object) => `x.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.y`;

describe('Supabase connection strings', () => {
  const url = (text: string) => parseSupabaseConnection(text).options.url;

  it('reads a project ref, a local stack, explicit schemes and the project URL itself', () => {
    assert.equal(url('supabase://abcdefghijklmnop'), 'https://abcdefghijklmnop.supabase.co');
    assert.equal(url('supabase://127.0.0.1:54321'), 'http://127.0.0.1:54321');
    assert.equal(url('supabase://localhost:54321'), 'http://localhost:54321');
    assert.equal(url('supabase://localhost'), 'http://localhost');
    assert.equal(url('supabase://api.example.com'), 'https://api.example.com');
    assert.equal(url('supabase+http://10.0.0.5:8000'), 'http://10.0.0.5:8000');
    assert.equal(url('supabase+https://127.0.0.1:8443'), 'https://127.0.0.1:8443');
    assert.equal(url('https://abcdefghijklmnop.supabase.co/'), 'https://abcdefghijklmnop.supabase.co');
    assert.deepEqual(parseSupabaseConnection('supabase://ref?schema=public,api&schema=extra').options.schemas, ['public', 'api', 'extra']);
    assert.deepEqual(parseSupabaseConnection('supabase://ref').secret, {});
  });

  it('refuses keys, paths and unknown parameters without echoing the text', () => {
    const refused = (text: string, pattern: RegExp) =>
      assert.throws(
        () => parseSupabaseConnection(text),
        (e: unknown) => e instanceof PlugboardError && e.code === 'INVALID_CONFIG' && pattern.test(e.message) && !e.message.includes('s3cr3t'),
      );
    refused('supabase://anon:s3cr3t@ref', /carries no key or password/);
    refused('supabase://ref/rest/v1', /no path/);
    refused('supabase://ref?apikey=s3cr3t', /Unknown parameter "apikey"/);
    refused('mysql://ref', /Unsupported scheme/);
    refused('abcdefghijklmnop', /starts with supabase:\/\//);
  });

  it('formats a profile back to the text it came from, without anything secret', () => {
    for (const text of ['supabase://abcdefghijklmnop', 'supabase://127.0.0.1:54321', 'supabase://api.example.com', 'supabase+http://10.0.0.5:8000', 'supabase+https://localhost:8443', 'supabase://ref?schema=api,extra']) {
      assert.equal(formatSupabaseUrl(parseSupabaseConnection(text).options), text);
    }
  });

  it('options: the URL without a trailing slash, schemas from a list or comma-separated text', () => {
    assert.deepEqual(SupabaseOptions.parse({ url: 'http://127.0.0.1:54321/', schemas: ' public, api ,public' }), { url: 'http://127.0.0.1:54321', schemas: ['public', 'api'] });
    assert.equal(SupabaseOptions.safeParse({ url: 'https://x.supabase.co/rest/v1' }).success, false);
    assert.equal(SupabaseOptions.safeParse({ url: 'ftp://x' }).success, false);
    assert.equal(SupabaseOptions.safeParse({ url: 'https://x.supabase.co', schemas: ' , ' }).success, false);
    assert.equal(SupabaseOptions.safeParse({ url: 'https://x.supabase.co', anonKey: 'k' }).success, false, 'a key is never an option');
  });

  it('the module: secrets from the environment, a wizard that says where to find each value, the targets', () => {
    assert.deepEqual(supabaseBackend.secrets.map((s) => [s.key, s.env, !!s.optional]), [
      ['anonKey', 'SUPABASE_ANON_KEY', false],
      ['serviceRoleKey', 'SUPABASE_SERVICE_ROLE_KEY', true],
      ['dbUrl', 'SUPABASE_DB_URL', false],
    ]);
    for (const f of supabaseBackend.form) assert.match(f.hint ?? '', /Project Settings → (API|Database)/, f.key);
    assert.ok(supabaseBackend.form.filter((f) => f.key !== 'url' && f.key !== 'schemas').every((f) => f.secret));
    assert.deepEqual(supabaseBackend.targets.filter((t) => t.default).map((t) => t.id), ['supabase-types', 'supabase-crud']);
    assert.ok(postgresBackend.targets.some((t) => t.id === 'supabase-types'), 'PostgreSQL connections offer supabase-types too');
    assert.equal(supabaseBackend.describe(SupabaseOptions.parse({ url: 'https://abcdefghijklmnop.supabase.co' })), 'abcdefghijklmnop (supabase.co)');
    assert.equal(supabaseBackend.describe(SupabaseOptions.parse({ url: 'http://127.0.0.1:54321' })), '127.0.0.1:54321 (local)');
  });
});

describe('Supabase keys', () => {
  it('reads the role of legacy JWT keys and the kind of the newer opaque keys', () => {
    assert.equal(keyRole(jwt({ role: 'anon' })), 'anon');
    assert.equal(keyRole(jwt({ role: 'service_role' })), 'service_role');
    assert.equal(keyRole(jwt({ role: 'authenticated' })), 'other');
    assert.equal(keyRole('sb_publishable_abc'), 'anon');
    assert.equal(keyRole('sb_secret_abc'), 'service_role');
    assert.equal(keyRole('garbage'), undefined);
  });

  it('refuses a service-role key as the anon key, and the anon key as the service-role key', () => {
    assert.throws(() => checkKeys(jwt({ role: 'service_role' }), undefined), /bypass row-level security/);
    assert.throws(() => checkKeys('sb_secret_x', undefined), /bypass row-level security/);
    assert.throws(() => checkKeys(jwt({ role: 'anon' }), 'sb_publishable_x'), /holds the anon/);
    checkKeys(jwt({ role: 'anon' }), jwt({ role: 'service_role' }));
    checkKeys('opaque-key-the-server-will-judge', undefined);
  });
});

describe('view column origins from the stored query tree', () => {
  // The shape PostgreSQL prints for `SELECT w.id, upper(w."na me") AS up, w."x(y)" AS "a}b" … ORDER BY "na me"`
  // with a CTE and a subquery in the range table, whose own target lists come first.
  const TREE =
    '({QUERY :commandType 1 :cteList ({COMMONTABLEEXPR :ctename c :ctequery {QUERY :commandType 1 :targetList ' +
    '({TARGETENTRY :expr {VAR :varno 1} :resno 1 :resname id :resorigtbl 999 :resorigcol 9 :resjunk false})}}) ' +
    ':rtable ({RANGETBLENTRY :rtekind 1 :subquery {QUERY :targetList ({TARGETENTRY :resno 1 :resorigtbl 998 :resorigcol 8 :resjunk false})} ' +
    ':alias {ALIAS :aliasname w\\{eird :colnames ("na\\ me" "x\\(y\\)")}}) ' +
    ':targetList ({TARGETENTRY :expr {VAR :varno 1 :varattno 1} :resno 1 :resname id :ressortgroupref 0 :resorigtbl 16385 :resorigcol 1 :resjunk false} ' +
    '{TARGETENTRY :expr {FUNCEXPR :funcid 871 :args ({VAR :varno 1 :varattno 2 :location 7})} :resno 2 :resname up :resorigtbl 0 :resorigcol 0 :resjunk false} ' +
    '{TARGETENTRY :expr {VAR :varno 1 :varattno 3} :resno 3 :resname a\\}b :resorigtbl 16385 :resorigcol 3 :resjunk false} ' +
    '{TARGETENTRY :expr {VAR :varno 1 :varattno 2} :resno 4 :resname na\\ me :resorigtbl 16385 :resorigcol 2 :resjunk true}) ' +
    ':sortClause ({SORTGROUPCLAUSE :tleSortGroupRef 1})})';

  it("reads the outer query's target list only, skipping sort-only columns", () => {
    assert.deepEqual(viewTargetOrigins(TREE), [
      { resno: 1, table: 16385, column: 1 },
      { resno: 2, table: 0, column: 0 },
      { resno: 3, table: 16385, column: 3 },
    ]);
  });

  it('gives nothing for an empty target list or text it cannot read', () => {
    assert.deepEqual(viewTargetOrigins('({QUERY :commandType 1 :targetList <> :rtable <>})'), []);
    assert.deepEqual(viewTargetOrigins(''), []);
    assert.deepEqual(viewTargetOrigins('({QUERY :targetList (('), []);
  });
});

describe('PostgreSQL type names as supabase gen types reads them', () => {
  it('maps format_type spellings to pg_type names', () => {
    const cases: [string, string, boolean][] = [
      ['integer', 'int4', false],
      ['character varying(20)[]', 'varchar', true],
      ['timestamp(3) with time zone', 'timestamptz', false],
      ['time without time zone', 'time', false],
      ['interval day to second', 'interval', false],
      ['double precision[]', 'float8', true],
      ['"char"', 'char', false],
      ['extensions.citext', 'citext', false],
      ['extensions.vector(3)', 'vector', false],
      ['"My Schema"."my ""type"""', 'my "type"', false],
      ['numeric(10,2)[]', 'numeric', true],
    ];
    for (const [native, typname, array] of cases) assert.deepEqual(splitNative(native), { typname, array }, native);
  });
});

describe('the RLS advisor', () => {
  const policy = (p: Partial<RlsPolicy>): RlsPolicy => ({ name: 'p', command: 'all', permissive: true, roles: ['anon'], using: null, withCheck: null, ...p });
  const ALL = ['select', 'insert', 'update', 'delete'] as ('select' | 'insert' | 'update' | 'delete')[];
  const table = (name: string, rls: RowSecurity | undefined, kind: Entity['kind'] = 'table'): Entity => ({ name, kind, fields: [], primaryKey: null, uniques: [], indexes: [], relations: [], ...(rls ? { rls } : {}) });
  const model = (...entities: Entity[]): SchemaModel => ({ version: 2, source: { kind: 'supabase' }, namespaces: [{ name: 'public', entities, enums: [], domains: [], composites: [], functions: [] }] });
  const codes = (m: SchemaModel) => adviseRls(m).map((a) => `${a.entity.entity}:${a.code}:${a.severity}`);
  const on = (policies: RlsPolicy[], grants: RowSecurity['grants'] = { anon: ALL, authenticated: ALL }): RowSecurity => ({ enabled: true, policies, grants });

  it('RLS off: an error when the API roles hold privileges, a warning when they hold none', () => {
    assert.deepEqual(codes(model(table('a', { enabled: false, policies: [], grants: { anon: ['select'] } }), table('b', { enabled: false, policies: [], grants: { anon: [], authenticated: [] } }))), ['a:rls_disabled:error', 'b:rls_disabled:warning']);
    assert.deepEqual(rlsOffTables(model(table('a', { enabled: false, policies: [] }), table('b', on([])))), [{ namespace: 'public', entity: 'a' }]);
  });

  it('RLS on without a policy: a warning that every request is denied', () => {
    const [advice] = adviseRls(model(table('a', on([]))));
    assert.equal(advice?.code, 'rls_no_policy');
    assert.match(advice!.message, /every request with the anon key or a user's token is denied/);
  });

  it('flags permissive anon writes with USING (true) or WITH CHECK (true), for the writes anon may make', () => {
    const flagged = (p: RlsPolicy, grants?: RowSecurity['grants']) => adviseRls(model(table('t', on([p], grants)))).map((a) => a.message.match(/lets anon ([A-Z, ]+) any row/)?.[1]);
    assert.deepEqual(flagged(policy({ command: 'insert', withCheck: 'true' })), ['INSERT']);
    assert.deepEqual(flagged(policy({ command: 'update', using: 'true' })), ['UPDATE']);
    assert.deepEqual(flagged(policy({ command: 'update', using: '(owner = auth.uid())', withCheck: 'true' })), ['UPDATE']);
    assert.deepEqual(flagged(policy({ command: 'delete', using: '(true)' })), ['DELETE']);
    assert.deepEqual(flagged(policy({ command: 'all', using: 'true' })), ['INSERT, UPDATE, DELETE']);
    assert.deepEqual(flagged(policy({ command: 'all', roles: ['public'], using: 'true' })), ['INSERT, UPDATE, DELETE'], 'public includes anon');
    assert.deepEqual(flagged(policy({ command: 'all', using: 'true' }), { anon: ['select', 'insert'] }), ['INSERT'], 'only writes anon is granted');
  });

  it('does not flag reads, other roles, real conditions, INSERT without WITH CHECK, or writes a restrictive policy narrows', () => {
    const none = (...policies: RlsPolicy[]) => assert.deepEqual(codes(model(table('t', on(policies)))), []);
    none(policy({ command: 'select', using: 'true' }));
    none(policy({ command: 'all', roles: ['authenticated'], using: 'true' }));
    none(policy({ command: 'insert', withCheck: '(owner = auth.uid())' }));
    none(policy({ command: 'insert' }));
    none(policy({ command: 'all', using: 'true' }), policy({ name: 'r', permissive: false, command: 'all', using: '(org = current_org())' }));
  });

  it('advises only tables with RLS facts, and keeps them out of the fingerprint', () => {
    const plain = model(table('t', undefined), table('v', { enabled: false, policies: [] }, 'view'));
    assert.deepEqual(adviseRls(plain), []);
    assert.equal(fingerprint(model(table('t', on([])))), fingerprint(model(table('t', { enabled: false, policies: [] }))));
  });
});
