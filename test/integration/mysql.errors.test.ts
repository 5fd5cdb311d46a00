/**
 * What goes wrong with a MySQL connection, against the real server and real sockets: wrong password, no
 * access, unknown database, refused port, TLS demanded of a server without it, a connection limit, a server
 * that accepts and never answers, a query or an introspection cancelled half-way. Every failure is a
 * classified PlugboardError within its deadline, and the canary password is in no message, log line or file.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { escapeId } from 'mysql2/promise';
import { mysqlBackend } from '../../src/backends/mysql';
import type { MySqlSession } from '../../src/backends/mysql/driver';
import type { MySqlOptions } from '../../src/backends/mysql/options';
import { generate } from '../../src/core/codegen/generate';
import { writeGeneratedFiles } from '../../src/core/codegen/writer';
import { isPlugboardError, type ErrorCode, type PlugboardError } from '../../src/core/errors';
import { assertNoCanary, CANARY, capturedOutput, tapProcessOutput } from '../support/canary';
import {
  adminConnection, connectError, connectMysql, createScratchDatabases, createUser, loadHostile, serverOptions, testHost, type ScratchDatabases,
} from '../support/mysql';
import { freePort, startBlackHole, startFaultProxy } from '../support/net';
import { listFiles, makeWorkDir } from '../support/workdir';

tapProcessOutput();

function expectCode(err: unknown, code: ErrorCode): PlugboardError {
  assert.ok(isPlugboardError(err), `expected a PlugboardError, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
  assertNoCanary(`${err.message} ${err.hint} ${err.detail ?? ''}`, 'an error message');
  return err;
}

async function within<T>(ms: number, work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  const took = performance.now() - started;
  assert.ok(took < ms, `took ${Math.round(took)} ms, more than ${ms} ms`);
  return { value, ms: took };
}

/** Statements running on the server whose text contains `marker` (a comment put there by the test). */
async function running(marker: string): Promise<number> {
  const admin = await adminConnection();
  try {
    const [rows] = await admin.query({ sql: 'SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE ? AND ID <> CONNECTION_ID()', values: [`%${marker}%`], rowsAsArray: true });
    return (rows as unknown[]).length;
  } finally {
    admin.destroy();
  }
}

