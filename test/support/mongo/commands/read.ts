/** find, getMore, killCursors, aggregate, count and distinct — over collections, views and system.views. */
import { CommandError } from '../errors';
import { documentsOf, findDocuments, runPipeline } from '../pipeline';
import { type Doc, getPath, keyString } from '../values';
import { type CommandContext, type CommandHandler, cursorBatchSize, optionalDoc, optionalNumber, targetCollection, truthy } from './context';

function find(ctx: CommandContext, command: Doc): Doc {
  const name = targetCollection(ctx, command, 'find');
  const limit = optionalNumber(command, 'limit') ?? 0;
  const skip = optionalNumber(command, 'skip') ?? 0;
  if (skip < 0) throw new CommandError('BadValue', 'skip value must be non-negative');
  const docs = findDocuments(ctx, documentsOf(ctx, name), {
    filter: optionalDoc(command, 'filter'),
    sort: optionalDoc(command, 'sort'),
    projection: optionalDoc(command, 'projection'),
    skip,
    limit: Math.abs(limit),
  });
  // A negative limit is the legacy spelling of "one batch only".
  const singleBatch = truthy(command.singleBatch) || limit < 0;
  return ctx.cursors.start(`${ctx.db}.${name}`, docs, optionalNumber(command, 'batchSize'), singleBatch);
}

function getMore(ctx: CommandContext, command: Doc): Doc {
  if (typeof command.collection !== 'string') throw new CommandError('TypeMismatch', "Field 'collection' must be a string");
  return ctx.cursors.more(command.getMore, `${ctx.db}.${command.collection}`, optionalNumber(command, 'batchSize'));
}

function killCursors(ctx: CommandContext, command: Doc): Doc {
  if (!Array.isArray(command.cursors)) throw new CommandError('TypeMismatch', "Field 'cursors' must be an array");
  return ctx.cursors.kill(command.cursors);
}

/** `maxTimeMS` is accepted and not enforced: every operation here finishes synchronously. */
function aggregate(ctx: CommandContext, command: Doc): Doc {
  if (!Array.isArray(command.pipeline)) throw new CommandError('TypeMismatch', "'pipeline' option must be specified as an array");
  if (command.explain) throw new CommandError('CommandNotSupported', 'explain is not supported by the MongoDB stand-in');
  if (command.cursor === undefined) throw new CommandError('FailedToParse', "The 'cursor' option is required, except for aggregate with the explain argument");
  // `aggregate: 1` runs a collection-less pipeline (e.g. starting with $documents).
  const name = command.aggregate === 1 || typeof command.aggregate !== 'string' ? undefined : targetCollection(ctx, command, 'aggregate');
  const input = name ? documentsOf(ctx, name) : [];
  const docs = runPipeline(ctx, input, command.pipeline);
  return ctx.cursors.start(`${ctx.db}.${name ?? '$cmd.aggregate'}`, docs, cursorBatchSize(command));
}

function count(ctx: CommandContext, command: Doc): Doc {
  const name = targetCollection(ctx, command, 'count');
  const docs = findDocuments(ctx, documentsOf(ctx, name), {
    filter: optionalDoc(command, 'query'),
    skip: optionalNumber(command, 'skip') ?? 0,
    limit: Math.abs(optionalNumber(command, 'limit') ?? 0),
  });
  return { n: docs.length, ok: 1 };
}

function distinct(ctx: CommandContext, command: Doc): Doc {
  const name = targetCollection(ctx, command, 'distinct');
  if (typeof command.key !== 'string') throw new CommandError('TypeMismatch', "Field 'key' must be a string");
  const docs = findDocuments(ctx, documentsOf(ctx, name), { filter: optionalDoc(command, 'query') });
  const seen = new Map<string, unknown>();
  for (const doc of docs) {
    const value = getPath(doc, command.key);
    // Arrays contribute their elements, as in mongod.
    for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined && !seen.has(keyString(v))) seen.set(keyString(v), v);
  }
  return { values: [...seen.values()], ok: 1 };
}

export const readCommands: Record<string, CommandHandler> = { find, getMore, killCursors, aggregate, count, distinct };
