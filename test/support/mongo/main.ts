/**
 * `npm run mongo:standin -- --port N [--host H] [--user U --password P]`: runs the MongoDB stand-in until
 * SIGINT/SIGTERM. The password may come from MONGO_STANDIN_PASSWORD instead, to keep it out of `ps`.
 * Prints the connection URL without the password.
 */
import { startMongoStandin } from './server';

function parseArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (!['--port', '--host', '--user', '--password'].includes(flag) || value === undefined) {
      throw new Error(`usage: mongo:standin -- [--port N] [--host H] [--user U --password P]; unexpected '${flag}'`);
    }
    args.set(flag.slice(2), value);
    i++;
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const port = Number(args.get('port') ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got '${args.get('port')}'`);
  const user = args.get('user');
  const password = args.get('password') ?? (user !== undefined ? process.env.MONGO_STANDIN_PASSWORD : undefined);
  if (user !== undefined && password === undefined) throw new Error('--user needs --password (or MONGO_STANDIN_PASSWORD)');
  const standin = await startMongoStandin({ port, host: args.get('host'), user, password });
  const shown = `mongodb://${user !== undefined ? `${encodeURIComponent(user)}@` : ''}${standin.host}:${standin.port}/`;
  console.log(`MongoDB stand-in listening on ${shown}${user !== undefined ? ' (password not shown)' : ''}`);
  const shutdown = (signal: string) => {
    console.log(`${signal}: stopping the MongoDB stand-in`);
    standin.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
