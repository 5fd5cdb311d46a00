import { Binary, BSONRegExp, Decimal128, Long, ObjectId, Timestamp, type Db, type Document } from 'mongodb';
import type { EntityRef, PreviewPage, Snippets } from '../../core/backend';
import { documentColumns, toPreviewCell } from '../../core/preview';

/**
 * Preview Data and Copy Name / Copy Query for MongoDB. Names are written as JavaScript string literals for
 * mongosh (`db.getSiblingDB("shop").getCollection("orders")`), so any collection name is safe to paste.
 */
const literal = (s: string) => JSON.stringify(s);

export const mongoSnippets: Snippets = {
  name: (ref, field) => (field === undefined ? `db.getSiblingDB(${literal(ref.namespace)}).getCollection(${literal(ref.entity)})` : literal(field)),
  select: (ref, fields, limit) => {
    const projection = fields.length ? `, { ${fields.map((f) => `${literal(f)}: 1`).join(', ')} }` : '';
    return `db.getSiblingDB(${literal(ref.namespace)}).getCollection(${literal(ref.entity)}).find({}${projection}).limit(${Math.max(1, Math.floor(limit))})`;
  },
};

/**
 * One page of documents in natural order, one more than asked to know whether another follows. Columns are
 * the union of the page's top-level keys, `_id` first, in the order they were first seen.
 */
export async function mongoPreview(db: Db, ref: EntityRef, page: { limit: number; offset: number }, signal?: AbortSignal, maxTimeMS?: number): Promise<PreviewPage> {
  const limit = Math.max(1, Math.min(10_000, Math.floor(page.limit)));
  const offset = Math.max(0, Math.floor(page.offset));
  const docs = await db.collection<Document>(ref.entity).find({}, { skip: offset, limit: limit + 1, maxTimeMS, signal }).toArray();
  const shown = docs.slice(0, limit);
  const columns = documentColumns(shown, ['_id']);
  const has = (d: Document, k: string) => Object.prototype.hasOwnProperty.call(d, k);
  return {
    columns,
    rows: shown.map((d) => columns.map((k) => (has(d, k) ? toPreviewCell(plain(d[k])) : null))),
    offset,
    hasMore: docs.length > limit,
  };
}

/** BSON's classes as a person reads them in mongosh's terms: hex ids, exact decimals and longs as text. */
function plain(value: unknown): unknown {
  if (value instanceof ObjectId) return value.toHexString();
  if (value instanceof Decimal128 || value instanceof Long) return value.toString();
  if (value instanceof Timestamp) return `Timestamp(${value.t}, ${value.i})`;
  if (value instanceof BSONRegExp) return `/${value.pattern}/${value.options}`;
  if (value instanceof Binary) return value.sub_type === Binary.SUBTYPE_UUID ? value.toUUID().toHexString(true) : Buffer.from(value.buffer);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}
