/**
 * Ordering and page tokens for the listing RPCs. Firestore orders ids the way its clients do: numeric ids
 * (`__id123__`) first by number, then everything else by UTF-8 bytes (not UTF-16 code units, which is what
 * JavaScript's default sort compares). Page tokens are opaque to clients; ours name the last id returned, so a
 * page that follows a write still starts at the right place.
 */
import { invalidArgument } from './grpc';

const NUMERIC_ID = /^__id(-?\d+)__$/;

export function compareIds(left: string, right: string): number {
  const leftNumber = NUMERIC_ID.exec(left);
  const rightNumber = NUMERIC_ID.exec(right);
  if (leftNumber && rightNumber) {
    const a = BigInt(leftNumber[1]!);
    const b = BigInt(rightNumber[1]!);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (leftNumber) return -1;
  if (rightNumber) return 1;
  return Buffer.compare(Buffer.from(left, 'utf8'), Buffer.from(right, 'utf8'));
}

export interface Page<T> {
  items: T[];
  /** Empty when this page is the last one. */
  nextPageToken: string;
}

/**
 * One page of `ids` (already sorted in the order the caller wants, `compare` being that order): the ids after
 * the one named by `pageToken`, at most `pageSize` of them.
 */
export function pageOf(ids: string[], compare: (a: string, b: string) => number, pageSize: number, pageToken: string): Page<string> {
  if (!Number.isInteger(pageSize) || pageSize < 1) throw invalidArgument(`page_size must be a positive integer, got ${pageSize}`);
  let start = 0;
  if (pageToken !== '') {
    const after = decodeToken(pageToken);
    start = ids.findIndex((id) => compare(id, after) > 0);
    if (start < 0) start = ids.length;
  }
  const end = Math.min(ids.length, start + pageSize);
  const items = ids.slice(start, end);
  const nextPageToken = end < ids.length && items.length > 0 ? encodeToken(items[items.length - 1]!) : '';
  return { items, nextPageToken };
}

const TOKEN_PREFIX = 'after:';

function encodeToken(lastId: string): string {
  return Buffer.from(TOKEN_PREFIX + lastId, 'utf8').toString('base64url');
}

function decodeToken(token: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith(TOKEN_PREFIX)) throw invalidArgument(`page_token is not one this server issued: ${JSON.stringify(token)}`);
  return text.slice(TOKEN_PREFIX.length);
}
