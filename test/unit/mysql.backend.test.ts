/**
 * The MySQL backend's pure parts: connection strings (parse, format, what errors say and never say), the
 * catalog text helpers (ENUM lists, defaults of both servers, CHECK clauses) and the catalog queries' shape.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { isPlugboardError } from '../../src/core/errors';
import { mysqlBackend } from '../../src/backends/mysql';
import { catalogQueries, viewsQuery, type CatalogRows } from '../../src/backends/mysql/catalog';
import { buildModel, buildModelSteps } from '../../src/backends/mysql/introspect';
import { normaliseDefault, quotedList, unwrapParens } from '../../src/backends/mysql/columnTypes';
import { databaseScope, MySqlOptions } from '../../src/backends/mysql/options';
import { serverInfo } from '../../src/backends/mysql/server';

const SECRET = 'S3cr3t pass/w@rd:?';

function invalidConfig(input: string): string {
  try {
    mysqlBackend.parse(input);
  } catch (err) {
    assert.ok(isPlugboardError(err), `expected a PlugboardError for ${JSON.stringify(input)}`);
    assert.equal(err.code, 'INVALID_CONFIG');
    assert.doesNotMatch(err.message, /[\r\n]/);
    assert.match(err.hint, /mysql:\/\//, 'the hint shows an example');
    for (const form of [SECRET, encodeURIComponent(SECRET), 'hunter2']) assert.ok(!err.message.includes(form), `the message repeats a password: ${err.message}`);
    return err.message;
  }
  throw new Error(`${JSON.stringify(input)} was accepted`);
}

describe('mysql connection strings', () => {
  it('parses mysql:// and mariadb:// URLs with the mysql client parameter names', () => {
    assert.deepEqual(mysqlBackend.parse('mysql://app@db.example.com:3307/shop?ssl-mode=verify_identity&ssl-ca=/etc/ca.pem'), {
      options: { user: 'app', host: 'db.example.com', port: 3307, database: 'shop', sslMode: 'VERIFY_IDENTITY', sslCa: '/etc/ca.pem' },
      secret: {},
    });
    assert.deepEqual(mysqlBackend.parse('  MARIADB://h  ').options, { host: 'h' });
    assert.deepEqual(mysqlBackend.parse('mysql://root@localhost/app?ssl-cert=%2Fc.pem&ssl-key=/k.pem&ssl-mode=REQUIRED').options, {
      user: 'root', host: 'localhost', database: 'app', sslCert: '/c.pem', sslKey: '/k.pem', sslMode: 'REQUIRED',
    });
  });

  it('keeps the password apart, decodes escapes, and takes IPv6 hosts and socket-only URLs', () => {
    const { options, secret } = mysqlBackend.parse(`mysql://us%40er:${encodeURIComponent(SECRET)}@[::1]:3306/my%20db%20%C3%A9`);
    assert.deepEqual(options, { user: 'us@er', host: '::1', port: 3306, database: 'my db é' });
    assert.deepEqual(secret, { password: SECRET });
    assert.deepEqual(mysqlBackend.parse('mysql://root@/shop?socket=/run/mysqld/mysqld.sock'), {
      options: { user: 'root', database: 'shop', socketPath: '/run/mysqld/mysqld.sock' },
      secret: {},
    });
    assert.deepEqual(mysqlBackend.parse('mysql://root:@h').secret, {}, 'an empty password is no password');
  });

  it('refuses malformed URLs and unknown parameters, naming what is wrong and never the password', () => {
    assert.match(invalidConfig(''), /empty/);
    assert.match(invalidConfig('root:hunter2@localhost/db'), /starts with mysql:\/\//);
    assert.match(invalidConfig('postgres://u:hunter2@h/db'), /Unsupported scheme "postgres:\/\/"/);
    assert.match(invalidConfig('mysql://u:hunter2@h:99999/db'), /malformed/);
    assert.match(invalidConfig('mysql://u:hunter2@h:port/db'), /malformed/);
    assert.match(invalidConfig('mysql://u:hunt%zzer2@h/db'), /% escape/);
    assert.match(invalidConfig('mysql://u:hunter#2@h/db'), /%23/);
    assert.match(invalidConfig('mysql://u:hunter2@h/a/b'), /more than one database/);
    assert.match(invalidConfig('mysql://u:hunter2@h/db?sslmode=require'), /Unknown parameter "sslmode".*ssl-mode/);
    assert.match(invalidConfig('mysql://u:hunter2@h/db?ssl-mode=sometimes'), /Invalid ssl-mode "sometimes": use one of DISABLED/);
    assert.match(invalidConfig('mysql://u:hunter2@h/db?socket=/a&socket=/b'), /"socket" is given twice/);
    assert.match(invalidConfig('mysql://u:hunter2@h/db?ssl-ca='), /"ssl-ca".*empty/);
    invalidConfig(`mysql://u:${encodeURIComponent(SECRET)}@h:0/db`);
  });

  it('formats a profile without its password, and parses back to the same options', () => {
    const options: MySqlOptions = { user: 'us@er', host: '::1', port: 3307, database: 'my db/é', sslMode: 'VERIFY_CA', sslCa: '/etc/my ca.pem', socketPath: '/tmp/x.sock' };
    const url = mysqlBackend.format(options)!;
    assert.equal(url, 'mysql://us%40er@[::1]:3307/my%20db%2F%C3%A9?ssl-mode=VERIFY_CA&ssl-ca=/etc/my%20ca.pem&socket=/tmp/x.sock');
    assert.deepEqual(mysqlBackend.parse(url).options, options);
    assert.equal(mysqlBackend.format({ socketPath: '/s.sock' }), 'mysql://?socket=/s.sock');
    assert.deepEqual(mysqlBackend.parse('mysql://?socket=/s.sock').options, { socketPath: '/s.sock' });
    assert.equal(mysqlBackend.describe({ database: 'shop', host: 'db', port: 3307 }), 'shop on db:3307');
  });

  it('validates profile options with zod (strict)', () => {
    assert.ok(MySqlOptions.safeParse({ host: 'h', sslMode: 'REQUIRED', databases: { include: ['a'] } }).success);
    assert.ok(!MySqlOptions.safeParse({ sslMode: 'require' }).success);
    assert.ok(!MySqlOptions.safeParse({ password: 'x' }).success, 'a password is never a profile option');
    assert.ok(!MySqlOptions.safeParse({ port: 70000 }).success);
  });
});

describe('mysql backend module', () => {
  it('is cheap to import: mysql2 loads with the driver, not with the module', () => {
    // A fresh process: in this one, other suites have loaded mysql2 already.
    const moduleFile = path.resolve(__dirname, '..', '..', 'src', 'backends', 'mysql', 'index.js');
    const script = `require(${JSON.stringify(moduleFile)}); console.log(Object.keys(require.cache).filter((k) => /node_modules[\\/\\\\]mysql2/.test(k)).length)`;
    assert.equal(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim(), '0');
  });

  it('offers ts-types, mysql-crud (default, needs ts-types), zod (needs ts-types) and docs-markdown', () => {
    assert.deepEqual(
      mysqlBackend.targets.map((t) => [t.id, !!t.default, t.requires ?? []]),
      [['ts-types', true, []], ['mysql-crud', true, ['ts-types']], ['zod', false, ['ts-types']], ['docs-markdown', false, []]],
    );
    assert.deepEqual([mysqlBackend.kind, mysqlBackend.label, mysqlBackend.schemes], ['mysql', 'MySQL / MariaDB', ['mysql', 'mariadb']]);
  });
});

describe('mysql catalog helpers', () => {
  const mariadb = serverInfo('10.11.19-MariaDB-0+deb12u1');
  const mysql8 = serverInfo('8.0.36');

  it('tells the servers apart by VERSION()', () => {
    assert.deepEqual(mariadb, { flavor: 'mariadb', version: [10, 11, 19], label: 'MariaDB 10.11.19' });
    assert.deepEqual(serverInfo('5.5.5-10.6.4-MariaDB-log'), { flavor: 'mariadb', version: [10, 6, 4], label: 'MariaDB 10.6.4' });
    assert.deepEqual(mysql8, { flavor: 'mysql', version: [8, 0, 36], label: 'MySQL 8.0.36' });
  });

  it('reads ENUM and SET value lists with quotes, commas, backslashes and empty values', () => {
    assert.deepEqual(quotedList(`enum('','it''s','a,b','with space','ünï','back\\\\slash','q"d','a*/b','x\\'y')`), [
      '', "it's", 'a,b', 'with space', 'ünï', 'back\\slash', 'q"d', 'a*/b', "x'y",
    ]);
    assert.deepEqual(quotedList(`set('a','b c')`), ['a', 'b c']);
  });

  it('normalises defaults: MariaDB prints SQL, MySQL prints bare literals', () => {
    const cases: [string | null, string, string, string | null, string | null][] = [
      // raw, extra, data type, MariaDB 10.11, MySQL 8
      [null, '', 'int', null, null],
      ['NULL', '', 'varchar', null, "'NULL'"],
      ["'it''s \\\\ x'", '', 'varchar', "'it''s \\\\ x'", null],
      ["it's \\ x", '', 'varchar', null, "'it''s \\\\ x'"],
      ['42', '', 'int', '42', '42'],
      ["b'101'", '', 'bit', "b'101'", "b'101'"],
      ['current_timestamp()', '', 'datetime', 'CURRENT_TIMESTAMP', null],
      ['CURRENT_TIMESTAMP', 'DEFAULT_GENERATED', 'datetime', null, 'CURRENT_TIMESTAMP'],
      ['current_timestamp(3)', 'on update current_timestamp(3)', 'timestamp', 'CURRENT_TIMESTAMP(3)', null],
      ['CURRENT_TIMESTAMP(3)', 'DEFAULT_GENERATED on update CURRENT_TIMESTAMP(3)', 'timestamp', null, 'CURRENT_TIMESTAMP(3)'],
      ['uuid()', '', 'varchar', 'uuid()', null],
      ['(uuid())', 'DEFAULT_GENERATED', 'varchar', null, '(uuid())'],
      ['2020-01-01', '', 'date', null, "'2020-01-01'"],
    ];
    for (const [raw, extra, type, onMariadb, onMysql] of cases) {
      if (onMariadb !== null || raw === null || raw === 'NULL') assert.equal(normaliseDefault(raw, extra, type, mariadb), onMariadb, `MariaDB ${raw}`);
      if (onMysql !== null || raw === null) assert.equal(normaliseDefault(raw, extra, type, mysql8), onMysql, `MySQL ${raw}`);
    }
  });

  it('unwraps the parentheses MySQL puts around CHECK clauses, and only those', () => {
    assert.equal(unwrapParens('(`qty` > 0)'), '`qty` > 0');
    assert.equal(unwrapParens('((`a` > 0))'), '`a` > 0');
    assert.equal(unwrapParens('(`a` > 0) and (`b` > 0)'), '(`a` > 0) and (`b` > 0)');
    assert.equal(unwrapParens("(`a` <> ')')"), "`a` <> ')'");
  });

  it('asks for the same queries whatever the scope, with every filter a parameter', () => {
    for (const server of [mariadb, mysql8]) {
      const all = catalogQueries(server, databaseScope({}, {}));
      const some = catalogQueries(server, databaseScope({ database: "it's" }, { exclude: ['x'] }));
      assert.deepEqual(all.map((q) => q.part), ['columns', 'indexes', 'tables', 'foreignKeyColumns', 'foreignKeyRules', 'checks', 'schemata']);
      assert.deepEqual(some.map((q) => q.part), all.map((q) => q.part));
      for (const q of some) {
        assert.ok(!q.sql.includes("it's") && !q.sql.includes("'x'"), `${q.part} pastes a name into SQL`);
        assert.equal(q.sql.split('?').length - 1, q.values.length, `${q.part}: one value per placeholder`);
      }
    }
    assert.ok(catalogQueries(mysql8, databaseScope({}, {})).find((q) => q.part === 'indexes')!.sql.includes('EXPRESSION'));
    assert.ok(!catalogQueries(mariadb, databaseScope({}, {})).find((q) => q.part === 'indexes')!.sql.includes('EXPRESSION'));
    const views = viewsQuery([["it's", 'v1'], ["it's", 'v`2']]);
    assert.deepEqual(views.values, [["it's"], ['v1', 'v`2']]);
    assert.ok(!views.sql.includes("it's") && views.sql.split('?').length - 1 === 2, 'view names are parameters');
    assert.deepEqual(viewsQuery([]).values, [], 'no views: still one query, an empty one');
    assert.deepEqual(databaseScope({ database: 'a' }, {}), { include: ['a'], exclude: [] });
    assert.deepEqual(databaseScope({ database: 'a', databases: {} }, {}), { include: null, exclude: [] }, '`databases: {}` means all');
    assert.deepEqual(databaseScope({ database: 'a' }, { include: ['b'] }), { include: ['b'], exclude: [] }, 'the caller wins');
  });
});

