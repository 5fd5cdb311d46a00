import type { MongoClientOptions } from 'mongodb';
import type { Secret } from '../../core/model';
import { DEFAULT_MAX_TIME_MS, type MongoOptions } from './options';
import { formatMongoUrl } from './url';

/** Connections per session: introspection samples this many collections at once, and no more. */
export const POOL_SIZE = 4;
/** Connect deadline when neither the profile nor the host says less. */
const CONNECT_TIMEOUT_MS = 10_000;

export interface ClientSetup {
  /** No user name, no password, no timeouts: those go in `options`, where they cannot be overridden by text. */
  url: string;
  options: MongoClientOptions;
  /** Server selection deadline: how long connecting may take before it fails. */
  selectionMs: number;
  maxTimeMS: number;
}

/**
 * The driver's settings for a profile. Every wait has a bound: server selection and the TCP/TLS connect by the
 * host's step deadline (or the profile's own), socket reads by that deadline plus the sampling's `maxTimeMS`
 * (an aggregate may legitimately run that long), idle pooled connections by 30 s. The credentials go in
 * `auth`, never in a URL, so no connection string Plugboard builds can leak them.
 */
export function clientSetup(o: MongoOptions, secret: Secret, stepMs: number): ClientSetup {
  const { serverSelectionTimeoutMS, connectTimeoutMS, socketTimeoutMS, ...rest } = o;
  const selectionMs = serverSelectionTimeoutMS ?? stepMs;
  const maxTimeMS = o.maxTimeMS ?? DEFAULT_MAX_TIME_MS;
  const options: MongoClientOptions = {
    appName: 'plugboard',
    serverSelectionTimeoutMS: selectionMs,
    connectTimeoutMS: connectTimeoutMS ?? Math.min(stepMs, CONNECT_TIMEOUT_MS),
    socketTimeoutMS: socketTimeoutMS ?? stepMs + maxTimeMS,
    maxPoolSize: POOL_SIZE,
    maxIdleTimeMS: 30_000,
    // Counts round trips (Session.queryCount); the events carry commands, which Plugboard never logs.
    monitorCommands: true,
  };
  if (o.user) options.auth = { username: o.user, ...(secret.password !== undefined ? { password: secret.password } : {}) };
  return { url: formatMongoUrl({ ...rest, user: undefined }), options, selectionMs, maxTimeMS };
}
