/**
 * The JS Firestore emulator (@firestore-emulator/server) in this process, on a loopback port, with the
 * listing RPCs it lacks added (see handlers.ts). FirestoreServer.start() binds 0.0.0.0 and does not say
 * which port it got, so we bind its gRPC server ourselves; that server is a TypeScript-private field of
 * FirestoreServer, reached once here and checked, so a change in the package fails loudly at start.
 */
import { FirestoreServer, type FirestoreState } from '@firestore-emulator/server';
import type { Server } from '@grpc/grpc-js';
import { grpc } from './grpc';
import { installMissingHandlers } from './handlers';

export interface FirestoreEmulator {
  /** `127.0.0.1:PORT`: the value for FIRESTORE_EMULATOR_HOST or Firestore's `host` setting. */
  host: string;
  port: number;
  /** The emulator's data: seed or inspect it directly (toJSON() shows the whole tree). */
  state: FirestoreState;
  /** Closes the listener and every client connection at once (open listeners included). Idempotent. */
  stop(): Promise<void>;
}

export interface FirestoreEmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
}

const BIND_DEADLINE_MS = 5_000;

function grpcServerOf(emulator: FirestoreServer): Server {
  const server = (emulator as unknown as { server?: unknown }).server;
  const looksLikeServer =
    server instanceof Object && ['bindAsync', 'register', 'unregister', 'forceShutdown'].every((name) => typeof (server as Record<string, unknown>)[name] === 'function');
  if (!looksLikeServer) throw new Error('@firestore-emulator/server changed: FirestoreServer no longer holds its gRPC server in `server`; update test/support/firestore/emulator.ts');
  return server as Server;
}

function bind(server: Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`firestore emulator: binding ${address} took over ${BIND_DEADLINE_MS} ms`)), BIND_DEADLINE_MS);
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, port) => {
      clearTimeout(timer);
      if (err) reject(new Error(`firestore emulator: cannot listen on ${address}: ${err.message}`));
      else resolve(port);
    });
  });
}

const hostPort = (host: string, port: number): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

export async function startFirestoreEmulator(opts: FirestoreEmulatorOptions = {}): Promise<FirestoreEmulator> {
  const host = opts.host ?? '127.0.0.1';
  const emulator = new FirestoreServer();
  const server = grpcServerOf(emulator);
  installMissingHandlers(server, emulator.state);
  let port: number;
  try {
    port = await bind(server, hostPort(host, opts.port ?? 0));
  } catch (err) {
    server.forceShutdown();
    throw err;
  }
  let stopped = false;
  return {
    host: hostPort(host, port),
    port,
    state: emulator.state,
    async stop() {
      if (stopped) return;
      stopped = true;
      // tryShutdown would wait for clients to hang up, and an idle firebase-admin channel or an onSnapshot
      // listener never does; forceShutdown closes the listener and destroys every session now.
      server.forceShutdown();
      // Let the destroyed sockets' close events run, so nothing of ours is left in the event loop.
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
  };
}
