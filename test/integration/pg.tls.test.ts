/**
 * Issue 13, item 7: TLS as libpq and psql do it, against a real server whose certificate a test CA signed
 * (and which also lets one role in by client certificate). sslrootcert verifies, sslcert/sslkey authenticate,
 * `require` with a root certificate verifies the CA as libpq does, `ssl=true` means require (no plain-text
 * fallback), and a certificate file that cannot be read is an error naming its parameter.
 */
import * as assert from 'node:assert/strict';
import { parsePgConnection } from '../../src/backends/postgres/url';
import { isPlugboardError } from '../../src/core/errors';
import type { ConnectionProfile, Secret } from '../../src/core/model';
import { assertNoCanary, CANARY } from '../support/canary';
import { ADMIN_URL, requirePostgres } from '../support/postgres';
import { startScramCluster, type ScramCluster } from '../support/scramCluster';
import { connect, connectError } from '../support/sessions';

function profileOf(url: string): { profile: ConnectionProfile; secret: Secret } {
  const { options, secret } = parsePgConnection(url);
  return { profile: { id: 'tls', name: 'tls', kind: 'postgres', options: options as Record<string, unknown> }, secret };
}

async function works(url: string, secret: Secret = { password: CANARY }): Promise<void> {
  const { profile } = profileOf(url);
  const session = await connect(profile, secret);
  try {
    assert.equal((await session.ping()).status, 'ok');
  } finally {
    await session.close();
  }
}

async function fails(url: string, code: string, pattern?: RegExp, secret: Secret = { password: CANARY }): Promise<void> {
  const err = await connectError(profileOf(url).profile, secret);
  assert.ok(isPlugboardError(err), String(err));
  assert.equal(err.code, code, `${err.code}: ${err.message}`);
  if (pattern) assert.match(err.message, pattern);
  assertNoCanary(`${err.message} ${err.hint}`, 'the error');
}

describe('postgres TLS, as libpq does it (issue 13, item 7)', function () {
  this.timeout(90_000);
  let cluster: ScramCluster;
  let base: string;

  before(async () => {
    await requirePostgres();
    cluster = await startScramCluster(CANARY, { ca: true });
    base = `postgres://postgres@127.0.0.1:${cluster.port}/postgres`;
  });
  after(async () => {
    await cluster?.stop();
  });

  it('verify-full and verify-ca with sslrootcert: the CA that signed the server passes', async () => {
    const ca = encodeURIComponent(cluster.tls!.caFile);
    await works(`${base}?sslmode=verify-full&sslrootcert=${ca}`);
    await works(`${base.replace('127.0.0.1', 'localhost')}?sslmode=verify-full&sslrootcert=${ca}`);
    await works(`${base}?sslmode=verify-ca&sslrootcert=${ca}`);
  });

  it('another CA fails with TLS_ERROR, in verify-ca, verify-full and (as in libpq) require', async () => {
    const other = encodeURIComponent(cluster.tls!.otherCaFile);
    for (const mode of ['verify-ca', 'verify-full', 'require']) await fails(`${base}?sslmode=${mode}&sslrootcert=${other}`, 'TLS_ERROR');
    // Without a root certificate, require encrypts without verifying, as in libpq.
    await works(`${base}?sslmode=require`);
  });

  it('sslcert and sslkey log in by client certificate', async () => {
    const t = cluster.tls!;
    const certUrl = `postgres://${t.certUser}@127.0.0.1:${cluster.port}/postgres?sslmode=verify-full&sslrootcert=${encodeURIComponent(t.caFile)}`;
    await works(`${certUrl}&sslcert=${encodeURIComponent(t.clientCert)}&sslkey=${encodeURIComponent(t.clientKey)}`, {});
    await fails(certUrl, 'AUTHENTICATION_FAILED', undefined, {});
  });

  it('a certificate file that cannot be read is INVALID_CONFIG naming its parameter', async () => {
    await fails(`${base}?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem`, 'INVALID_CONFIG', /sslrootcert/);
    const t = cluster.tls!;
    await fails(`${base}?sslmode=require&sslcert=${encodeURIComponent(t.clientCert)}&sslkey=/nonexistent/key.pem`, 'INVALID_CONFIG', /sslkey/);
  });

  it('ssl=true is require: against a server without TLS it fails instead of falling back to plain text', async () => {
    const local = new URL(ADMIN_URL);
    await fails(`postgres://postgres@${local.hostname}:${local.port || 5432}/postgres?ssl=true`, 'TLS_ERROR');
  });
});
