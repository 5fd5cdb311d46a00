/**
 * Issue 13, items 7, 9 and 10: connection strings read the way libpq (and psql) reads them, and nothing is
 * dropped silently. `ssl=true` means require; the last of a repeated parameter wins; an empty sslmode, a
 * parameter Plugboard does not support, a hexadecimal or exponent port and a NUL are errors naming the
 * parameter, never echoing a raw value.
 */
import * as assert from 'node:assert/strict';
import { parsePgConnection, parsePostgresConnectionString } from '../../src/backends/postgres/url';
import { PgOptions } from '../../src/backends/postgres/options';
import { isPlugboardError } from '../../src/core/errors';
import { CATALOG, testHost } from '../support/host';

function refused(input: string, pattern: RegExp): string {
  try {
    parsePostgresConnectionString(input);
  } catch (err) {
    assert.ok(isPlugboardError(err), `expected a PlugboardError for ${JSON.stringify(input)}, got ${String(err)}`);
    assert.equal(err.code, 'INVALID_CONFIG');
    // eslint-disable-next-line no-control-regex -- a raw control character must not be echoed
    assert.doesNotMatch(err.message, /[\u0000-\u001f]/);
    assert.match(err.message, pattern);
    return err.message;
  }
  assert.fail(`${JSON.stringify(input)} was accepted`);
}

describe('connection strings, read as libpq reads them', () => {
  it('ssl=true means sslmode=require (libpq\'s JDBC compatibility); other ssl values are errors', () => {
    assert.equal(parsePostgresConnectionString('postgres://h/db?ssl=true').sslmode, 'require');
    refused('postgres://h/db?ssl=false', /"ssl"/);
    refused('postgres://h/db?ssl=1', /"ssl"/);
  });

  it('takes the last of a repeated parameter, in URLs and in key=value strings', () => {
    assert.equal(parsePostgresConnectionString('postgres://h/db?sslmode=disable&sslmode=verify-full').sslmode, 'verify-full');
    assert.equal(parsePostgresConnectionString('postgres://h/db?sslmode=verify-full&ssl=true').sslmode, 'require');
    assert.equal(parsePostgresConnectionString('host=h sslmode=disable sslmode=require').sslmode, 'require');
    assert.equal(parsePostgresConnectionString('postgres://h/db?connect_timeout=5&connect_timeout=7').connectTimeoutMs, 7_000);
  });

  it('refuses an empty sslmode', () => {
    refused('postgres://h/db?sslmode=', /sslmode/);
    refused("host=h sslmode=''", /sslmode/);
  });

  it('reads sslrootcert, sslcert and sslkey (file paths; "system" for the platform\'s CAs)', () => {
    const parsed = parsePostgresConnectionString('postgres://h/db?sslmode=verify-full&sslrootcert=/etc/pg/ca.pem&sslcert=/etc/pg/c.pem&sslkey=/etc/pg/k.pem');
    assert.deepEqual(parsed, { host: 'h', database: 'db', sslmode: 'verify-full', sslRootCert: '/etc/pg/ca.pem', sslCert: '/etc/pg/c.pem', sslKey: '/etc/pg/k.pem' });
    assert.deepEqual(parsePostgresConnectionString("host=h sslrootcert='/my certs/ca.pem'"), { host: 'h', sslRootCert: '/my certs/ca.pem' });
    // libpq: sslrootcert=system means the system CAs and full verification; a weaker mode is refused.
    assert.equal(parsePostgresConnectionString('postgres://h/db?sslrootcert=system').sslmode, 'verify-full');
    refused('postgres://h/db?sslrootcert=system&sslmode=require', /sslrootcert=system/);
    refused('postgres://h/db?sslcert=/c.pem', /sslcert.*sslkey|sslkey.*sslcert/);
    const options = parsePgConnection('postgres://h/db?sslrootcert=/ca.pem').options;
    assert.doesNotThrow(() => PgOptions.parse(options));
  });

  it('keeps application_name and options (passed to the server)', () => {
    assert.deepEqual(parsePostgresConnectionString('postgres://h/db?application_name=ci&options=-c%20search_path%3Dapp'), { host: 'h', database: 'db', applicationName: 'ci', serverOptions: '-c search_path=app' });
    assert.deepEqual(parsePostgresConnectionString("host=h application_name=ci options='-c geqo=off'"), { host: 'h', applicationName: 'ci', serverOptions: '-c geqo=off' });
  });

  for (const [input, name] of [
    ['postgres://h/db?target_session_attrs=read-write', 'target_session_attrs'],
    ['postgres://h/db?sslpassword=x', 'sslpassword'],
    ['postgres://h/db?sslcrl=/crl.pem', 'sslcrl'],
    ['postgres://h/db?gssencmode=disable', 'gssencmode'],
    ['postgres://h/db?channel_binding=require', 'channel_binding'],
    ['postgres://h/db?uselibpqcompat=true', 'uselibpqcompat'],
    ['postgres://h/db?frobnicate=1', 'frobnicate'],
    ['host=h passfile=/x', 'passfile'],
    ['host=h target_session_attrs=any', 'target_session_attrs'],
  ] as const) {
    it(`refuses ${name} by name instead of dropping it`, () => {
      refused(input, new RegExp(`"${name}"`));
    });
  }

  it('refuses ports and timeouts that are not plain decimal numbers', () => {
    for (const port of ['0x1538', '1e0', '5432.0', ' 5432', '+5432', '05432x']) refused(`host=h port='${port}'`, /port/);
    refused('postgres://h:0x1538/db', /malformed|port/i);
    refused('postgres://h/db?port=0x1538', /Invalid port "0x1538"/);
    assert.deepEqual(parsePostgresConnectionString('postgresql:///db?host=/var/run/postgresql&port=5433&user=app'), { host: '/var/run/postgresql', port: 5433, database: 'db', user: 'app' });
    assert.equal(parsePostgresConnectionString('host=h port=5432').port, 5432);
    refused('host=h connect_timeout=1e1', /connect_timeout/);
    refused('postgres://h/db?connect_timeout=0x10', /connect_timeout/);
  });

  it('refuses a NUL or another control character in a name, without echoing it', () => {
    refused('postgres://us%00er@h/db', /user name/);
    refused('postgres://u@h/d%00b', /database name/);
    refused('host=h dbname=a\u0000b', /database name/);
    refused('host=h user=a\u0007b', /user name/);
    assert.throws(() => PgOptions.parse({ host: 'h', user: 'a\u0000b' }));
  });

  it('a profile (say from a shared connections.json) with a NUL in its user name is INVALID_CONFIG, not INTERNAL', async () => {
    const driver = await CATALOG.driver('postgres');
    const err = await driver.connect({ id: 'n', name: 'n', kind: 'postgres', options: { host: '127.0.0.1', user: 'a\u0000b' } }, {}, testHost()).then(
      () => assert.fail('connected'),
      (e: unknown) => e,
    );
    assert.ok(isPlugboardError(err) && err.code === 'INVALID_CONFIG', String(err));
    assert.ok(!err.message.includes('\u0000'), 'the NUL is echoed');
    assert.match(err.message, /user/);
  });
});
