import { lazySchema } from '../../core/lazy';
import { z } from '../../core/zod';

export const DEFAULT_SCHEMAS = ['public'];

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A Supabase project URL as the API serves it: http(s), a host, no path, query or credentials. */
export function projectUrlProblem(text: string): string | undefined {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    return 'The project URL is not a URL (e.g. https://abcdefghijklmnop.supabase.co)';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'The project URL starts with https:// (or http:// for a local stack)';
  if (u.username || u.password) return 'The project URL must not carry a user or password';
  if ((u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) return 'The project URL is the address alone, without a path such as /rest/v1';
  return undefined;
}

/** The project URL without a trailing slash, so `${url}/rest/v1` is right. */
export function normaliseProjectUrl(text: string): string {
  const u = new URL(text.trim());
  return `${u.protocol}//${u.host}`;
}

export function isLoopback(url: string): boolean {
  return LOOPBACK.has(new URL(url).hostname);
}

/** `public, other` or a list: the schemas PostgREST exposes, as a list without blanks or repeats. */
const schemaList = lazySchema(() => z
  .union([z.string(), z.array(z.string())])
  .transform((v) => [...new Set((typeof v === 'string' ? v.split(',') : v).map((s) => s.trim()).filter(Boolean))])
  .pipe(z.array(z.string().min(1)).min(1, 'name at least one schema')));

/**
 * A Supabase profile's non-secret options. The keys and the database connection string (which may hold the
 * password) are secrets: `anonKey`, `serviceRoleKey`, `dbUrl`.
 */
export const SupabaseOptions = lazySchema(() => z
  .object({
    /** `https://<ref>.supabase.co`, or a local stack's `http://127.0.0.1:54321`. */
    url: z.string().refine((v) => projectUrlProblem(v) === undefined, { message: 'must be the project URL, e.g. https://<ref>.supabase.co' }).transform(normaliseProjectUrl),
    /** The schemas PostgREST exposes (Project Settings → API → Exposed schemas); introspected and advised on. */
    schemas: schemaList.optional(),
    /** Deadline of the first request to each service, in milliseconds (the host's deadline otherwise). */
    connectTimeoutMs: z.number().int().min(100).max(600_000).optional(),
  })
  .strict());
export type SupabaseOptions = z.infer<typeof SupabaseOptions>;

/** The project's ref for hosted projects (`abcdefghijklmnop`), or host:port for anything else. */
export function describeSupabase(o: SupabaseOptions): string {
  const u = new URL(o.url);
  const ref = /^([a-z0-9]+)\.supabase\.co$/i.exec(u.hostname)?.[1];
  if (ref) return `${ref} (supabase.co)`;
  return `${u.host}${isLoopback(o.url) ? ' (local)' : ''}`;
}
