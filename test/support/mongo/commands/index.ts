/** Routes a command document to its handler, refusing unauthenticated work when the server has a user. */
import { CommandError, errorReply } from '../errors';
import type { Doc } from '../values';
import { adminCommands, OPEN_COMMANDS } from './admin';
import { catalogCommands } from './catalog';
import type { CommandContext, CommandHandler } from './context';
import { readCommands } from './read';
import { writeCommands } from './write';

export type { CommandContext, Session } from './context';

const HANDLERS: Record<string, CommandHandler> = { ...adminCommands, ...catalogCommands, ...readCommands, ...writeCommands };

export function runCommand(ctx: CommandContext, command: Doc): Doc {
  const name = Object.keys(command)[0] ?? '';
  try {
    const handler = Object.prototype.hasOwnProperty.call(HANDLERS, name) ? HANDLERS[name] : undefined;
    if (!handler) throw new CommandError('CommandNotFound', `no such command: '${name}'`);
    if (ctx.auth && !ctx.session.authenticatedUser && !OPEN_COMMANDS.has(name)) {
      throw new CommandError('Unauthorized', `Command ${name} requires authentication`);
    }
    return handler(ctx, command);
  } catch (err) {
    return errorReply(err);
  }
}
