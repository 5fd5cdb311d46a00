import { DEMO_SCHEMA_SQL } from './demoSchema';

/**
 * The embedded demo database: PGlite (Postgres in WASM) served on a random loopback port by pglite-socket,
 * so the ordinary pg adapter talks to it over the wire. One per process, started on first use.
 */
export interface DemoDatabase {
  host: string;
  port: number;
  stop(): Promise<void>;
}

let running: Promise<DemoDatabase> | undefined;

export function ensureDemoDatabase(): Promise<DemoDatabase> {
  if (!running) {
    running = startDemo();
    running.catch(() => (running = undefined));
  }
  return running;
}

export async function stopDemoDatabase(): Promise<void> {
  const demo = running;
  running = undefined;
  if (demo) await (await demo).stop().catch(() => undefined);
}

async function startDemo(): Promise<DemoDatabase> {
  // require, not import(): PGlite stays outside the bundle and only its CommonJS build (and WASM) ships.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PGlite } = require('@electric-sql/pglite') as typeof import('@electric-sql/pglite');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PGLiteSocketServer } = require('@electric-sql/pglite-socket') as typeof import('@electric-sql/pglite-socket');
  const db = await PGlite.create();
  await db.exec(DEMO_SCHEMA_SQL);
  // A few connections: the session's pool uses one, cancel requests and a second window may use another.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
  await server.start();
  const [host, port] = server.getServerConn().split(':');
  return {
    host: host!,
    port: Number(port),
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
