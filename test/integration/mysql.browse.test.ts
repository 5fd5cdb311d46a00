/**
 * Preview Data, Show DDL and the snippets for MySQL / MariaDB on the local server: pages of rows with exact
 * big numbers, the server's own CREATE statement, names quoted with mysql2's escapeId.
 */
import * as assert from 'node:assert/strict';
import type { Session } from '../../src/core/backend';
import { CATALOG } from '../support/host';
import { adminSecret, createScratchDatabases, serverOptions, type ScratchDatabases } from '../support/mysql';
import { connect } from '../support/sessions';

describe('MySQL backend: preview, DDL and snippets', function () {
  this.timeout(60_000);
  let scratch: ScratchDatabases;
  let session: Session;
  const weird = 'odd `name` here';

  before(async () => {
    scratch = await createScratchDatabases('browse');
    await scratch.exec(`CREATE TABLE \`odd \`\`name\`\` here\` (n int PRIMARY KEY, big bigint, price decimal(10,2), at datetime(3), raw varbinary(4), doc json);
      INSERT INTO \`odd \`\`name\`\` here\` SELECT seq, 9007199254740993, 1.10, '2026-01-02 03:04:05.000', x'deadbeef', JSON_OBJECT('n', seq) FROM seq_1_to_12;`);
    session = await connect({ id: 'my', name: 'my', kind: 'mysql', options: { ...serverOptions(scratch.names[0]) } }, adminSecret());
  });
  after(async () => {
    await session?.close();
    await scratch?.drop();
  });

  it('pages through rows; big numbers exact, bytes and dates readable', async () => {
    const ref = { namespace: scratch.names[0]!, entity: weird };
    const first = await session.preview!(ref, { limit: 5, offset: 0 });
    assert.deepEqual(first.columns, ['n', 'big', 'price', 'at', 'raw', 'doc']);
    assert.equal(first.hasMore, true);
    assert.equal(first.rows[0]![1], '9007199254740993');
    assert.equal(first.rows[0]![2], '1.10');
    assert.equal(first.rows[0]![4], '\\xdeadbeef');
    const last = await session.preview!(ref, { limit: 5, offset: 10 });
    assert.equal(last.rows.length, 2);
    assert.equal(last.hasMore, false);
  });

  it('shows the server\'s CREATE TABLE and quotes names with escapeId', async () => {
    const ref = { namespace: scratch.names[0]!, entity: weird };
    assert.match(await session.ddl!(ref), /^CREATE TABLE `odd ``name`` here` \(/);
    const snippets = (await CATALOG.driver('mysql')).snippets!;
    assert.equal(snippets.name(ref, 'a`b'), '`a``b`');
    assert.match(snippets.select(ref, ['n'], 10), /^SELECT `n`\nFROM `.*`\.`odd ``name`` here`\nLIMIT 10;$/);
  });
});
