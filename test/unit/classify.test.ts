/**
 * Error classification from the shapes drivers really throw: Node socket errors (made for real against a
 * closed loopback port where that is cheap), pg's DatabaseError with the server's SQLSTATE, pg's own
 * connection errors, TLS errors as Node's tls module raises them, AbortErrors.
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { DatabaseError } from 'pg';
import { classifyPgError } from '../../src/backends/postgres/errors';
import { PlugboardError, type ErrorCode } from '../../src/core/errors';
import { classifyError } from '../../src/core/health/classify';
import { redactor } from '../../src/core/redact';
import { freePort } from '../support/net';

/** A DatabaseError exactly as pg-protocol builds it from an ErrorResponse. */
function pgError(code: string, message: string, severity = 'ERROR'): DatabaseError {
  const err = new DatabaseError(message, message.length + 20, 'error');
  err.code = code;
  err.severity = severity;
  return err;
}

function nodeError(code: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { code, errno: -1, ...extra });
}

/** The error net.connect really raises (AggregateError when several addresses are tried). */
async function realConnectError(host: string): Promise<unknown> {
  const port = await freePort();
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, autoSelectFamily: true });
    socket.on('error', resolve);
    socket.on('connect', () => {
      socket.destroy();
      resolve(new Error('unexpectedly connected'));
    });
  });
}

function expectCode(err: unknown, code: ErrorCode, classify: (e: unknown) => PlugboardError = (e) => classifyPgError(e, 'Connecting to db:5432')): PlugboardError {
  const out = classify(err);
  assert.ok(out instanceof PlugboardError);
  assert.equal(out.code, code, `${String((err as Error)?.message ?? err)} → ${out.code}`);
  assert.doesNotMatch(out.message, /[\r\n]/, 'one line');
  assert.equal(out.cause, err, 'the original error is kept');
  return out;
}

