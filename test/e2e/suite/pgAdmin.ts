// The suites' one way to reach the machine's PostgreSQL as its administrator: seed and drop their own databases,
// change a schema under the editor's feet. A server that is not there fails the suite with a message saying so.
import { Client } from 'pg';

export const ADMIN_URL = process.env.PLUGBOARD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs `fn` on a fresh administrator connection to `database`, closed afterwards whatever happens. */
export async function withAdmin<T>(fn: (client: Client) => Promise<T>, database = 'postgres'): Promise<T> {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  const client = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 5_000 });
  await client.connect().catch((err: Error) => {
    throw new Error(`PostgreSQL is not reachable at ${url.host} (${err.message}); start it before the e2e suite.`);
  });
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** One statement (or a script of several) as the administrator. */
export async function adminSql(text: string, database = 'postgres'): Promise<void> {
  await withAdmin((client) => client.query(text), database);
}
