import type * as net from 'node:net';
import type { Pool, PoolClient } from 'pg';
import { withDeadline } from '../../core/deadline';

/**
 * Ending a pool when the server may have stopped answering. pg's `pool.end()` waits until every client it
 * made has been released and has said goodbye, so one stalled query (or a server that ignores Terminate)
 * keeps it waiting forever; past a deadline the clients' sockets are destroyed instead.
 */
export const POOL_END_DEADLINE_MS = 2_000;

/** Every client a pool has connected and not yet removed. */
export function trackClients(pool: Pool): Set<PoolClient> {
  const clients = new Set<PoolClient>();
  pool.on('connect', (c) => clients.add(c));
  pool.on('remove', (c) => clients.delete(c as PoolClient));
  return clients;
}

/** Closes a client's socket at once, without the goodbye a stalled server would never acknowledge. */
export function dropClient(client: PoolClient): void {
  (client as unknown as { connection?: { stream?: net.Socket } }).connection?.stream?.destroy();
}

/** Ends the pool gracefully if it can within the deadline; otherwise drops every connection it still has. */
export async function endPool(pool: Pool, clients: Set<PoolClient>, ms = POOL_END_DEADLINE_MS): Promise<void> {
  const ending = pool.ending ? Promise.resolve() : pool.end().catch(() => undefined);
  await withDeadline(ending, ms, 'Closing the connection pool', () => clients.forEach(dropClient)).catch(() => undefined);
}
