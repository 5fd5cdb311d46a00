/**
 * MongoDB connection strings through the backend module: what `parse` keeps as options and as the secret,
 * what `format` writes back (never the password), and malformed input refused with INVALID_CONFIG messages
 * that name the problem and never echo the password.
 */
import * as assert from 'node:assert/strict';
import { mongodbBackend } from '../../src/backends/mongodb';
import { isPlugboardError } from '../../src/core/errors';
import { assertNoCanary, CANARY } from '../support/canary';

const parse = (url: string) => mongodbBackend.parse(url);

function refused(url: string, pattern: RegExp): void {
  let caught: unknown;
  try {
    parse(url);
  } catch (err) {
    caught = err;
  }
  assert.ok(isPlugboardError(caught), `expected INVALID_CONFIG for a malformed URL, got ${String(caught)}`);
  assert.equal(caught.code, 'INVALID_CONFIG');
  assert.match(caught.message, pattern);
  assertNoCanary(`${caught.message} ${caught.hint}`, 'the error for a malformed URL');
}

describe('MongoDB connection strings', () => {
  it('keeps hosts, database, user and the known options; the password goes to the secret', () => {
    const { options, secret } = parse(`mongodb://ada%40corp:${encodeURIComponent(CANARY)}@db1.example.com:27017,db2.example.com:27018/shop%20eu?authSource=admin&replicaSet=rs0&tls=true&tlsAllowInvalidHostnames=true&directConnection=false&retryWrites=true&w=majority&serverSelectionTimeoutMS=2500`);
    assert.deepEqual(options, {
      hosts: 'db1.example.com:27017,db2.example.com:27018',
      user: 'ada@corp',
      database: 'shop eu',
      authSource: 'admin',
      replicaSet: 'rs0',
      tls: true,
      tlsAllowInvalidHostnames: true,
      directConnection: false,
      serverSelectionTimeoutMS: 2500,
      params: { retryWrites: 'true', w: 'majority' },
    });
    assert.deepEqual(secret, { password: CANARY });
    assertNoCanary(JSON.stringify(options), 'the parsed options');
  });

  it('reads mongodb+srv (one DNS name, no port), ssl= and tlsInsecure=', () => {
    assert.deepEqual(parse('mongodb+srv://cluster0.example.net/?ssl=false').options, { hosts: 'cluster0.example.net', srv: true, tls: false });
    assert.deepEqual(parse('mongodb://[::1]:27017/?tlsInsecure=true').options, { hosts: '[::1]:27017', tlsAllowInvalidCertificates: true, tlsAllowInvalidHostnames: true });
    assert.deepEqual(parse('  mongodb://localhost  ').options, { hosts: 'localhost' });
  });

  it('formats the profile back without the password, and parses its own output to the same options', () => {
    const { options } = parse(`mongodb://ada:${encodeURIComponent(CANARY)}@db.example.com:27017/shop?authSource=admin&tls=true&appName=x`);
    const text = mongodbBackend.format(options)!;
    assert.equal(text, 'mongodb://ada@db.example.com:27017/shop?authSource=admin&tls=true&appName=x');
    assertNoCanary(text, 'the formatted URL');
    assert.deepEqual(parse(text).options, options);
    assert.deepEqual(parse(mongodbBackend.format({ hosts: 'c.example.net', srv: true, database: 'a/b' })!).options, { hosts: 'c.example.net', srv: true, database: 'a/b' });
  });

  it('describes a profile by its database and hosts', () => {
    assert.equal(mongodbBackend.describe({ hosts: 'db:27017', database: 'shop' }), 'shop on db:27017');
    assert.equal(mongodbBackend.describe({ hosts: 'cluster0.example.net', srv: true }), 'all databases on cluster0.example.net (SRV)');
  });

  it('refuses malformed strings with a message naming the problem, never the password', () => {
    refused('', /empty/);
    refused(`postgres://u:${encodeURIComponent(CANARY)}@h/db`, /mongodb:\/\/ or mongodb\+srv:\/\/, not postgres/);
    refused(`mongodb://root:${CANARY}@localhost:27017/`, /malformed/);
    refused(`mongodb://root:${encodeURIComponent(CANARY)}%zz@localhost/`, /malformed % escape|malformed/);
    refused(`mongodb://root:${encodeURIComponent(CANARY)}@localhost:99999/`, /99999/);
    refused(`mongodb+srv://root:${encodeURIComponent(CANARY)}@a.example.net,b.example.net/`, /multiple service names|exactly one/);
    refused('mongodb+srv://cluster0.example.net:27017/', /port/);
    refused(`mongodb://root:${encodeURIComponent(CANARY)}@localhost/?tls=yes`, /"tls" must be true or false/);
    refused('mongodb://localhost/?connectTimeoutMS=soon', /whole number/);
    refused(`mongodb://localhost/?tlsCertificateKeyFilePassword=${encodeURIComponent(CANARY)}`, /holds a secret/);
    refused('mongodb://localhost/?authMechanism=GSSAPI', /authMechanism/);
  });

  it('validates profile options (as a hand-edited connections.json has them)', () => {
    assert.equal(mongodbBackend.options.safeParse({ hosts: 'a:1,b:2', sampleSize: 500, databases: { exclude: ['x'] } }).success, true);
    for (const bad of [{ hosts: 'a:0' }, { hosts: 'a,,b' }, { hosts: 'a:1', srv: true }, { sampleSize: 0 }, { maxTimeMS: 5 }, { password: 'x' }]) {
      assert.equal(mongodbBackend.options.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });
});
