/** What every command handler gets, and small readers for command arguments (which arrive BSON-typed). */
import type { Conversation, ScramAuthority } from '../auth';
import type { CursorRegistry } from '../cursors';
import { CommandError } from '../errors';
import type { Namespace } from '../pipeline';
import { checkName, type StandinState } from '../state';
import { asNumber, type Doc, isPlainObject } from '../values';

/** Per connection: who authenticated on it, and a SASL conversation in progress. */
export interface Session {
  authenticatedUser?: string;
  conversation?: Conversation;
}

export interface CommandContext extends Namespace {
  state: StandinState;
  cursors: CursorRegistry;
  /** Present when the server was started with a user: then commands need an authenticated session. */
  auth?: ScramAuthority;
  session: Session;
  connectionId: number;
}

export type CommandHandler = (ctx: CommandContext, command: Doc) => Doc;

/** The collection a command names in its first field, e.g. `{ find: 'users' }`. */
export function targetCollection(ctx: CommandContext, command: Doc, field: string): string {
  return checkName(ctx.db, command[field]);
}

export function optionalNumber(command: Doc, field: string): number | undefined {
  const v = command[field];
  if (v === undefined || v === null) return undefined;
  const n = asNumber(v);
  if (n === undefined) throw new CommandError('TypeMismatch', `Field '${field}' should be a number`);
  return n;
}

/** `cursor: { batchSize }` of aggregate/listCollections/listIndexes. */
export function cursorBatchSize(command: Doc): number | undefined {
  return isPlainObject(command.cursor) ? optionalNumber(command.cursor, 'batchSize') : undefined;
}

export function optionalDoc(command: Doc, field: string): Doc | undefined {
  const v = command[field];
  if (v === undefined || v === null) return undefined;
  if (!isPlainObject(v)) throw new CommandError('TypeMismatch', `Field '${field}' should be an object`);
  return v;
}

export const truthy = (v: unknown) => v === true || (asNumber(v) ?? 0) !== 0;

/** Fields drivers add to every command; never options of the thing being created. */
export const GENERIC_FIELDS = new Set(['$db', 'lsid', 'txnNumber', 'autocommit', 'startTransaction', '$clusterTime', '$readPreference', 'readConcern', 'writeConcern', 'comment', 'maxTimeMS', 'apiVersion', 'apiStrict', 'apiDeprecationErrors']);
