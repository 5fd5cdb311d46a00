/**
 * Two views of every stored document.
 *
 * Stored ("typed") documents keep the exact BSON types the client sent — they are deserialized with
 * `promoteValues: false`, so an int32, a double and an int64 stay `Int32`, `Double` and `Long` and go back out
 * as the same types. mingo cannot compare those wrappers with each other or with plain numbers, so queries run
 * over a "shadow": every numeric wrapper becomes a JS number, Binary becomes a comparable `ShadowBinary` and a
 * BSON regex a real `RegExp`. Results are mapped back to the typed documents (by reference where a stage keeps
 * documents whole), or re-typed path by path (`restoreTypes`) where a stage builds new documents.
 */
import { Binary, BSONRegExp, Decimal128, Double, Int32, Long } from 'bson';

export type Doc = Record<string, unknown>;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Binary as mingo can compare it: mingo falls back to `toString()` for class instances of the same class. */
export class ShadowBinary {
  constructor(readonly original: Binary) {}
  toString(): string {
    return `${this.original.sub_type}:${this.original.toString('hex')}`;
  }
}

/** A BSON regex as a JS RegExp (so `$regex`/equality work) that remembers the flags JS lacks (x, l). */
export class ShadowRegExp extends RegExp {
  original: BSONRegExp | undefined;
}

export function bsonType(v: unknown): string | undefined {
  return v !== null && typeof v === 'object' ? (v as { _bsontype?: string })._bsontype : undefined;
}

export function isPlainObject(v: unknown): v is Doc {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A number from a command argument that arrived as Int32/Double/Long (or was already a number). */
export function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  switch (bsonType(v)) {
    case 'Int32':
    case 'Double':
      return (v as Int32 | Double).value;
    case 'Long':
      return (v as Long).toNumber();
    case 'Decimal128':
      return Number((v as Decimal128).toString());
  }
  return undefined;
}

function shadowRegExp(re: BSONRegExp): ShadowRegExp | BSONRegExp {
  try {
    const shadow = new ShadowRegExp(re.pattern, [...re.options].filter((f) => 'imsu'.includes(f)).join(''));
    shadow.original = re;
    return shadow;
  } catch {
    return re; // a PCRE-only pattern: it still round-trips, it just cannot be matched against
  }
}

export function shadowValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(shadowValue);
  if (v instanceof Date || v instanceof RegExp) return v;
  const type = bsonType(v);
  if (type === 'Binary') return new ShadowBinary(v as Binary);
  if (type === 'BSONRegExp') return shadowRegExp(v as BSONRegExp);
  if (type !== undefined) return asNumber(v) ?? v; // numbers become numbers; ObjectId, Timestamp… stay
  if (!isPlainObject(v)) return v;
  const out: Doc = {};
  for (const [k, value] of Object.entries(v)) out[k] = shadowValue(value);
  return out;
}

const shadowCache = new WeakMap<Doc, Doc>();

/** The shadow of a stored document. Stored documents are never mutated (updates replace them), so it is cached. */
export function shadowOf(doc: Doc): Doc {
  let shadow = shadowCache.get(doc);
  if (!shadow) {
    shadow = shadowValue(doc) as Doc;
    shadowCache.set(doc, shadow);
  }
  return shadow;
}

/** A number back in the BSON type the same path had before: int32 that overflowed widens to int64 or double. */
function retype(n: number, before: unknown): unknown {
  // Unchanged: the original value, exact (a long beyond 2^53 or a decimal is not exact as a JS number).
  if (asNumber(before) === n) return before;
  switch (bsonType(before)) {
    case 'Int32':
      if (Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX) return new Int32(n);
      return Number.isInteger(n) ? Long.fromNumber(n) : new Double(n);
    case 'Double':
      return new Double(n);
    case 'Long':
      return Number.isInteger(n) ? Long.fromNumber(n) : new Double(n);
    case 'Decimal128':
      return Decimal128.fromString(String(n));
  }
  return n; // no type to go by: bson writes it as int32 or double by value
}

/**
 * Turns a shadow-space result back into BSON-typed values, taking numeric types from `before` (the document
 * it was computed from) at the same path. Never mutates its inputs.
 */
export function restoreTypes(after: unknown, before: unknown): unknown {
  if (typeof after === 'number') return retype(after, before);
  if (after instanceof ShadowBinary) return after.original;
  if (after instanceof ShadowRegExp) return after.original ?? after;
  if (Array.isArray(after)) return after.map((item, i) => restoreTypes(item, Array.isArray(before) ? before[i] : undefined));
  if (!isPlainObject(after)) return after;
  const old = isPlainObject(before) ? before : undefined;
  const out: Doc = {};
  // Fields that existed before keep their place (mingo moves `_id` last in projections; mongod keeps it first).
  const keys = old ? [...Object.keys(old).filter((k) => k in after), ...Object.keys(after).filter((k) => !(k in old))] : Object.keys(after);
  for (const k of keys) out[k] = restoreTypes(after[k], old?.[k]);
  return out;
}

/** A canonical string for index keys: equal under MongoDB's comparison (1 == 1.0 == 1L) means equal string. */
export function keyString(v: unknown): string {
  const s = shadowValue(v);
  if (s === undefined || s === null) return 'null';
  if (typeof s === 'number') return `n:${s === 0 ? 0 : s}`;
  if (typeof s === 'string') return `s:${JSON.stringify(s)}`;
  if (typeof s === 'boolean') return `b:${s}`;
  if (s instanceof Date) return `d:${s.getTime()}`;
  if (s instanceof RegExp) return `r:${String(s)}`;
  if (Array.isArray(s)) return `[${s.map(keyString).join(',')}]`;
  if (isPlainObject(s)) return `{${Object.entries(s).map(([k, x]) => `${JSON.stringify(k)}:${keyString(x)}`).join(',')}}`;
  return `${bsonType(s) ?? (s as object).constructor.name}:${String(s)}`;
}

/** Reads a dotted path ("a.b.0") from a document; undefined when any step is missing. */
export function getPath(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}
