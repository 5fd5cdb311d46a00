import { DocumentReference, GeoPoint, Timestamp, type Firestore } from 'firebase-admin/firestore';
import type { EntityRef, PreviewPage, Snippets } from '../../core/backend';
import { documentColumns, toPreviewCell } from '../../core/preview';
import { partsOf } from './paths';

/**
 * Preview Data and Copy Name / Copy Query for Firestore. A root collection is read directly; a
 * subcollection (`users/{userId}/orders`) as a collection-group query over its id, which is what "this
 * collection" means across parents. Pages use `limit` only (never offset or cursors: they differ between
 * Cloud Firestore and the emulator), so page n reads n pages; a preview is for the first few.
 */
const literal = (s: string) => JSON.stringify(s);

export const firestoreSnippets: Snippets = {
  name: (ref, field) => (field === undefined ? (ref.path ?? ref.entity) : literal(field)),
  select: (ref, fields, limit) => {
    const query = ref.path && ref.path.includes('/') ? `db.collectionGroup(${literal(partsOf(ref.path).collections.at(-1)!)})` : `db.collection(${literal(ref.path ?? ref.entity)})`;
    return `${query}${fields.length ? `.select(${fields.map(literal).join(', ')})` : ''}.limit(${Math.max(1, Math.floor(limit))}).get()`;
  },
};

export async function firestorePreview(db: Firestore, ref: EntityRef, page: { limit: number; offset: number }): Promise<PreviewPage> {
  const limit = Math.max(1, Math.min(1_000, Math.floor(page.limit)));
  const offset = Math.max(0, Math.floor(page.offset));
  const nested = ref.path !== undefined && ref.path.includes('/');
  const query = nested ? db.collectionGroup(partsOf(ref.path!).collections.at(-1)!) : db.collection(ref.path ?? ref.entity);
  const snapshot = await query.limit(offset + limit + 1).get();
  const docs = snapshot.docs.slice(offset, offset + limit);
  const columns = documentColumns(docs.map((d) => d.data()), ['(document)']);
  return {
    columns,
    rows: docs.map((d) => {
      const data = d.data();
      return [d.ref.path, ...columns.slice(1).map((k) => (Object.prototype.hasOwnProperty.call(data, k) ? toPreviewCell(plain(data[k])) : null))];
    }),
    offset,
    hasMore: snapshot.docs.length > offset + limit,
  };
}

/** Firestore's own value classes as what a person reads: a date, a path, coordinates. */
function plain(value: unknown): unknown {
  // Introspection reads integers as bigint (to tell them from doubles); most fit a number.
  if (typeof value === 'bigint') return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  if (value instanceof Timestamp) return value.toDate();
  if (value instanceof DocumentReference) return value.path;
  if (value instanceof GeoPoint) return { latitude: value.latitude, longitude: value.longitude };
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}
