/**
 * The @grpc/grpc-js that @firestore-emulator/server itself loads. Plugboard has no direct dependency on
 * grpc-js; resolving it from the emulator's folder guarantees our handlers, credentials and status codes come
 * from the same copy as the server they are added to, however npm lays out node_modules.
 */
import { createRequire } from 'node:module';

type GrpcJs = typeof import('@grpc/grpc-js');

const requireFromEmulator = createRequire(require.resolve('@firestore-emulator/server'));

export const grpc = requireFromEmulator('@grpc/grpc-js') as GrpcJs;

/** A failure that a handler answers with a gRPC status instead of a crash or a generic UNKNOWN. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export const invalidArgument = (message: string): RpcError => new RpcError(grpc.status.INVALID_ARGUMENT, message);
export const unimplemented = (message: string): RpcError => new RpcError(grpc.status.UNIMPLEMENTED, message);

/** The `{ code, details }` shape grpc-js turns into a call status. */
export function toServiceError(err: unknown): { code: number; details: string } {
  if (err instanceof RpcError) return { code: err.code, details: err.message };
  const code = typeof (err as { code?: unknown })?.code === 'number' ? (err as { code: number }).code : grpc.status.INTERNAL;
  return { code, details: err instanceof Error ? err.message : String(err) };
}