describe('mysql model from MySQL 8 catalog rows', () => {
  // Rows as MySQL 8.0 prints them (per its manual; no MySQL server runs in these tests): integer types without
  // display widths, a real JSON type, bare literal defaults, DEFAULT_GENERATED expressions, CHECK clauses in
  // parentheses, a functional index part (EXPRESSION, no COLUMN_NAME) and an invisible index.
  const rows: CatalogRows = {
    schemata: [['shop']],
    tables: [['shop', 'orders', 'BASE TABLE', 3, '', 'Orders'], ['shop', 'open_orders', 'VIEW', null, null, 'VIEW']],
    views: [['shop', 'open_orders', 'YES']],
    columns: [
      ['shop', 'orders', 'note', 4, "it's \\ x", 'YES', 'varchar', 'varchar(20)', '', ''],
      ['shop', 'orders', 'id', 1, null, 'NO', 'bigint', 'bigint unsigned', 'auto_increment', ''],
      ['shop', 'orders', 'doc', 2, null, 'YES', 'json', 'json', '', 'payload'],
      ['shop', 'orders', 'at', 3, 'CURRENT_TIMESTAMP(3)', 'NO', 'datetime', 'datetime(3)', 'DEFAULT_GENERATED on update CURRENT_TIMESTAMP(3)', ''],
      ['shop', 'orders', 'paid', 5, '0', 'NO', 'tinyint', 'tinyint(1)', '', ''],
      ['shop', 'orders', 'ref', 6, '(uuid())', 'YES', 'varchar', 'varchar(36)', 'DEFAULT_GENERATED', ''],
      ['shop', 'orders', 'total', 7, null, 'YES', 'decimal', 'decimal(10,2)', 'VIRTUAL GENERATED', ''],
      ['shop', 'open_orders', 'id', 1, '0', 'NO', 'bigint', 'bigint unsigned', '', ''],
    ],
    indexes: [
      ['shop', 'orders', 'PRIMARY', 0, 1, 'id', null, 'BTREE', 'A', 0, null],
      ['shop', 'orders', 'orders_lower_note', 1, 1, null, null, 'BTREE', 'A', 1, '(lower(`note`))'],
    ],
    foreignKeyColumns: [],
    foreignKeyRules: [],
    checks: [['shop', 'orders', 'orders_chk_1', '(`total` >= 0)']],
  };

  it('builds the same model in steps of one column, a step per column and per pass', () => {
    const options = { tinyint1AsBoolean: true, database: 'shop' };
    const steps = buildModelSteps(serverInfo('8.0.36'), rows, options, 1);
    let yields = 0;
    let next = steps.next();
    for (; !next.done; next = steps.next()) yields++;
    assert.deepEqual(next.value, buildModel(serverInfo('8.0.36'), rows, options));
    // One per column; then after the checks, the column order, the indexes and the foreign keys.
    assert.equal(yields, rows.columns.length + 4);
  });

  it('reads defaults, JSON, generated columns, checks and functional indexes the MySQL way', () => {
    const model = buildModel(serverInfo('8.0.36'), rows, { tinyint1AsBoolean: true, database: 'shop' });
    assert.deepEqual(model.source, { kind: 'mysql', serverVersion: 'MySQL 8.0.36', database: 'shop' });
    const [view, orders] = model.namespaces[0]!.entities;
    assert.deepEqual(
      orders!.fields.map((f) => [f.name, f.type, f.sql?.default ?? null, f.sql?.generated ?? null, f.sql?.autoIncrement ?? false]),
      [
        ['id', 'bigint', null, null, true],
        ['doc', 'json', null, null, false],
        ['at', 'timestamp', 'CURRENT_TIMESTAMP(3)', null, false],
        ['note', 'string', "'it''s \\\\ x'", null, false],
        ['paid', 'boolean', '0', null, false],
        ['ref', 'string', '(uuid())', null, false],
        ['total', 'decimal', null, 'virtual', false],
      ],
    );
    assert.equal(orders!.comment, 'Orders');
    assert.deepEqual(orders!.sql?.checks, [{ name: 'orders_chk_1', expression: '`total` >= 0' }]);
    assert.deepEqual(orders!.indexes.find((i) => i.name === 'orders_lower_note'), {
      name: 'orders_lower_note', columns: ['(lower(`note`))'], unique: false, primary: false, method: 'BTREE', options: { invisible: true },
    });
    assert.deepEqual(orders!.stats, { rows: 3 });
    assert.deepEqual([view!.name, view!.kind, view!.comment, view!.sql, view!.fields[0]!.sql], ['open_orders', 'view', undefined, { updatable: true }, undefined]);
  });
});
