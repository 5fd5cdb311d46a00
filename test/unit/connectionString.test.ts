import * as assert from 'node:assert/strict';
import { formatPostgresUrl, parseKeyValue, parsePostgresConnectionString } from '../../src/backends/postgres/url';
import { isPlugboardError } from '../../src/core/errors';

const SECRET = 'S3cr3t pass/w@rd';

function invalidConfig(input: string): string {
  try {
    parsePostgresConnectionString(input);
  } catch (err) {
    assert.ok(isPlugboardError(err), `expected a PlugboardError for ${JSON.stringify(input)}`);
    assert.equal(err.code, 'INVALID_CONFIG');
    assert.doesNotMatch(err.message, /[\r\n]/);
    assert.match(err.hint, /postgresql:\/\//, 'the hint shows an example');
    return err.message;
  }
  throw new Error(`${JSON.stringify(input)} was accepted`);
}

describe('connection strings', () => {
  it('parses postgres:// and postgresql:// URLs', () => {
    assert.deepEqual(parsePostgresConnectionString('postgres://app@db.example.com:6543/shop?sslmode=require&connect_timeout=5'), {
      host: 'db.example.com',
      port: 6543,
      database: 'shop',
      user: 'app',
      sslmode: 'require',
      connectTimeoutMs: 5_000,
    });
    assert.deepEqual(parsePostgresConnectionString('postgresql://localhost/app'), { host: 'localhost', database: 'app' });
    assert.deepEqual(parsePostgresConnectionString('  POSTGRESQL://h  '), { host: 'h' });
  });

  it('decodes percent-escapes, keeps the password apart, and handles IPv6 hosts', () => {
    const parsed = parsePostgresConnectionString(`postgres://us%40er:${encodeURIComponent(SECRET)}@[::1]:5433/my%20db`);
    assert.deepEqual(parsed, { host: '::1', port: 5433, database: 'my db', user: 'us@er', password: SECRET });
  });

  it('takes sslmode without the driver warning on stderr', () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      for (const mode of ['prefer', 'require', 'verify-ca', 'verify-full', 'disable', 'allow'] as const) {
        assert.equal(parsePostgresConnectionString(`postgres://h/db?sslmode=${mode}`).sslmode, mode);
      }
    } finally {
      process.off('warning', onWarning);
    }
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        assert.deepEqual(warnings, []);
        resolve();
      }),
    );
  });

  it('parses libpq key=value strings with quotes and escapes', () => {
    assert.deepEqual(parsePostgresConnectionString("host=db port=5432 dbname='my db' user=app password='it\\'s \\\\ = secret' sslmode=verify-full"), {
      host: 'db',
      port: 5432,
      database: 'my db',
      user: 'app',
      password: "it's \\ = secret",
      sslmode: 'verify-full',
    });
    assert.deepEqual(parseKeyValue("host = h  dbname=''  application_name=x\\ y"), { host: 'h', dbname: '', application_name: 'x y' });
    assert.deepEqual(parsePostgresConnectionString('hostaddr=10.0.0.1 connect_timeout=0'), { host: '10.0.0.1' });
  });

  it('formats a URL without the password that parses back to the same fields', () => {
    const fields = { host: '::1', port: 5433, database: 'my db', user: 'us@er', sslmode: 'require' as const };
    const url = formatPostgresUrl(fields);
    assert.equal(url, 'postgresql://us%40er@[::1]:5433/my%20db?sslmode=require');
    assert.deepEqual(parsePostgresConnectionString(url), fields);
  });

  const malformed: [string, string, RegExp][] = [
    ['empty', '   ', /empty/],
    ['neither URL nor key=value', 'just some words', /neither a postgres:\/\/ URL nor libpq key=value/],
    ['another scheme', `mysql://root:${encodeURIComponent(SECRET)}@h/db`, /Unsupported scheme "mysql:\/\/"/],
    ['a port out of range', `postgres://u:${encodeURIComponent(SECRET)}@h:70000/db`, /malformed|port/i],
    ['a non-numeric port', `postgres://u:${encodeURIComponent(SECRET)}@h:abc/db`, /malformed/],
    ['a broken percent escape', `postgres://u:${encodeURIComponent(SECRET)}%zz@h/db`, /malformed|escape/i],
    ['an unknown sslmode', `postgres://u:${encodeURIComponent(SECRET)}@h/db?sslmode=sometimes`, /Invalid sslmode "sometimes"/],
    ['a bad connect_timeout', 'postgres://h/db?connect_timeout=soon', /Invalid connect_timeout "soon"/],
    ['an unterminated quote', `host=h password='${SECRET}`, /Unterminated quoted value for "password"/],
    ['a key without =', `host=h password ${SECRET}`, /Expected "key=value" at position/],
    ['an unknown key', `host=h passwrd=${SECRET.replace(/ /g, '')}`, /Unknown connection option "passwrd"/],
    ['a bad key=value port', `host=h port=0 password='${SECRET}'`, /Invalid port "0"/],
  ];
  for (const [what, input, pattern] of malformed) {
    it(`rejects ${what} with INVALID_CONFIG and never echoes the password`, () => {
      const message = invalidConfig(input);
      assert.match(message, pattern);
      for (const form of [SECRET, encodeURIComponent(SECRET), 'S3cr3t', 'w@rd']) assert.ok(!message.includes(form), `password leaked in: ${message}`);
    });
  }
});
