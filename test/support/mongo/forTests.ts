/**
 * The MongoDB a test suite should use: a real server when PLUGBOARD_TEST_MONGO_URL is set (so suites can be
 * run against mongod where one exists), otherwise a fresh stand-in on a free port.
 */
import { type MongoStandin, type StandinOptions, startMongoStandin } from './server';

export interface TestMongo {
  /** Connection string; it may carry a password: never print it. */
  url: string;
  kind: 'real' | 'standin';
  /** The stand-in, when that is what runs (for seeding state directly). */
  standin?: MongoStandin;
  /** Stops the stand-in; a real server is left running (the suite drops what it created). */
  stop(): Promise<void>;
}

export const REAL_MONGO_ENV = 'PLUGBOARD_TEST_MONGO_URL';

export async function mongoForTests(options: StandinOptions = {}): Promise<TestMongo> {
  const real = process.env[REAL_MONGO_ENV];
  if (real) return { url: real, kind: 'real', stop: async () => undefined };
  const standin = await startMongoStandin(options);
  return { url: standin.url, kind: 'standin', standin, stop: () => standin.stop() };
}
