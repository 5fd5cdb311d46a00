/**
 * PGlite (Postgres in WASM) served over the wire by pglite-socket, so the ordinary pg adapter talks to it.
 * A cold PGlite.create() costs 3–4 s; the first instance with a given schema is dumped and later ones load
 * that dump (~0.6 s), so a suite can afford a fresh instance when it means to kill it.
 */
import type { ConnectionProfile } from '../../src/core/model';

export interface PgliteServer {
  host: string;
  port: number;
  /** A profile for it: not the demo (we choose the schema), TLS off (PGlite has none). */
  profile: ConnectionProfile;
  url: string;
  exec(sql: string): Promise<void>;
  stop(): Promise<void>;
}

const dumps = new Map<string, Promise<Blob | File>>();

export async function startPglite(schemaSql: string, label = 'pglite'): Promise<PgliteServer> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const dump = dumps.get(schemaSql);
  let db: InstanceType<typeof PGlite>;
  if (dump) {
    db = await PGlite.create({ loadDataDir: await dump });
  } else {
    db = await PGlite.create();
    await db.exec(schemaSql);
    const made = db.dumpDataDir('none');
    dumps.set(schemaSql, made);
    made.catch(() => dumps.delete(schemaSql));
    await made;
  }
  // Sessions closed a moment ago may still hold their slots while the next one connects: room for both.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 16 });
  await server.start();
  const [host, port] = server.getServerConn().split(':');
  let stopped = false;
  return {
    host: host!,
    port: Number(port),
    profile: { id: label, name: label, kind: 'postgres', options: { host: host!, port: Number(port), database: 'postgres', user: 'postgres', sslmode: 'disable', demo: false } },
    url: `postgres://postgres@${host}:${port}/postgres?sslmode=disable`,
    async exec(sql) {
      await db.exec(sql);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop().catch(() => undefined);
      await db.close().catch(() => undefined);
    },
  };
}
