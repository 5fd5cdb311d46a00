/**
 * A gRPC server speaking the Firestore v1 service that answers every call with one fixed status, as Cloud
 * Firestore does for a bad key, a missing project or an exhausted quota. firebase-admin talks to it over a
 * real connection exactly as it would to Google (pointed at it like at an emulator), so its retries, its
 * error objects and our classification of them are exercised for answers the emulator never gives.
 */
import { UnimplementedFirestoreService } from '@firestore-emulator/proto/dist/google/firestore/v1/firestore';
import type { Server } from '@grpc/grpc-js';
import { grpc } from './grpc';

export interface StatusServer {
  host: string;
  /** Calls answered so far, by method name. */
  calls: Map<string, number>;
  stop(): Promise<void>;
}

const BIND_DEADLINE_MS = 5_000;

export async function startStatusServer(status: { code: number; details: string }): Promise<StatusServer> {
  const server: Server = new grpc.Server();
  const calls = new Map<string, number>();
  const definition = UnimplementedFirestoreService.definition as unknown as Record<string, { path: string; requestStream: boolean; responseStream: boolean }>;
  const handlers: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(definition)) {
    const count = () => calls.set(name, (calls.get(name) ?? 0) + 1);
    const failure = { code: status.code, details: status.details };
    if (!method.requestStream && !method.responseStream) {
      handlers[name] = (_call: unknown, callback: (err: unknown) => void) => {
        count();
        callback(failure);
      };
    } else {
      // Streaming calls (RunQuery, BatchGetDocuments, Listen…) end with the status before any message.
      handlers[name] = (call: { emit(event: 'error', err: unknown): void }) => {
        count();
        call.emit('error', failure);
      };
    }
  }
  server.addService(UnimplementedFirestoreService.definition as never, handlers as never);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`status server: binding took over ${BIND_DEADLINE_MS} ms`)), BIND_DEADLINE_MS);
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, bound) => {
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(bound);
    });
  });
  let stopped = false;
  return {
    host: `127.0.0.1:${port}`,
    calls,
    async stop() {
      if (stopped) return;
      stopped = true;
      server.forceShutdown();
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
  };
}
