/**
 * The listing RPCs called directly over gRPC, for what firebase-admin never sends (page_size, masks,
 * show_missing=false, orderings) and for the status codes the server answers with.
 */
import {
  FirestoreClient,
  ListCollectionIdsRequest,
  ListDocumentsRequest,
  type ListCollectionIdsResponse,
  type ListDocumentsResponse,
} from '@firestore-emulator/proto/dist/google/firestore/v1/firestore';
import type { ServiceError } from '@grpc/grpc-js';
import { grpc } from './grpc';

const CALL_DEADLINE_MS = 5_000;

export interface RawListingClient {
  listCollectionIds(request: Parameters<typeof ListCollectionIdsRequest.fromObject>[0]): Promise<ReturnType<ListCollectionIdsResponse['toObject']>>;
  listDocuments(request: Parameters<typeof ListDocumentsRequest.fromObject>[0]): Promise<ReturnType<ListDocumentsResponse['toObject']>>;
  close(): void;
}

type Unary<Req, Res> = (request: Req, options: { deadline: number }, callback: (err: ServiceError | null, response?: Res) => void) => unknown;

function call<Req, Res extends { toObject(): unknown }>(method: Unary<Req, Res>, request: Req): Promise<ReturnType<Res['toObject']>> {
  return new Promise((resolve, reject) => {
    method(request, { deadline: Date.now() + CALL_DEADLINE_MS }, (err, response) => {
      if (err) reject(err);
      else resolve(response!.toObject() as ReturnType<Res['toObject']>);
    });
  });
}

export function rawListingClient(host: string): RawListingClient {
  const client = new FirestoreClient(host, grpc.credentials.createInsecure());
  return {
    listCollectionIds: (request) => call(client.ListCollectionIds.bind(client) as Unary<ListCollectionIdsRequest, ListCollectionIdsResponse>, ListCollectionIdsRequest.fromObject(request)),
    listDocuments: (request) => call(client.ListDocuments.bind(client) as Unary<ListDocumentsRequest, ListDocumentsResponse>, ListDocumentsRequest.fromObject(request)),
    close: () => client.close(),
  };
}
