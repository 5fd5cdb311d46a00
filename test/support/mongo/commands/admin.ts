/** Handshake, liveness, server info, sessions and authentication commands. */
import { calculateObjectSize } from 'bson';
import { Query } from 'mingo';
import { AUTH_DB } from '../auth';
import { CommandError } from '../errors';
import { shadowValue, type Doc } from '../values';
import { type CommandContext, type CommandHandler, truthy } from './context';

/** MongoDB 7.0: wire version 21. The v7 driver accepts 9 (4.4) through 29. */
export const SERVER_VERSION = '7.0.14';
const MAX_WIRE_VERSION = 21;

function hello(ctx: CommandContext, command: Doc, legacyName: boolean): Doc {
  const reply: Doc = {
    helloOk: true,
    [legacyName ? 'ismaster' : 'isWritablePrimary']: true,
    // No topologyVersion: the driver then polls hello instead of holding a streaming (awaitable) hello open.
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
  };
  const mechanisms = command.saslSupportedMechs !== undefined ? ctx.auth?.mechanismsFor(command.saslSupportedMechs) : undefined;
  if (mechanisms) reply.saslSupportedMechs = mechanisms;
  // speculativeAuthenticate is declined by leaving it out of the reply: the driver then runs saslStart.
  return { ...reply, ok: 1 };
}

function buildInfo(): Doc {
  const versionArray = [...SERVER_VERSION.split('.').map(Number), 0];
  return { version: SERVER_VERSION, gitVersion: 'plugboard-mongo-standin', versionArray, bits: 64, maxBsonObjectSize: 16 * 1024 * 1024, storageEngines: ['inMemory'], modules: [], ok: 1 };
}

/** mongod always has these three; listing them keeps clients honest about filtering them out. */
const SYSTEM_DATABASES = ['admin', 'config', 'local'];

function listDatabases(ctx: CommandContext, command: Doc): Doc {
  const names = [...new Set([...SYSTEM_DATABASES, ...ctx.state.databases.keys()])].sort();
  let entries: Doc[] = names.map((name) => {
    let size = 0;
    for (const c of ctx.state.databases.get(name)?.values() ?? []) for (const d of c.docs) size += calculateObjectSize(d);
    return { name, sizeOnDisk: Math.max(size, 8192), empty: false };
  });
  if (command.filter) {
    const query = new Query(shadowValue(command.filter) as Doc, { scriptEnabled: false });
    entries = entries.filter((e) => query.test(e));
  }
  if (truthy(command.nameOnly)) return { databases: entries.map((e) => ({ name: e.name })), ok: 1 };
  const totalSize = entries.reduce((sum, e) => sum + (e.sizeOnDisk as number), 0);
  return { databases: entries, totalSize, totalSizeMb: Math.round(totalSize / 1024 / 1024), ok: 1 };
}

function saslStart(ctx: CommandContext, command: Doc): Doc {
  if (!ctx.auth) throw new CommandError('AuthenticationFailed', 'Authentication failed.');
  const { reply, conversation } = ctx.auth.start(ctx.db, command);
  ctx.session.conversation = conversation;
  return reply;
}

function saslContinue(ctx: CommandContext, command: Doc): Doc {
  const conversation = ctx.session.conversation;
  if (!ctx.auth || !conversation) throw new CommandError('AuthenticationFailed', 'No SASL session state found');
  try {
    const { reply, authenticated } = ctx.auth.continue(conversation, command);
    if (authenticated) {
      ctx.session.authenticatedUser = ctx.auth.user;
      ctx.session.conversation = undefined;
    }
    return reply;
  } catch (err) {
    ctx.session.conversation = undefined;
    throw err;
  }
}

function connectionStatus(ctx: CommandContext): Doc {
  const user = ctx.session.authenticatedUser;
  return { authInfo: { authenticatedUsers: user ? [{ user, db: AUTH_DB }] : [], authenticatedUserRoles: user ? [{ role: 'root', db: AUTH_DB }] : [] }, ok: 1 };
}

export const adminCommands: Record<string, CommandHandler> = {
  hello: (ctx, cmd) => hello(ctx, cmd, false),
  isMaster: (ctx, cmd) => hello(ctx, cmd, true),
  ismaster: (ctx, cmd) => hello(ctx, cmd, true),
  ping: () => ({ ok: 1 }),
  buildInfo,
  buildinfo: buildInfo,
  listDatabases,
  endSessions: () => ({ ok: 1 }),
  connectionStatus,
  saslStart,
  saslContinue,
};

/** Commands mongod answers before authentication. */
export const OPEN_COMMANDS = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'buildInfo', 'buildinfo', 'saslStart', 'saslContinue', 'endSessions']);
