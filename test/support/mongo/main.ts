/**
 * `npm run mongo:standin -- --port N [--host H] [--user U --password P] [--tls-cert F --tls-key F]`: runs the
 * MongoDB stand-in (TLS-only with a certificate) until
 * SIGINT/SIGTERM. The password may come from MONGO_STANDIN_PASSWORD instead, to keep it out of `ps`.
 * Prints the connection URL without the password.
 */
import { readFileSync } from 'node:fs';
import { startMongoStandin } from './server';

function parseArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (!['--port', '--host', '--user', '--password', '--tls-cert', '--tls-key'].includes(flag) || value === undefined) {
      throw new Error(`usage: mongo:standin -- [--port N] [--host H] [--user U --password P] [--tls-cert F --tls-key F]; unexpected '${flag}'`);
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
  const [certFile, keyFile] = [args.get('tls-cert'), args.get('tls-key')];
  if ((certFile === undefined) !== (keyFile === undefined)) throw new Error('--tls-cert and --tls-key go together');
  const tls = certFile && keyFile ? { cert: readFileSync(certFile), key: readFileSync(keyFile) } : undefined;
  const standin = await startMongoStandin({ port, host: args.get('host'), user, password, tls });
  const shown = `mongodb://${user !== undefined ? `${encodeURIComponent(user)}@` : ''}${standin.host}:${standin.port}/${tls ? '?tls=true' : ''}`;
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
