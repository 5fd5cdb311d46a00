/**
 * insert, update, delete and findAndModify. Per-document failures (duplicate keys, bad updates) become
 * `writeErrors` as in mongod; `ordered` (the default) stops at the first. Validators are stored, not enforced.
 */
import { calculateObjectSize } from 'bson';
import { CommandError } from '../errors';
import { duplicateKeyMessage, UniqueGuard } from '../indexes';
import { findDocuments, matchingIndexes } from '../pipeline';
import type { CollectionState } from '../state';
import { withId } from '../state';
import { applyUpdate, sameDocument, upsertDocument, validateUpdate } from '../updates';
import { asNumber, type Doc, isPlainObject } from '../values';
import { type CommandContext, type CommandHandler, optionalDoc, targetCollection, truthy } from './context';

interface WriteError {
  index: number;
  code: number;
  errmsg: string;
  keyPattern?: unknown;
  keyValue?: unknown;
}

function asWriteError(index: number, err: unknown): WriteError {
  if (err instanceof CommandError) return { index, code: err.code, errmsg: err.message };
  return { index, code: 2, errmsg: err instanceof Error ? err.message : String(err) };
}

function statements(command: Doc, field: string): Doc[] {
  const list = command[field];
  if (!Array.isArray(list) || !list.every(isPlainObject)) throw new CommandError('TypeMismatch', `Field '${field}' must be an array of documents`);
  return list;
}

const withErrors = (reply: Doc, errors: WriteError[]) => (errors.length ? { ...reply, writeErrors: errors } : reply);

/** Capped collections drop their oldest documents past `max` documents or `size` bytes. */
function trimCapped(collection: CollectionState): void {
  if (!truthy(collection.options.capped)) return;
  const max = asNumber(collection.options.max) ?? 0;
  const size = asNumber(collection.options.size) ?? 0;
  if (max > 0 && collection.docs.length > max) collection.docs.splice(0, collection.docs.length - max);
  if (size > 0) {
    let bytes = collection.docs.reduce((sum, d) => sum + calculateObjectSize(d), 0);
    while (bytes > size && collection.docs.length > 1) bytes -= calculateObjectSize(collection.docs.shift() as Doc);
  }
}

function checkTimeField(collection: CollectionState, doc: Doc): void {
  if (collection.kind !== 'timeseries') return;
  const timeField = String((collection.options.timeseries as Doc).timeField);
  if (!(doc[timeField] instanceof Date)) throw new CommandError('BadValue', `'${timeField}' must be present and contain a valid BSON UTC datetime value`);
}

function insert(ctx: CommandContext, command: Doc): Doc {
  const name = targetCollection(ctx, command, 'insert');
  const ns = `${ctx.db}.${name}`;
  const docs = statements(command, 'documents');
  const collection = ctx.state.writableCollection(ctx.db, name);
  const ordered = command.ordered !== false;
  const guard = new UniqueGuard(collection);
  const errors: WriteError[] = [];
  let n = 0;
  for (const [index, raw] of docs.entries()) {
    try {
      const doc = withId(raw);
      checkTimeField(collection, doc);
      const dup = guard.find(doc);
      if (dup) {
        errors.push({ index, code: 11000, errmsg: duplicateKeyMessage(ns, dup), keyPattern: dup.index.key, keyValue: dup.keyValue });
      } else {
        guard.add(doc);
        collection.docs.push(doc);
        n++;
      }
    } catch (err) {
      errors.push(asWriteError(index, err));
    }
    if (errors.length && ordered) break;
  }
  trimCapped(collection);
  return withErrors({ n, ok: 1 }, errors);
}

interface UpdateOutcome {
  matched: number;
  modified: number;
  upsertedId?: unknown;
  before?: Doc;
  after?: Doc;
}

/** One update statement against a collection: all matches (multi) or the first (`only`), or an upsert. */
function updateStatement(ctx: CommandContext, collection: CollectionState, ns: string, st: { filter: unknown; update: unknown; upsert: boolean; multi: boolean; arrayFilters?: unknown[]; only?: Doc }): UpdateOutcome {
  validateUpdate(st.update);
  const input = { filter: st.filter, update: st.update, arrayFilters: st.arrayFilters };
  let positions = st.only ? [collection.docs.indexOf(st.only)] : matchingIndexes(collection.docs, st.filter);
  if (!st.multi) positions = positions.slice(0, 1);
  if (positions.length === 0) {
    if (!st.upsert) return { matched: 0, modified: 0 };
    const doc = upsertDocument(ctx, input);
    checkTimeField(collection, doc);
    new UniqueGuard(collection).assertFree(doc, ns);
    collection.docs.push(doc);
    trimCapped(collection);
    return { matched: 0, modified: 0, upsertedId: doc._id, after: doc };
  }
  const targets = positions.map((p) => collection.docs[p]);
  const guard = new UniqueGuard(collection, undefined, new Set(targets));
  let modified = 0;
  let before: Doc | undefined;
  let after: Doc | undefined;
  for (const [i, position] of positions.entries()) {
    const updated = applyUpdate(ctx, targets[i], input);
    guard.assertFree(updated, ns);
    guard.add(updated);
    if (!sameDocument(targets[i], updated)) modified++;
    collection.docs[position] = updated;
    before ??= targets[i];
    after ??= updated;
  }
  return { matched: positions.length, modified, before, after };
}

