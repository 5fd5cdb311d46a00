/**
 * supabase-js for the tests themselves. createClient() throws on Node 20 ("Node.js 20 detected without
 * native WebSocket support") unless Realtime gets a WebSocket constructor, even when Realtime is never
 * used — so pass `ws`. Code under test that calls a plain createClient(url, key) must run on Node ≥ 22 or
 * with `--experimental-websocket` (NODE_OPTIONS works), which gives Node 20 a global WebSocket.
 */
import { createClient, type SupabaseClient, type SupabaseClientOptions } from '@supabase/supabase-js';
import WebSocket from 'ws';

// ws's constructor takes `string | URL` where realtime-js declares its own narrower WebSocket shape; at
// runtime realtime-js only calls `new transport(url, protocols)`, which ws accepts.
type RealtimeTransport = NonNullable<NonNullable<SupabaseClientOptions<'public'>['realtime']>['transport']>;

export function supabaseClient(url: string, key: string): SupabaseClient {
  return createClient(url, key, {
    realtime: { transport: WebSocket as unknown as RealtimeTransport },
    // No browser storage and no token refresh timers: the tests sign their own JWTs.
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
}

/** NODE_OPTIONS for a child process that runs code calling a plain createClient() on Node 20. */
export function nodeOptionsForSupabaseJs(existing = process.env.NODE_OPTIONS ?? ''): string {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 22 || existing.includes('--experimental-websocket')) return existing;
  return `${existing} --experimental-websocket`.trim();
}