describe('classifyError / classifyPgError', () => {
  it('a refused connection (real ECONNREFUSED) → CONNECTION_REFUSED, with context and address', async () => {
    const err = await realConnectError('127.0.0.1');
    const out = expectCode(err, 'CONNECTION_REFUSED');
    assert.match(out.message, /^Connecting to db:5432: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
    assert.match(out.hint, /server is running/);
  });

  it('a refused happy-eyeballs connect (AggregateError) → CONNECTION_REFUSED from its first cause', async () => {
    const err = await realConnectError('localhost');
    const out = classifyPgError(err, 'Connecting to localhost:5432');
    assert.equal(out.code, 'CONNECTION_REFUSED');
    assert.match(out.message, /^Connecting to localhost:5432: connect ECONNREFUSED/);
    const synthetic = new AggregateError([nodeError('ECONNREFUSED', 'connect ECONNREFUSED ::1:5432'), nodeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')]);
    assert.equal(classifyError(synthetic).code, 'CONNECTION_REFUSED');
  });

  const cases: [string, unknown, ErrorCode][] = [
    ['pg: connect timeout', new Error('Connection terminated due to connection timeout'), 'CONNECTION_TIMEOUT'],
    ['pg-pool: checkout timeout', new Error('timeout exceeded when trying to connect'), 'CONNECTION_TIMEOUT'],
    ['socket ETIMEDOUT', nodeError('ETIMEDOUT', 'connect ETIMEDOUT 10.0.0.1:5432', { syscall: 'connect' }), 'CONNECTION_TIMEOUT'],
    ['EHOSTUNREACH', nodeError('EHOSTUNREACH', 'connect EHOSTUNREACH 10.9.9.9:5432'), 'CONNECTION_TIMEOUT'],
    ['DNS ENOTFOUND', nodeError('ENOTFOUND', 'getaddrinfo ENOTFOUND db.example.invalid', { syscall: 'getaddrinfo', hostname: 'db.example.invalid' }), 'HOST_NOT_FOUND'],
    ['DNS EAI_AGAIN', nodeError('EAI_AGAIN', 'getaddrinfo EAI_AGAIN db.example.com'), 'HOST_NOT_FOUND'],
    ['28P01 wrong password', pgError('28P01', 'password authentication failed for user "app"', 'FATAL'), 'AUTHENTICATION_FAILED'],
    ['28000 role does not exist', pgError('28000', 'role "nobody" does not exist', 'FATAL'), 'AUTHENTICATION_FAILED'],
    ['pg: no password given to SCRAM', new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string'), 'AUTHENTICATION_FAILED'],
    ['3D000 unknown database', pgError('3D000', 'database "nope" does not exist', 'FATAL'), 'DATABASE_NOT_FOUND'],
    ['pg: server refuses TLS', new Error('The server does not support SSL connections'), 'TLS_ERROR'],
    ['pg: broken TLS negotiation', new Error('There was an error establishing an SSL connection'), 'TLS_ERROR'],
    ['tls: self-signed', nodeError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), 'TLS_ERROR'],
    ['tls: self-signed in chain', nodeError('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'), 'TLS_ERROR'],
    ['tls: unknown issuer', nodeError('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'), 'TLS_ERROR'],
    ['tls: expired', nodeError('CERT_HAS_EXPIRED', 'certificate has expired'), 'TLS_ERROR'],
    ['tls: wrong host', nodeError('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames: IP: 10.0.0.1 is not in the cert's list: "), 'TLS_ERROR'],
    ['28000 hostssl only', pgError('28000', 'no pg_hba.conf entry for host "10.0.0.2", user "app", database "app", no encryption', 'FATAL'), 'TLS_ERROR'],
    ['53300 too many clients', pgError('53300', 'sorry, too many clients already', 'FATAL'), 'QUOTA_EXCEEDED'],
    ['53300 role limit', pgError('53300', 'too many connections for role "app"', 'FATAL'), 'QUOTA_EXCEEDED'],
    ['53400 configuration limit', pgError('53400', 'temporary file size exceeds temp_file_limit (1024kB)'), 'QUOTA_EXCEEDED'],
    ['57P03 starting up', pgError('57P03', 'the database system is starting up', 'FATAL'), 'SERVER_UNAVAILABLE'],
    ['57P01 admin shutdown', pgError('57P01', 'terminating connection due to administrator command', 'FATAL'), 'CONNECTION_LOST'],
    ['08006 connection failure', pgError('08006', 'connection failure'), 'CONNECTION_LOST'],
    ['pg: connection dropped', new Error('Connection terminated unexpectedly'), 'CONNECTION_LOST'],
    ['socket reset', nodeError('ECONNRESET', 'read ECONNRESET', { syscall: 'read' }), 'CONNECTION_LOST'],
    ['socket EPIPE', nodeError('EPIPE', 'write EPIPE', { syscall: 'write' }), 'CONNECTION_LOST'],
    ['57014 cancelled statement', pgError('57014', 'canceling statement due to user request'), 'CANCELLED'],
    ['AbortError', new DOMException('This operation was aborted', 'AbortError'), 'CANCELLED'],
    ['Node ABORT_ERR', nodeError('ABORT_ERR', 'The operation was aborted'), 'CANCELLED'],
    ['42501 permission denied', pgError('42501', 'permission denied for table secrets'), 'PERMISSION_DENIED'],
    ['42P01 missing table', pgError('42P01', 'relation "nope" does not exist'), 'SCHEMA_ERROR'],
    ['42703 missing column', pgError('42703', 'column "nope" does not exist'), 'SCHEMA_ERROR'],
    ['3F000 missing schema', pgError('3F000', 'schema "nope" does not exist'), 'SCHEMA_ERROR'],
    ['08P01 protocol violation (a bug, not the network)', pgError('08P01', 'bind message supplies 2 parameters, but prepared statement "" requires 4'), 'INTERNAL'],
    ['22P02 bad input (no rule)', pgError('22P02', 'invalid input syntax for type integer: "x"'), 'INTERNAL'],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'x')"), 'INTERNAL'],
  ];
  for (const [what, err, code] of cases) {
    it(`${what} → ${code}`, () => {
      expectCode(err, code);
    });
  }

  it('transient codes are the ones worth retrying', () => {
    assert.equal(classifyPgError(pgError('53300', 'sorry, too many clients already')).transient, true);
    assert.equal(classifyPgError(new Error('Connection terminated unexpectedly')).transient, true);
    assert.equal(classifyPgError(pgError('28P01', 'password authentication failed for user "a"')).transient, false);
    assert.equal(classifyPgError(pgError('3D000', 'database "x" does not exist')).transient, false);
  });

  it('a PlugboardError passes through untouched', () => {
    const err = new PlugboardError('NOT_FOUND', 'gone');
    assert.equal(classifyError(err), err);
    assert.equal(classifyPgError(err, 'ctx'), err);
  });

  it('anything thrown becomes a one-line INTERNAL error with a hint', () => {
    for (const thrown of ['boom', 42, undefined, null, { weird: true }, new Error('two\nlines\r\nhere')]) {
      const out = classifyError(thrown);
      assert.equal(out.code, 'INTERNAL');
      assert.doesNotMatch(out.message, /[\r\n]/);
      assert.ok(out.hint.length > 0);
    }
    assert.equal(classifyError(new Error('two\nlines')).message, 'two lines');
  });

  it('passwords inside driver messages are masked', () => {
    redactor.register('s3cr3t-Pa55');
    const out = classifyError(new Error('could not connect with postgres://app:s3cr3t-Pa55@db/app (password=s3cr3t-Pa55)'));
    assert.doesNotMatch(out.message, /s3cr3t/);
    const shaped = classifyError(new Error('failed for postgresql://u:never-registered@h:5432/d'));
    assert.doesNotMatch(shaped.message, /never-registered/);
  });

  it('toDisplayString is CODE: message — hint, and toJSON has no cause', () => {
    const out = classifyPgError(pgError('3D000', 'database "x" does not exist', 'FATAL'), 'Connecting to h:5432/x');
    assert.equal(out.toDisplayString(), `DATABASE_NOT_FOUND: Connecting to h:5432/x: database "x" does not exist — ${out.hint}`);
    assert.deepEqual(Object.keys(out.toJSON()), ['code', 'message', 'hint']);
  });
});
