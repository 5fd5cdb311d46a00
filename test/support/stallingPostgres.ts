/**
 * A PostgreSQL server that stops answering at a chosen point, speaking just enough of the wire protocol
 * (v3) to get there: it refuses TLS ('N'), accepts the startup without a password (AuthenticationOk,
 * BackendKeyData, ReadyForQuery) and answers simple queries with one row of text columns. Then it goes
 * silent without closing anything, as a server behind a dead proxy or a hung backend would.
 *
 * - `before-startup`: says 'N' to the TLS request, then never answers the startup message.
 * - `after-startup`: completes the startup, never answers a query.
 * - `after-first-query`: answers the first query (the driver's connect check), never another one.
 */
import * as net from 'node:net';

export type StallPoint = 'before-startup' | 'after-startup' | 'after-first-query';

export interface StallingPostgres {
  port: number;
  /** Connections accepted, and how many of them are still open. */
  accepted: number;
  open(): number;
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'ascii');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const int16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
const cstring = (s: string) => Buffer.from(`${s}\0`, 'utf8');

/** RowDescription + DataRow + CommandComplete + ReadyForQuery for one row of text columns. */
function oneRow(columns: Record<string, string>): Buffer {
  const names = Object.keys(columns);
  const fields = names.map((n) => Buffer.concat([cstring(n), int32(0), int16(0), int32(25), int16(-1), int32(-1), int16(0)]));
  const values = names.map((n) => {
    const v = Buffer.from(columns[n]!, 'utf8');
    return Buffer.concat([int32(v.length), v]);
  });
  return Buffer.concat([
    message('T', Buffer.concat([int16(names.length), ...fields])),
    message('D', Buffer.concat([int16(names.length), ...values])),
    message('C', cstring('SELECT 1')),
    message('Z', Buffer.from('I')),
  ]);
}

export async function startStallingPostgres(stall: StallPoint): Promise<StallingPostgres> {
  const sockets = new Set<net.Socket>();
  const state = { accepted: 0 };
  const server = net.createServer((socket) => {
    state.accepted++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    let buffer = Buffer.alloc(0);
    let started = false;
    let queries = 0;
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) return;
          const code = buffer.readInt32BE(4);
          buffer = buffer.subarray(length);
          if (code === SSL_REQUEST || code === GSS_REQUEST) {
            socket.write('N');
            continue;
          }
          if (code === CANCEL_REQUEST) return void socket.end();
          started = true;
          if (stall === 'before-startup') return;
          socket.write(Buffer.concat([message('R', int32(0)), message('K', Buffer.concat([int32(4242), int32(7)])), message('Z', Buffer.from('I'))]));
          continue;
        }
        if (buffer.length < 5) return;
        const type = String.fromCharCode(buffer[0]!);
        const length = buffer.readInt32BE(1);
        if (buffer.length < length + 1) return;
        buffer = buffer.subarray(length + 1);
        // Terminate is ignored too: a hung server does not close the connection when asked.
        if (type !== 'Q') continue;
        queries++;
        if (stall === 'after-first-query' && queries === 1) socket.write(oneRow({ version: '16.0 (stalling test server)', database: 'stall' }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    get accepted() {
      return state.accepted;
    },
    open: () => sockets.size,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
