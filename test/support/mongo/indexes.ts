/**
 * Index specs as listIndexes reports them, and the one thing indexes do here: unique constraints (the `_id_`
 * index included). No index speeds anything up and TTL indexes never expire documents; their specs are stored
 * and listed as given.
 */
import { EJSON } from 'bson';
import { Query } from 'mingo';
import { CommandError } from './errors';
import { type CollectionState, ID_INDEX } from './state';
import { type Doc, getPath, isPlainObject, keyString, shadowOf, shadowValue } from './values';

/** Fields of an index spec that are the command's or the server's, not options to store. */
const NOT_OPTIONS = new Set(['key', 'name', 'v']);

/**
 * A text index is stored as mongod stores it: `{ title: 'text' }` becomes `{ _fts: 'text', _ftsx: 1 }` with
 * the fields under `weights`, so introspection code sees the real shape.
 */
function textIndexShape(key: Doc, options: Doc): { key: Doc; options: Doc } {
  const entries = Object.entries(key);
  if (!entries.some(([, dir]) => dir === 'text')) return { key, options };
  const shaped: Doc = {};
  const weights: Doc = isPlainObject(options.weights) ? { ...options.weights } : {};
  let placed = false;
  for (const [field, dir] of entries) {
    if (dir !== 'text') shaped[field] = dir;
    else {
      weights[field] ??= 1;
      if (!placed) Object.assign(shaped, { _fts: 'text', _ftsx: 1 });
      placed = true;
    }
  }
  return { key: shaped, options: { ...options, weights, default_language: options.default_language ?? 'english', language_override: options.language_override ?? 'language', textIndexVersion: 3 } };
}

export function normalizeIndexSpec(raw: unknown): Doc {
  if (!isPlainObject(raw) || !isPlainObject(raw.key) || Object.keys(raw.key).length === 0) throw new CommandError('BadValue', "Error in specification: the 'key' field must be a non-empty object");
  if (typeof raw.name !== 'string' || !raw.name) throw new CommandError('BadValue', "Error in specification: the 'name' field is required");
  const options: Doc = {};
  for (const [k, v] of Object.entries(raw)) if (!NOT_OPTIONS.has(k)) options[k] = v;
  const shaped = textIndexShape(raw.key, options);
  return { v: 2, key: shaped.key, name: raw.name, ...shaped.options };
}

const sameKey = (a: Doc, b: Doc) => keyString(a.key) === keyString(b.key);
const sameSpec = (a: Doc, b: Doc) => keyString(a) === keyString(b);

/** Adds specs to a collection; returns how many were new. Conflicts fail the way mongod fails them. */
export function addIndexes(collection: CollectionState, specs: Doc[], ns: string): number {
  let added = 0;
  for (const spec of specs) {
    const byName = collection.indexes.find((i) => i.name === spec.name);
    if (byName) {
      if (sameSpec(byName, spec)) continue;
      throw new CommandError('IndexKeySpecsConflict', `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${keyString(spec)}, existing index: ${keyString(byName)}`);
    }
    const byKey = collection.indexes.find((i) => sameKey(i, spec) && !spec.collation && !i.collation);
    if (byKey) throw new CommandError('IndexOptionsConflict', `Index already exists with a different name: ${String(byKey.name)}`);
    if (spec.unique) {
      const guard = new UniqueGuard(collection, [spec]);
      for (const doc of collection.docs) {
        guard.assertFree(doc, ns);
        guard.add(doc);
      }
    }
    collection.indexes.push(spec);
    added++;
  }
  return added;
}

export interface DuplicateKey {
  index: Doc;
  keyValue: Doc;
}

/** Tracks the keys of every unique index, to refuse a document whose key is already taken. */
export class UniqueGuard {
  private readonly taken: Map<Doc, Set<string>>;
  private readonly indexes: Doc[];

  /** `indexes` defaults to the collection's unique ones; documents in `except` are left out (they are being replaced). */
  constructor(collection: CollectionState, indexes?: Doc[], except?: Set<Doc>) {
    this.indexes = indexes ?? collection.indexes.filter((i) => i.unique || i.name === ID_INDEX.name);
    this.taken = new Map(this.indexes.map((i) => [i, new Set<string>()]));
    if (!indexes) for (const doc of collection.docs) if (!except?.has(doc)) this.add(doc);
  }

  private keyOf(index: Doc, doc: Doc): { key: string; keyValue: Doc } | undefined {
    const fields = Object.keys(index.key as Doc);
    const values = fields.map((f) => getPath(doc, f));
    if (index.sparse && values.every((v) => v === undefined)) return undefined;
    if (isPlainObject(index.partialFilterExpression) && !new Query(shadowValue(index.partialFilterExpression) as Doc, { scriptEnabled: false }).test(shadowOf(doc))) return undefined;
    const keyValue: Doc = {};
    fields.forEach((f, i) => (keyValue[f] = values[i] ?? null));
    return { key: keyString(values.map((v) => v ?? null)), keyValue };
  }

  find(doc: Doc): DuplicateKey | undefined {
    for (const index of this.indexes) {
      const key = this.keyOf(index, doc);
      if (key && this.taken.get(index)?.has(key.key)) return { index, keyValue: key.keyValue };
    }
    return undefined;
  }

  add(doc: Doc): void {
    for (const index of this.indexes) {
      const key = this.keyOf(index, doc);
      if (key) this.taken.get(index)?.add(key.key);
    }
  }

  assertFree(doc: Doc, ns: string): void {
    const dup = this.find(doc);
    if (dup) throw duplicateKeyError(ns, dup);
  }
}

export function duplicateKeyMessage(ns: string, dup: DuplicateKey): string {
  const shown = Object.entries(dup.keyValue).map(([k, v]) => `${k}: ${EJSON.stringify(v, { relaxed: true })}`).join(', ');
  return `E11000 duplicate key error collection: ${ns} index: ${String(dup.index.name)} dup key: { ${shown} }`;
}

export function duplicateKeyError(ns: string, dup: DuplicateKey): CommandError {
  return new CommandError('DuplicateKey', duplicateKeyMessage(ns, dup));
}

/** dropIndexes' `index`: a name, a key pattern, '*' (all but _id_) or a list of names. */
export function dropIndexes(collection: CollectionState, which: unknown): void {
  const keep = (spec: Doc) => spec.name === ID_INDEX.name;
  let targets: Doc[];
  if (which === '*') targets = collection.indexes.filter((i) => !keep(i));
  else {
    const wanted = Array.isArray(which) ? which : [which];
    targets = wanted.map((w) => {
      const found = collection.indexes.find((i) => (typeof w === 'string' ? i.name === w : keyString(i.key) === keyString(w)));
      if (!found) throw new CommandError('IndexNotFound', `index not found with name [${typeof w === 'string' ? w : keyString(w)}]`);
      if (keep(found)) throw new CommandError('InvalidOptions', 'cannot drop _id index');
      return found;
    });
  }
  collection.indexes = collection.indexes.filter((i) => !targets.includes(i));
}