function update(ctx: CommandContext, command: Doc): Doc {
  const name = targetCollection(ctx, command, 'update');
  const ns = `${ctx.db}.${name}`;
  const list = statements(command, 'updates');
  const collection = ctx.state.writableCollection(ctx.db, name);
  const ordered = command.ordered !== false;
  const errors: WriteError[] = [];
  const upserted: Doc[] = [];
  let n = 0;
  let nModified = 0;
  for (const [index, st] of list.entries()) {
    try {
      const arrayFilters = Array.isArray(st.arrayFilters) ? st.arrayFilters : undefined;
      const outcome = updateStatement(ctx, collection, ns, { filter: st.q, update: st.u, upsert: truthy(st.upsert), multi: truthy(st.multi), arrayFilters });
      n += outcome.matched + (outcome.upsertedId !== undefined ? 1 : 0);
      nModified += outcome.modified;
      if (outcome.upsertedId !== undefined) upserted.push({ index, _id: outcome.upsertedId });
    } catch (err) {
      errors.push(asWriteError(index, err));
      if (ordered) break;
    }
  }
  const reply: Doc = { n, nModified, ok: 1 };
  if (upserted.length) reply.upserted = upserted;
  return withErrors(reply, errors);
}

function deleteCommand(ctx: CommandContext, command: Doc): Doc {
  const name = targetCollection(ctx, command, 'delete');
  const list = statements(command, 'deletes');
  const collection = ctx.state.collection(ctx.db, name);
  if (collection?.kind === 'view') throw new CommandError('CommandNotSupportedOnView', `Namespace ${ctx.db}.${name} is a view, not a collection`);
  let n = 0;
  for (const st of list) {
    if (!collection) break;
    let positions = matchingIndexes(collection.docs, st.q);
    if ((asNumber(st.limit) ?? 0) === 1) positions = positions.slice(0, 1);
    const gone = new Set(positions);
    collection.docs = collection.docs.filter((_, i) => !gone.has(i));
    n += positions.length;
  }
  return { n, ok: 1 };
}

function findAndModify(ctx: CommandContext, command: Doc): Doc {
  const name = targetCollection(ctx, command, 'findAndModify');
  const ns = `${ctx.db}.${name}`;
  const collection = ctx.state.writableCollection(ctx.db, name);
  const query = optionalDoc(command, 'query') ?? {};
  const [target] = findDocuments(ctx, collection.docs, { filter: query, sort: optionalDoc(command, 'sort'), limit: 1 });
  const fields = optionalDoc(command, 'fields');
  const shaped = (doc: Doc | undefined) => (doc && fields ? findDocuments(ctx, [doc], { projection: fields })[0] : doc) ?? null;
  if (truthy(command.remove)) {
    if (target) collection.docs = collection.docs.filter((d) => d !== target);
    return { lastErrorObject: { n: target ? 1 : 0 }, value: shaped(target), ok: 1 };
  }
  if (command.update === undefined) throw new CommandError('FailedToParse', 'Either an update or remove=true must be specified');
  const arrayFilters = Array.isArray(command.arrayFilters) ? command.arrayFilters : undefined;
  const upsert = truthy(command.upsert);
  if (!target && !upsert) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
  const outcome = updateStatement(ctx, collection, ns, { filter: query, update: command.update, upsert, multi: false, arrayFilters, only: target });
  const lastErrorObject: Doc = { n: 1, updatedExisting: outcome.upsertedId === undefined };
  if (outcome.upsertedId !== undefined) lastErrorObject.upserted = outcome.upsertedId;
  return { lastErrorObject, value: shaped(truthy(command.new) ? outcome.after : outcome.before), ok: 1 };
}

export const writeCommands: Record<string, CommandHandler> = { insert, update, delete: deleteCommand, findAndModify, findandmodify: findAndModify };
