/**
 * TEST STAND-IN, NOT A DATABASE. A MongoDB wire-protocol server for Plugboard's tests on machines where no
 * mongod can be had: the official `mongodb` driver talks to it unchanged (OP_MSG, the OP_QUERY handshake,
 * SCRAM-SHA-256/SHA-1, cursors with getMore). Everything lives in memory; queries and aggregation are mingo's.
 *
 * Implemented: hello/isMaster, ping, buildInfo, listDatabases, connectionStatus, endSessions, saslStart/
 * saslContinue, create (collections, capped, time series, views, validators), drop, dropDatabase,
 * listCollections, createIndexes/listIndexes/dropIndexes, find/getMore/killCursors, aggregate, count, distinct,
 * insert, update, delete, findAndModify. Anything else answers CommandNotFound (59).
 *
 * TLS: with `tls: { key, cert }` it accepts only TLS connections, as mongod with `net.tls.mode: requireTLS`
 * (no client certificates).
 *
 * Not implemented: transactions, change streams, sharding, replica sets (it is a standalone), retryable
 * writes, compression, explain, $out/$merge, text search, geo queries, collations, validator enforcement,
 * TTL expiry, index-backed query plans, users/roles beyond one root user, maxTimeMS enforcement.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { ScramAuthority } from './auth';
import { type CommandContext, runCommand, type Session } from './commands';
import { CursorRegistry } from './cursors';
import { errorReply } from './errors';
import { StandinState } from './state';
import { encodeReply, MessageSplitter, parseRequest, type Request } from './wire';

export interface StandinOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** With both, clients must authenticate as this user (database `admin`) with SCRAM. */
  user?: string;
  password?: string;
  /** PEM key and certificate: then every connection must be TLS (mongod's `requireTLS`). */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export interface MongoStandin {
  /** mongodb://[user:password@]host:port/[?tls=true] — contains the password when there is one: do not log it. */
  url: string;
  host: string;
  port: number;
  /** The server's data, for seeding and inspection (`state.seed(db, collection, docs)`). */
  state: StandinState;
  /** Shorthand for `state.databases`. */
  databases: StandinState['databases'];
  /** Open client connections right now. */
  readonly connections: number;
  /** Server cursors still open (not exhausted or killed). */
  readonly openCursors: number;
  /** Stops listening and closes every client connection. */
  stop(): Promise<void>;
}

function standinUrl(host: string, port: number, user?: string, password?: string, withTls = false): string {
  const auth = user !== undefined && password !== undefined ? `${encodeURIComponent(user)}:${encodeURIComponent(password)}@` : '';
  return `mongodb://${auth}${host.includes(':') ? `[${host}]` : host}:${port}/${withTls ? '?tls=true' : ''}`;
}

export async function startMongoStandin(options: StandinOptions = {}): Promise<MongoStandin> {
  const host = options.host ?? '127.0.0.1';
  if ((options.user === undefined) !== (options.password === undefined)) throw new Error('startMongoStandin: give both user and password, or neither');
  const auth = options.user !== undefined && options.password !== undefined ? new ScramAuthority(options.user, options.password) : undefined;
  const state = new StandinState();
  const cursors = new CursorRegistry();
  const sockets = new Set<net.Socket>();
  let connectionCount = 0;

  const answer = (socket: net.Socket, request: Request, ctx: CommandContext) => {
    const reply = runCommand(ctx, request.command);
    if (request.moreToCome) return;
    let bytes: Buffer;
    try {
      bytes = encodeReply(request, reply);
    } catch (err) {
      bytes = encodeReply(request, errorReply(err)); // e.g. a result document over the BSON size limit
    }
    socket.write(bytes);
  };

  const onConnection = (socket: net.Socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
    const splitter = new MessageSplitter();
    const session: Session = {};
    const connectionId = ++connectionCount;
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const message of splitter.push(chunk)) {
          const request = parseRequest(message);
          answer(socket, request, { state, cursors, auth, session, connectionId, db: request.db });
        }
      } catch {
        socket.destroy(); // a framing error: the stream cannot be trusted any more, as mongod does
      }
    });
  };
  const server = options.tls ? tls.createServer({ key: options.tls.key, cert: options.tls.cert }, onConnection) : net.createServer(onConnection);
  // A client that gives up on the handshake (an untrusted certificate) is its own business, as in mongod.
  server.on('tlsClientError', () => undefined);
  // Connections still in their TLS handshake are not in `sockets` yet; stop() must cut them too.
  const handshaking = new Set<net.Socket>();
  if (options.tls) {
    server.on('connection', (raw: net.Socket) => {
      handshaking.add(raw);
      raw.on('close', () => handshaking.delete(raw));
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as net.AddressInfo).port;
  let stopped: Promise<void> | undefined;
  return {
    url: standinUrl(host, port, options.user, options.password, !!options.tls),
    host,
    port,
    state,
    databases: state.databases,
    get connections() {
      return sockets.size;
    },
    get openCursors() {
      return cursors.size;
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        cursors.close();
        server.close(() => resolve());
        for (const socket of [...sockets, ...handshaking]) socket.destroy();
        sockets.clear();
        handshaking.clear();
      });
      return stopped;
    },
  };
}
