/**
 * Applying one update to one stored document: replacement documents, operator updates ($set, $unset, $inc,
 * $push, … through mingo's updater, plus $setOnInsert) and pipeline updates. Operators that compare or do
 * arithmetic run on the shadow (numbers), values that are only written ($set, $push) keep their BSON types, and
 * the result is re-typed against the old document so an int32 field incremented stays int32.
 */
import { serialize } from 'bson';
import { update as mingoUpdate } from 'mingo';
import { CommandError } from './errors';
import { type Namespace, runPipeline } from './pipeline';
import { withId } from './state';
import { type Doc, isPlainObject, keyString, restoreTypes, shadowValue } from './values';

/** Operators whose arguments are compared with or added to existing values: they need shadow numbers. */
const NUMERIC_ARGS = new Set(['$inc', '$mul', '$min', '$max', '$pull', '$pullAll', '$addToSet', '$bit']);

export interface UpdateInput {
  filter: unknown;
  update: unknown;
  arrayFilters?: unknown[];
  /** This update creates the document (upsert): $setOnInsert applies. */
  inserting?: boolean;
}

const isOperatorUpdate = (u: Doc) => Object.keys(u).some((k) => k.startsWith('$'));

export function validateUpdate(u: unknown): void {
  if (Array.isArray(u)) return;
  if (!isPlainObject(u)) throw new CommandError('FailedToParse', 'Update argument must be either an object or an array');
  const keys = Object.keys(u);
  const operators = keys.filter((k) => k.startsWith('$'));
  if (operators.length && operators.length !== keys.length) throw new CommandError('FailedToParse', `Unknown modifier: ${keys.find((k) => !k.startsWith('$'))}. Expected a valid update modifier or pipeline-style update specified as an array`);
}

function applyOperators(doc: Doc, input: UpdateInput): Doc {
  const modifier: Doc = {};
  for (const [op, args] of Object.entries(input.update as Doc)) {
    if (op === '$setOnInsert') {
      if (input.inserting) modifier.$set = { ...((modifier.$set as Doc) ?? {}), ...(args as Doc) };
      continue;
    }
    const value = NUMERIC_ARGS.has(op) ? shadowValue(args) : args;
    modifier[op] = op === '$set' && modifier.$set ? { ...(modifier.$set as Doc), ...(value as Doc) } : value;
  }
  const working = shadowValue(doc) as Doc; // fresh copy: the updater edits it in place
  try {
    mingoUpdate(working, modifier, (input.arrayFilters ?? []).map((f) => shadowValue(f) as Doc), shadowValue(input.filter ?? {}) as Doc, { queryOptions: { scriptEnabled: false } });
  } catch (err) {
    throw new CommandError('BadValue', err instanceof Error ? err.message : String(err));
  }
  return restoreTypes(working, doc) as Doc;
}

/** The document after the update; throws if `_id` would change. */
export function applyUpdate(ns: Namespace, doc: Doc, input: UpdateInput): Doc {
  const u = input.update;
  let result: Doc;
  if (Array.isArray(u)) result = runPipeline(ns, [doc], u)[0] ?? {};
  else if (isOperatorUpdate(u as Doc)) result = applyOperators(doc, input);
  else result = { _id: doc._id, ...(u as Doc) };
  if (doc._id !== undefined && keyString(result._id) !== keyString(doc._id)) {
    throw new CommandError('ImmutableField', "After applying the update, the (immutable) field '_id' was found to have been altered");
  }
  return withId(result);
}

/** Byte-for-byte unchanged: what mongod counts as not modified. */
export function sameDocument(a: Doc, b: Doc): boolean {
  return Buffer.compare(Buffer.from(serialize(a)), Buffer.from(serialize(b))) === 0;
}

function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = doc;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(cur[part])) cur[part] = {};
    cur = cur[part] as Doc;
  }
  cur[parts[parts.length - 1]] = value;
}

/** The document an upsert starts from: the filter's equality conditions ({ a: 1 }, { 'b.c': 2 }, $and of those). */
export function upsertSeed(filter: unknown): Doc {
  const seed: Doc = {};
  const visit = (f: unknown) => {
    if (!isPlainObject(f)) return;
    for (const [k, v] of Object.entries(f)) {
      if (k === '$and' && Array.isArray(v)) v.forEach(visit);
      else if (k.startsWith('$')) continue;
      else if (isPlainObject(v) && Object.keys(v).some((x) => x.startsWith('$'))) {
        if ('$eq' in v) setPath(seed, k, v.$eq);
      } else setPath(seed, k, v);
    }
  };
  visit(filter);
  return seed;
}

/** What an upsert inserts when nothing matched. */
export function upsertDocument(ns: Namespace, input: UpdateInput): Doc {
  const seed = upsertSeed(input.filter);
  const u = input.update;
  if (!Array.isArray(u) && isPlainObject(u) && !isOperatorUpdate(u)) return withId({ ...(seed._id !== undefined ? { _id: seed._id } : {}), ...u });
  const base = withId(seed);
  return applyUpdate(ns, base, { ...input, inserting: true });
}
