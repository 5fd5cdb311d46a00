/**
 * Test support for the Supabase backend: a scratch database shaped like a Supabase project, the real
 * PostgREST 12 behind a /rest/v1 gateway, supabase-js wired for Node 20, and postgres-meta's type generator.
 * Typical use: prepareSupabaseDatabase() → DDL on `dbUrl` → startPostgrest({ dbUrl: authenticatorUrl }) →
 * supabaseClient(server.url, server.anonKey); in `after`: server.stop(), then db.drop().
 */
export { prepareSupabaseDatabase, type SupabaseDatabase } from './database';
export { startPostgrest, type PostgrestServer, type StartPostgrestOptions } from './postgrest';
export { supabaseClient, nodeOptionsForSupabaseJs } from './client';
export { postgresMetaTypegen, type TypegenOptions } from './typegen';
export { randomJwtSecret, signHs256Jwt, signSupabaseJwt, supabaseApiKeys, type JwtClaims } from './jwt';
export { startGateway, type Gateway } from './gateway';
