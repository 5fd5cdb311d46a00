/** create, drop, dropDatabase, listCollections and the index commands. */
import { Query } from 'mingo';
import { CommandError } from '../errors';
import { addIndexes, dropIndexes, normalizeIndexSpec } from '../indexes';
import { type CollectionState, ID_INDEX } from '../state';
import { type Doc, isPlainObject, keyString, shadowValue } from '../values';
import { type CommandContext, type CommandHandler, cursorBatchSize, GENERIC_FIELDS, optionalDoc, targetCollection, truthy } from './context';

function create(ctx: CommandContext, command: Doc): Doc {
  const name = targetCollection(ctx, command, 'create');
  const options: Doc = {};
  for (const [k, v] of Object.entries(command)) if (k !== 'create' && !GENERIC_FIELDS.has(k)) options[k] = v;
  const existing = ctx.state.collection(ctx.db, name);
  // Since 7.0 creating an existing collection with the same options is not an error.
  if (existing && keyString(existing.options) === keyString(options)) return { ok: 1 };
  ctx.state.create(ctx.db, name, options);
  return { ok: 1 };
}

function drop(ctx: CommandContext, command: Doc): Doc {
  const name = targetCollection(ctx, command, 'drop');
  const dropped = ctx.state.drop(ctx.db, name);
  // Since 7.0 dropping a collection that does not exist succeeds.
  return dropped ? { nIndexesWas: dropped.indexes.length, ns: `${ctx.db}.${name}`, ok: 1 } : { ok: 1 };
}

function dropDatabase(ctx: CommandContext): Doc {
  ctx.state.dropDatabase(ctx.db);
  return { ok: 1 };
}

function collectionEntry(c: CollectionState): Doc {
  if (c.kind === 'view') return { name: c.name, type: 'view', options: c.options, info: { readOnly: true } };
  const entry: Doc = { name: c.name, type: c.kind, options: c.options, info: { readOnly: false, uuid: c.uuid } };
  if (c.kind === 'collection') entry.idIndex = ID_INDEX;
  else delete (entry.info as Doc).uuid; // a time series collection is a view over its buckets: no uuid of its own
  return entry;
}

/** The system collections mongod shows next to views and time series collections. */
function systemEntries(collections: CollectionState[]): Doc[] {
  const out: Doc[] = [];
  for (const c of collections.filter((x) => x.kind === 'timeseries')) {
    out.push({ name: `system.buckets.${c.name}`, type: 'collection', options: { clusteredIndex: true, timeseries: c.options.timeseries }, info: { readOnly: false } });
  }
  if (collections.some((c) => c.kind !== 'collection')) out.push({ name: 'system.views', type: 'collection', options: {}, info: { readOnly: false }, idIndex: ID_INDEX });
  return out;
}

function listCollections(ctx: CommandContext, command: Doc): Doc {
  const collections = [...(ctx.state.databases.get(ctx.db)?.values() ?? [])];
  let entries = [...collections.map(collectionEntry), ...systemEntries(collections)];
  const filter = optionalDoc(command, 'filter');
  if (filter) {
    const query = new Query(shadowValue(filter) as Doc, { scriptEnabled: false });
    entries = entries.filter((e) => query.test(shadowValue(e) as Doc));
  }
  if (truthy(command.nameOnly)) entries = entries.map((e) => ({ name: e.name, type: e.type }));
  return ctx.cursors.start(`${ctx.db}.$cmd.listCollections`, entries, cursorBatchSize(command));
}

function createIndexes(ctx: CommandContext, command: Doc): Doc {
  const name = targetCollection(ctx, command, 'createIndexes');
  if (!Array.isArray(command.indexes) || command.indexes.length === 0) throw new CommandError('BadValue', "Must specify at least one index to create");
  const specs = command.indexes.map(normalizeIndexSpec);
  const existed = ctx.state.collection(ctx.db, name) !== undefined;
  const collection = ctx.state.writableCollection(ctx.db, name);
  const before = collection.indexes.length;
  const added = addIndexes(collection, specs, `${ctx.db}.${name}`);
  const reply: Doc = { numIndexesBefore: before, numIndexesAfter: collection.indexes.length, createdCollectionAutomatically: !existed, ok: 1 };
  return added === 0 ? { ...reply, note: 'all indexes already exist' } : reply;
}

function listIndexes(ctx: CommandContext, command: Doc): Doc {
  const name = targetCollection(ctx, command, 'listIndexes');
  const collection = ctx.state.requireCollection(ctx.db, name);
  if (collection.kind === 'view') throw new CommandError('CommandNotSupportedOnView', `Namespace ${ctx.db}.${name} is a view, not a collection`);
  return ctx.cursors.start(`${ctx.db}.$cmd.listIndexes.${name}`, collection.indexes, cursorBatchSize(command));
}

function dropIndexesCommand(ctx: CommandContext, command: Doc): Doc {
  const name = targetCollection(ctx, command, 'dropIndexes');
  const collection = ctx.state.requireCollection(ctx.db, name);
  const before = collection.indexes.length;
  if (!(typeof command.index === 'string' || Array.isArray(command.index) || isPlainObject(command.index))) throw new CommandError('BadValue', "'index' must be a name, a key pattern or '*'");
  dropIndexes(collection, command.index);
  return { nIndexesWas: before, ok: 1 };
}

export const catalogCommands: Record<string, CommandHandler> = {
  create,
  drop,
  dropDatabase,
  listCollections,
  createIndexes,
  listIndexes,
  dropIndexes: dropIndexesCommand,
  deleteIndexes: dropIndexesCommand,
};
