/**
 * Handlers added to (or swapped into) the emulator's gRPC server. The emulator ships ListCollectionIds,
 * ListDocuments and BatchWrite as stubs that log and throw: grpc-js turns the throw into UNKNOWN for unary
 * calls, and firebase-admin's BulkWriter then fails in ways that can take the process down. Here the three
 * are implemented from the emulator's state, and the remaining stubs answer UNIMPLEMENTED quietly.
 */
import type { FirestoreState } from '@firestore-emulator/server';
import {
  BatchWriteResponse,
  ListCollectionIdsResponse,
  ListDocumentsResponse,
  UnimplementedFirestoreService,
  type BatchWriteRequest,
  type ListCollectionIdsRequest,
  type ListDocumentsRequest,
} from '@firestore-emulator/proto/dist/google/firestore/v1/firestore';
import type { Server, ServerDuplexStream, ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import { grpc, toServiceError } from './grpc';
import { listCollectionIds, listDocuments } from './listing';

type Definition = typeof UnimplementedFirestoreService.definition;
type MethodName = keyof Definition;

/** Unary handler around a function of the request: its throws become gRPC statuses, never crashes. */
function unary<Req, Res>(answer: (request: Req) => Res) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
    let response: Res;
    try {
      response = answer(call.request);
    } catch (err) {
      callback(toServiceError(err), null);
      return;
    }
    callback(null, response);
  };
}

function replaceUnary<Req, Res>(server: Server, name: MethodName, handler: (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => void): void {
  const method = UnimplementedFirestoreService.definition[name] as unknown as {
    path: string;
    responseSerialize: (message: Res) => Buffer;
    requestDeserialize: (bytes: Buffer) => Req;
  };
  server.unregister(method.path);
  if (!server.register(method.path, handler, method.responseSerialize, method.requestDeserialize, 'unary')) {
    throw new Error(`firestore emulator: could not register ${method.path}`);
  }
}

function batchWrite(state: FirestoreState, request: BatchWriteRequest): BatchWriteResponse {
  // BatchWrite is not atomic: each write stands or fails alone, with its own status.
  const date = new Date();
  const writeResults: ReturnType<BatchWriteResponse['toObject']>['write_results'] = [];
  const statuses: ReturnType<BatchWriteResponse['toObject']>['status'] = [];
  for (const write of request.writes) {
    try {
      writeResults!.push(state.writeV1Document(date, write).toObject());
      statuses!.push({ code: grpc.status.OK });
    } catch (err) {
      const failure = toServiceError(err);
      writeResults!.push({});
      statuses!.push({ code: failure.code, message: failure.details });
    }
  }
  return BatchWriteResponse.fromObject({ write_results: writeResults, status: statuses });
}

const STUBS_LEFT: MethodName[] = ['GetDocument', 'UpdateDocument', 'DeleteDocument', 'CreateDocument', 'PartitionQuery'];

export function installMissingHandlers(server: Server, state: FirestoreState): void {
  replaceUnary(
    server,
    'ListCollectionIds',
    unary((request: ListCollectionIdsRequest) => {
      const page = listCollectionIds(state, { parent: request.parent, pageSize: request.page_size, pageToken: request.page_token, hasReadTime: request.has_read_time });
      return ListCollectionIdsResponse.fromObject({ collection_ids: page.items, next_page_token: page.nextPageToken });
    }),
  );
  replaceUnary(
    server,
    'ListDocuments',
    unary((request: ListDocumentsRequest) => {
      const page = listDocuments(state, {
        parent: request.parent,
        collectionId: request.collection_id,
        pageSize: request.page_size,
        pageToken: request.page_token,
        orderBy: request.order_by,
        maskFieldPaths: request.has_mask ? request.mask.field_paths : undefined,
        showMissing: request.show_missing,
        hasReadTime: request.has_read_time,
      });
      return ListDocumentsResponse.fromObject({ documents: page.items, next_page_token: page.nextPageToken });
    }),
  );
  replaceUnary(server, 'BatchWrite', unary((request: BatchWriteRequest) => batchWrite(state, request)));
  for (const name of STUBS_LEFT) {
    replaceUnary(server, name, (_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
      callback({ code: grpc.status.UNIMPLEMENTED, details: `${name} is not implemented by the test emulator` }, null);
    });
  }
  replaceWriteStream(server);
}

/** The streaming Write RPC (used by mobile/web SDKs, not firebase-admin): closed with UNIMPLEMENTED. */
function replaceWriteStream(server: Server): void {
  const method = UnimplementedFirestoreService.definition.Write;
  server.unregister(method.path);
  const handler = (call: ServerDuplexStream<unknown, unknown>) => {
    call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'Write is not implemented by the test emulator' });
  };
  server.register(method.path, handler, method.responseSerialize as (m: unknown) => Buffer, method.requestDeserialize as (b: Buffer) => unknown, 'bidi');
}
