/**
 * ListCollectionIds and ListDocuments answered from the emulator's own state. The state only enumerates its
 * children through toJSON() (its maps are private), and that JSON already drops what Firestore would not
 * show: documents that neither exist nor have descendants, and collections with nothing in them. Reading the
 * JSON (rather than getCollection/getProject, which create entries as they go) leaves the state untouched.
 * It costs a walk of the whole state per call: nothing for test data, not a design for large seeds.
 */
import type { FirestoreState } from '@firestore-emulator/server';
import type { Document } from '@firestore-emulator/proto/dist/google/firestore/v1/document';
import { applyMask } from './fieldMask';
import { invalidArgument, unimplemented } from './grpc';
import { compareIds, pageOf, type Page } from './paging';

type StateJson = ReturnType<FirestoreState['toJSON']>;
type DatabaseJson = StateJson['projects'][string]['databases'][string];
type CollectionJson = DatabaseJson['collections'][string];
type DocumentObject = ReturnType<Document['toObject']>;

/**
 * The page size when a request sets none. Real Firestore pages long listings too, so firebase-admin's
 * auto-pagination (it never sets page_size) is exercised by any listing longer than this.
 */
export const DEFAULT_PAGE_SIZE = 300;

/** `projects/P/databases/D/documents` plus the document path under it (empty for the database root). */
export interface ParentName {
  project: string;
  database: string;
  documentPath: string[];
}

export function parseParent(parent: string): ParentName {
  const parts = parent.split('/');
  const [projects, project, databases, database, documents, ...documentPath] = parts;
  const wellFormed =
    projects === 'projects' && !!project && databases === 'databases' && !!database && documents === 'documents' &&
    documentPath.length % 2 === 0 && documentPath.every((segment) => segment !== '');
  if (!wellFormed) throw invalidArgument(`parent must be projects/{project}/databases/{database}/documents[/{document_path}], got ${JSON.stringify(parent)}`);
  return { project: project!, database: database!, documentPath };
}

/** The collections directly under the parent (root or document), in Firestore's order. */
function collectionsUnder(state: FirestoreState, parent: ParentName): Record<string, CollectionJson> {
  const database = state.toJSON().projects[parent.project]?.databases[parent.database];
  if (!database) return {};
  let collections: Record<string, CollectionJson> = database.collections;
  for (let i = 0; i < parent.documentPath.length; i += 2) {
    const document = collections[parent.documentPath[i]!]?.documents[parent.documentPath[i + 1]!];
    if (!document) return {};
    collections = document.collections;
  }
  return collections;
}

export interface ListCollectionIdsInput {
  parent: string;
  pageSize: number;
  pageToken: string;
  hasReadTime: boolean;
}

export function listCollectionIds(state: FirestoreState, input: ListCollectionIdsInput): Page<string> {
  if (input.hasReadTime) throw unimplemented('ListCollectionIds read_time: this emulator keeps no history of past versions');
  const collections = collectionsUnder(state, parseParent(input.parent));
  // The database root lists every collection it has ever touched; only non-empty ones exist for Firestore.
  const ids = Object.entries(collections)
    .filter(([, collection]) => Object.keys(collection.documents).length > 0)
    .map(([id]) => id)
    .sort(compareIds);
  return pageOf(ids, compareIds, input.pageSize || DEFAULT_PAGE_SIZE, input.pageToken);
}

export interface ListDocumentsInput {
  parent: string;
  collectionId: string;
  pageSize: number;
  pageToken: string;
  orderBy: string;
  /** Undefined when the request has no mask (all fields); [] returns no fields. */
  maskFieldPaths: string[] | undefined;
  showMissing: boolean;
  hasReadTime: boolean;
}

/** `''`, `__name__`, `__name__ asc|desc`: the only orderings a listing of ids can honour on its own. */
function nameOrder(orderBy: string, showMissing: boolean): (a: string, b: string) => number {
  const spec = orderBy.trim();
  if (spec === '') return compareIds;
  if (showMissing) throw invalidArgument('ListDocuments: requests with show_missing may not specify order_by');
  const match = /^__name__(?:\s+(asc|desc))?$/i.exec(spec);
  if (!match) throw unimplemented(`ListDocuments order_by ${JSON.stringify(orderBy)}: this emulator orders listings by __name__ only`);
  return match[1]?.toLowerCase() === 'desc' ? (a, b) => compareIds(b, a) : compareIds;
}

export function listDocuments(state: FirestoreState, input: ListDocumentsInput): Page<DocumentObject> {
  if (input.hasReadTime) throw unimplemented('ListDocuments read_time: this emulator keeps no history of past versions');
  if (input.collectionId === '') throw unimplemented('ListDocuments without collection_id (every collection under the parent) is not supported by this emulator');
  const parent = parseParent(input.parent);
  const order = nameOrder(input.orderBy, input.showMissing);
  const collectionPath = `${input.parent}/${input.collectionId}`;
  const listed = collectionsUnder(state, parent)[input.collectionId]?.documents ?? {};
  const documents = new Map(Object.keys(listed).map((id) => [id, state.getDocument(`${collectionPath}/${id}`)]));
  const ids = [...documents.keys()].filter((id) => input.showMissing || documents.get(id)!.metadata.hasExist).sort(order);
  const page = pageOf(ids, order, input.pageSize || DEFAULT_PAGE_SIZE, input.pageToken);
  const items = page.items.map((id): DocumentObject => {
    const document = documents.get(id)!;
    // A missing document (no data, but descendants) carries its name only: no fields, no timestamps.
    if (!document.metadata.hasExist) return { name: document.getPath() };
    const full = document.toV1DocumentObject();
    return input.maskFieldPaths === undefined ? full : { ...full, fields: applyMask(full.fields ?? {}, input.maskFieldPaths) };
  });
  return { items, nextPageToken: page.nextPageToken };
}
