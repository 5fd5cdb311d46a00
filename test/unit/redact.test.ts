import * as assert from 'node:assert/strict';
import { maskValues, MASK, Redactor, redactPatterns } from '../../src/core/redact';

describe('redaction', () => {
  it('hides registered secrets, raw and URL-encoded, wherever they appear', () => {
    const r = new Redactor();
    const secret = 'p@ss w/rd:42';
    r.register(secret);
    const text = `failed with ${secret}; url was postgres://u:${encodeURIComponent(secret)}@h/db; again ${secret}`;
    const out = r.redact(text);
    assert.ok(!out.includes(secret) && !out.includes(encodeURIComponent(secret)));
    assert.equal(out.split(MASK).length - 1, 3);
  });

  it('masks values shorter than 4 characters only where they stand alone, not inside other words', () => {
    const r = new Redactor();
    r.register('ab');
    r.register(undefined);
    r.register('');
    assert.equal(r.redact('about abc'), 'about abc');
    assert.equal(r.redact('key ab rejected; ?api_key=ab&x=1; "ab"'), `key ${MASK} rejected; ?api_key=${MASK}&x=1; "${MASK}"`);
  });

  it('maskValues hides the given values wherever they appear, whatever their length', () => {
    assert.equal(maskValues('invalid key k9 (k9)', ['k9', undefined, '']), `invalid key ${MASK} (${MASK})`);
    assert.equal(maskValues('nothing here', []), 'nothing here');
  });

  it('masks passwords by shape even when never registered', () => {
    const cases: [string, string][] = [
      ['postgres://app:hunter2@db:5432/x', `postgres://app:${MASK}@db:5432/x`],
      ['postgresql://app:hun%40ter2@db/x?sslmode=require', `postgresql://app:${MASK}@db/x?sslmode=require`],
      ["host=db password='two words' user=app", `host=db password=${MASK} user=app`],
      ['password=hunter2 user=app', `password=${MASK} user=app`],
      ['api_key=abcd1234&x=1', `api_key=${MASK}&x=1`],
      ['{"password":"hunter2","user":"app"}', `{"password":${MASK},"user":"app"}`],
      ['{"apiKey": "k-123"}', `{"apiKey": ${MASK}}`],
      ['Authorization: Bearer abcdefgh12345678', `Authorization: Bearer ${MASK}`],
      ['sent bearer abcdefgh12345678 along', `sent bearer ${MASK} along`],
      ['client_secret=xyz&grant_type=client_credentials', `client_secret=${MASK}&grant_type=client_credentials`],
    ];
    for (const [input, expected] of cases) assert.equal(redactPatterns(input), expected, input);
  });

  it('leaves URLs without a password and ordinary text alone', () => {
    for (const text of ['postgres://app@db:5432/x', 'https://example.com/a:b@c', 'the password field is required', 'no secrets here']) {
      assert.equal(redactPatterns(text), text);
    }
  });
});
