import * as assert from 'node:assert/strict';
import { PgOptions } from '../../src/backends/postgres/options';
import { ConnectionProfile, ConnectionsFile, SchemaModel, profileIdFor } from '../../src/core/model';
import { ConnectionsFileV1, migrateConnectionsFile } from '../../src/core/model/profileV1';
import { sampleModel } from '../support/sampleModel';

const pgOptions = { host: '127.0.0.1', port: 5432, database: 'app', user: 'me', sslmode: 'require' };
const goodProfile = { id: 'local-pg', name: 'Local PG', kind: 'postgres', options: pgOptions };

function issuePaths(result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }): string[] {
  assert.equal(result.success, false, 'expected a validation failure');
  return result.error!.issues.map((i) => i.path.map(String).join('.'));
}

describe('model: ConnectionProfile (v2)', () => {
  it('accepts a full profile and a minimal one', () => {
    assert.deepEqual(ConnectionProfile.parse(goodProfile), goodProfile);
    assert.deepEqual(ConnectionProfile.parse({ id: 'demo', name: 'Demo', kind: 'postgres' }), { id: 'demo', name: 'Demo', kind: 'postgres', options: {} });
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ['an id with a space', { id: 'my db' }, 'id'],
    ['an id starting with a dash', { id: '-x' }, 'id'],
    ['an empty name', { name: '' }, 'name'],
    ['a blank name', { name: '   ' }, 'name'],
    ['a password next to the options (secrets never live in profiles)', { password: 'hunter2' }, ''],
    ['PostgreSQL fields outside options (the v1 shape)', { host: 'x' }, ''],
  ];
  for (const [what, patch, path] of bad) {
    it(`rejects ${what}`, () => {
      const paths = issuePaths(ConnectionProfile.safeParse({ ...goodProfile, ...patch }));
      assert.ok(paths.includes(path), `issue paths ${JSON.stringify(paths)} should include "${path}"`);
    });
  }

  const badOptions: [string, Record<string, unknown>, string][] = [
    ['a port out of range', { port: 70000 }, 'port'],
    ['a fractional port', { port: 54.32 }, 'port'],
    ['an unknown sslmode', { sslmode: 'sometimes' }, 'sslmode'],
    ['a too-short connect timeout', { connectTimeoutMs: 5 }, 'connectTimeoutMs'],
    ['a password in the options', { password: 'hunter2' }, ''],
    ['an unknown key in schemas', { schemas: { include: ['a'], only: ['b'] } }, 'schemas'],
  ];
  for (const [what, patch, path] of badOptions) {
    it(`PostgreSQL options reject ${what}`, () => {
      const paths = issuePaths(PgOptions.safeParse({ ...pgOptions, ...patch }));
      assert.ok(paths.includes(path), `issue paths ${JSON.stringify(paths)} should include "${path}"`);
    });
  }

  it('profileIdFor makes readable unique ids', () => {
    assert.equal(profileIdFor('Production DB (EU)', []), 'production-db-eu');
    assert.equal(profileIdFor('Production DB (EU)', ['production-db-eu']), 'production-db-eu-2');
    assert.equal(profileIdFor('Café', []), 'cafe');
    assert.equal(profileIdFor('日本', []), 'connection');
    assert.ok(ConnectionProfile.shape.id.safeParse(profileIdFor('  --weird__name!! ', [])).success);
  });
});

describe('model: ConnectionsFile', () => {
  it('accepts a file with connections', () => {
    const file = { version: 2, connections: [goodProfile, { id: 'demo', name: 'Demo', kind: 'postgres', options: { demo: true } }] };
    assert.deepEqual(ConnectionsFile.parse(file), file);
  });

  it('rejects a duplicate id, naming the entry', () => {
    const paths = issuePaths(ConnectionsFile.safeParse({ version: 2, connections: [goodProfile, { ...goodProfile, name: 'again' }] }));
    assert.deepEqual(paths, ['connections.1.id']);
  });

  it('rejects a wrong version, a missing list and unknown keys', () => {
    assert.deepEqual(issuePaths(ConnectionsFile.safeParse({ version: 3, connections: [] })), ['version']);
    assert.deepEqual(issuePaths(ConnectionsFile.safeParse({ version: 2 })), ['connections']);
    assert.deepEqual(issuePaths(ConnectionsFile.safeParse({ version: 2, connections: [], extra: true })), ['']);
  });

  it('a version-1 file (0.1.0) is validated as strictly as before and migrates: fields move into options', () => {
    const v1 = {
      version: 1,
      connections: [
        { id: 'local-pg', name: 'Local PG', kind: 'postgres', ...pgOptions, schemas: { exclude: ['audit'] }, codegen: { outDir: 'src/db', targets: ['ts-types'] } },
        { id: 'demo', name: 'Demo', kind: 'postgres', demo: true },
        { id: 'gh', name: 'GitHub', kind: 'http', provider: 'github', variables: { org: 'acme' }, accountId: 'work' },
      ],
    };
    assert.deepEqual(migrateConnectionsFile(ConnectionsFileV1.parse(v1)), {
      version: 2,
      connections: [
        { id: 'local-pg', name: 'Local PG', kind: 'postgres', options: { ...pgOptions, schemas: { exclude: ['audit'] } }, codegen: { outDir: 'src/db', targets: ['ts-types'] } },
        { id: 'demo', name: 'Demo', kind: 'postgres', options: { demo: true } },
        { id: 'gh', name: 'GitHub', kind: 'http', options: { provider: 'github', variables: { org: 'acme' }, accountId: 'work' } },
      ],
    });
    assert.deepEqual(issuePaths(ConnectionsFileV1.safeParse({ version: 1, connections: [{ ...v1.connections[0], port: 'five' }] })), ['connections.0.port']);
  });
});

describe('model: SchemaModel', () => {
  it('accepts a model and fills defaults', () => {
    const parsed = SchemaModel.parse({
      version: 2,
      source: { kind: 'postgres' },
      namespaces: [{ name: 'public', entities: [{ name: 't', kind: 'table', fields: [{ name: 'a', nativeType: 'int4', type: 'integer', nullable: true }] }] }],
    });
    const e = parsed.namespaces[0]!.entities[0]!;
    assert.deepEqual(e.fields[0], { name: 'a', nativeType: 'int4', type: 'integer', nullable: true });
    assert.deepEqual([e.primaryKey, e.uniques, e.indexes, e.relations], [null, [], [], []]);
    assert.deepEqual(parsed.namespaces[0]!.enums, []);
  });

  it('a parsed model parses to itself (plain data, round-trips through JSON)', () => {
    const model = sampleModel();
    assert.deepEqual(SchemaModel.parse(JSON.parse(JSON.stringify(model))), model);
  });

  const bad: [string, (m: ReturnType<typeof sampleModel>) => void, string][] = [
    ['an unknown neutral type', (m) => ((m.namespaces[0]!.entities[0]!.fields[0] as { type: string }).type = 'varchar'), 'namespaces.0.entities.0.fields.0.type'],
    ['negative array dimensions', (m) => (m.namespaces[0]!.entities[0]!.fields[0]!.sql!.arrayDims = -1), 'namespaces.0.entities.0.fields.0.sql.arrayDims'],
    ['an unknown entity kind', (m) => ((m.namespaces[0]!.entities[0] as { kind: string }).kind = 'sequence'), 'namespaces.0.entities.0.kind'],
    ['a bad identity', (m) => ((m.namespaces[0]!.entities[0]!.fields[0]!.sql as { identity: string }).identity = 'sometimes'), 'namespaces.0.entities.0.fields.0.sql.identity'],
    ['a confidence above 1', (m) => (m.namespaces[0]!.entities[0]!.fields[0]!.confidence = 1.5), 'namespaces.0.entities.0.fields.0.confidence'],
    ['version 3', (m) => ((m as { version: number }).version = 3), 'version'],
    ['a bad FK action', (m) => ((m.namespaces[0]!.entities[0]!.relations[0] as { onDelete: string }).onDelete = 'explode'), 'namespaces.0.entities.0.relations.0.onDelete'],
  ];
  for (const [what, spoil, path] of bad) {
    it(`rejects ${what}`, () => {
      const m = sampleModel();
      spoil(m);
      assert.deepEqual(issuePaths(SchemaModel.safeParse(m)), [path]);
    });
  }
});