async function eventually(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('mysql connection failures', function () {
  this.timeout(60_000);
  let dbs: ScratchDatabases | undefined;
  let main: string;
  let canaryUser: Awaited<ReturnType<typeof createUser>> | undefined;
  let work: Awaited<ReturnType<typeof makeWorkDir>> | undefined;
  const logLines: string[] = [];
  const host = () => {
    const h = testHost({ timeoutMs: 10_000 });
    h.log = (line) => logLines.push(line);
    return h;
  };

  before(async () => {
    dbs = await createScratchDatabases('main', 'other');
    main = dbs.names[0]!;
    await loadHostile(dbs, dbs.names[0]!, dbs.names[1]!);
    canaryUser = await createUser(CANARY);
    work = await makeWorkDir('mysql-errors');
  });

  after(async () => {
    await Promise.allSettled([dbs?.drop(), canaryUser?.drop(), work?.remove()]);
    assertNoCanary(logLines.join('\n'), 'the driver log');
  });

  const asCanary = (database?: string): MySqlOptions => ({ ...serverOptions(database), user: canaryUser!.user });

  it('a wrong password is AUTHENTICATION_FAILED, and neither password is in the message', async () => {
    const err = expectCode(await connectError(asCanary(), { password: `${CANARY}-wrong` }, host()), 'AUTHENTICATION_FAILED');
    assert.match(err.message, /Access denied/);
  });

  it('the right password without access to the database is PERMISSION_DENIED', async () => {
    expectCode(await connectError(asCanary(main), { password: CANARY }, host()), 'PERMISSION_DENIED');
  });

  it('a database that does not exist is DATABASE_NOT_FOUND', async () => {
    expectCode(await connectError(serverOptions(`${main} missing`), undefined, host()), 'DATABASE_NOT_FOUND');
  });

  it('a port nobody listens on is CONNECTION_REFUSED', async () => {
    expectCode(await connectError({ ...serverOptions(), port: await freePort() }, undefined, host()), 'CONNECTION_REFUSED');
  });

  it('TLS demanded of this server (it has none) is TLS_ERROR; PREFERRED falls back to plain text', async () => {
    for (const sslMode of ['REQUIRED', 'VERIFY_CA', 'VERIFY_IDENTITY'] as const) {
      const err = expectCode(await connectError({ ...serverOptions(main), sslMode }, undefined, host()), 'TLS_ERROR');
      assert.match(err.hint, /SSL mode/);
    }
    const session = await connectMysql({ ...serverOptions(main), sslMode: 'PREFERRED' }, undefined, host());
    assert.equal((await session.ping()).status, 'ok');
    await session.close();
  });

  it('an unreadable CA file is INVALID_CONFIG naming the file', async () => {
    const err = expectCode(await connectError({ ...serverOptions(main), sslMode: 'VERIFY_CA', sslCa: '/nonexistent/ca.pem' }, undefined, host()), 'INVALID_CONFIG');
    assert.match(err.message, /\/nonexistent\/ca\.pem: ENOENT/);
  });

  it("a user at its connection limit is QUOTA_EXCEEDED", async () => {
    const limited = await createUser(CANARY);
    const admin = await adminConnection();
    try {
      await admin.query('ALTER USER ?@? WITH MAX_USER_CONNECTIONS 1', [limited.user, '%']);
      const first = await connectMysql({ ...serverOptions(), user: limited.user }, { password: CANARY }, host());
      try {
        expectCode(await connectError({ ...serverOptions(), user: limited.user }, { password: CANARY }, host()), 'QUOTA_EXCEEDED');
      } finally {
        await first.close();
      }
    } finally {
      admin.destroy();
      await limited.drop();
    }
  });

  it('a server that accepts and never answers is CONNECTION_TIMEOUT within the connect deadline', async () => {
    const hole = await startBlackHole();
    try {
      const { value } = await within(3_000, () => connectError({ host: '127.0.0.1', port: hole.port, sslMode: 'DISABLED', connectTimeoutMs: 1_000 }, {}, host()));
      expectCode(value, 'CONNECTION_TIMEOUT');
    } finally {
      await hole.close();
    }
  });

  it('connecting is cancelled at once by the host signal', async () => {
    const hole = await startBlackHole();
    try {
      const abort = new AbortController();
      setTimeout(() => abort.abort(), 200);
      const { value } = await within(1_500, () => connectError({ host: '127.0.0.1', port: hole.port, sslMode: 'DISABLED', connectTimeoutMs: 20_000 }, {}, { ...host(), signal: abort.signal }));
      expectCode(value, 'CANCELLED');
    } finally {
      await hole.close();
    }
  });

  it('a cancelled query is killed on the server (KILL QUERY), and the session goes on', async () => {
    const session = (await connectMysql(serverOptions(main), undefined, host())) as MySqlSession;
    try {
      const marker = `plugboard-cancel-${Date.now()}`;
      const abort = new AbortController();
      const pending = session.query(`SELECT SLEEP(30) /* ${marker} */`, [], abort.signal);
      await eventually(async () => (await running(marker)) === 1, 5_000, 'the query starting');
      abort.abort();
      const { value } = await within(1_000, () => pending.then(() => undefined, (e: unknown) => e));
      expectCode(value, 'CANCELLED');
      await eventually(async () => (await running(marker)) === 0, 5_000, 'the server stopping the query');
      assert.equal((await session.ping()).status, 'ok');
    } finally {
      await session.close();
    }
  });

  it('a query past its deadline is CONNECTION_TIMEOUT, and killed on the server too', async () => {
    const session = (await connectMysql(serverOptions(main), undefined, { ...host(), timeoutMs: 700 })) as MySqlSession;
    try {
      const marker = `plugboard-deadline-${Date.now()}`;
      const { value } = await within(2_500, () => session.query(`SELECT SLEEP(30) /* ${marker} */`).then(() => undefined, (e: unknown) => e));
      expectCode(value, 'CONNECTION_TIMEOUT');
      await eventually(async () => (await running(marker)) === 0, 5_000, 'the server stopping the query');
    } finally {
      await session.close();
    }
  });

  it('an introspection cancelled half-way stops at once, and the session can introspect again', async () => {
    const proxy = await startFaultProxy('127.0.0.1', serverOptions().port!);
    try {
      const session = await connectMysql({ ...serverOptions(main), host: '127.0.0.1', port: proxy.port }, undefined, host());
      try {
        const abort = new AbortController();
        // The next catalog query reaches the proxy, which holds it while the caller cancels.
        proxy.armOnNextRequest(async () => {
          abort.abort();
          await new Promise((r) => setTimeout(r, 3_000));
        });
        const { value } = await within(1_500, () => session.introspect({}, undefined, abort.signal).then(() => undefined, (e: unknown) => e));
        expectCode(value, 'CANCELLED');
        const model = await session.introspect({});
        assert.ok(model.namespaces[0]!.entities.length > 10);
      } finally {
        await session.close();
      }
    } finally {
      await proxy.close();
    }
  });

  it('closing a session whose server stopped answering ends within the deadline', async () => {
    const proxy = await startFaultProxy('127.0.0.1', serverOptions().port!);
    try {
      const session = await connectMysql({ ...serverOptions(main), host: '127.0.0.1', port: proxy.port, connectTimeoutMs: 1_000 }, undefined, host());
      proxy.armOnNextRequest(() => new Promise((r) => setTimeout(r, 10_000)));
      await within(2_500, () => session.close());
    } finally {
      await proxy.close();
    }
  });

  it('the canary password reaches no error, log line, generated file or output', async () => {
    const admin = await adminConnection();
    try {
      await admin.query(`GRANT SELECT, SHOW VIEW ON ${escapeId(main)}.* TO ?@?`, [canaryUser!.user, '%']);
    } finally {
      admin.destroy();
    }
    const parsed = mysqlBackend.parse(`mysql://${canaryUser!.user}:${encodeURIComponent(CANARY)}@127.0.0.1:${serverOptions().port}/${encodeURIComponent(main)}?ssl-mode=DISABLED`);
    assert.deepEqual(parsed.secret, { password: CANARY });
    assertNoCanary(mysqlBackend.format(parsed.options)!, 'the formatted URL');
    assertNoCanary(JSON.stringify(parsed.options), 'the profile options');
    const session = await connectMysql(parsed.options, parsed.secret, host());
    let model;
    try {
      model = await session.introspect({});
      expectCode(await (session as MySqlSession).query('SELECT * FROM mysql.user').catch((e: unknown) => e), 'PERMISSION_DENIED');
    } finally {
      await session.close();
    }
    const out = path.join(work!.dir, 'gen');
    const result = await generate(model, { profileName: 'canary', targets: ['mysql-crud', 'docs-markdown'], offers: mysqlBackend.targets, mapping: mysqlBackend.valueMapping });
    await writeGeneratedFiles(out, result.files);
    for (const file of await listFiles(out)) assertNoCanary(await fs.readFile(file, 'utf8'), file);
    assertNoCanary(logLines.join('\n'), 'the driver log');
    assertNoCanary(capturedOutput(), 'the test output so far');
  });
});
