/** MongoDB wire-protocol stand-in for tests (see server.ts for what it does and does not do). */
export { startMongoStandin, type MongoStandin, type StandinOptions } from './server';
export { mongoForTests, REAL_MONGO_ENV, type TestMongo } from './forTests';
export { StandinState, type CollectionState } from './state';
