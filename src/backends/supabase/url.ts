import type { ConnectionText } from '../../core/backend';
import { PlugboardError } from '../../core/errors';
import { isLoopback, projectUrlProblem, SupabaseOptions } from './options';

/** URL schemes of a Supabase connection string (`--url`): the project, never a key (keys come from the environment). */
export const SUPABASE_SCHEMES = ['supabase', 'supabase+https', 'supabase+http'];

const HOSTED = /^([a-z0-9]+)\.supabase\.co$/i;

/**
 * `supabase://<ref>` (a hosted project), `supabase://127.0.0.1:54321` (a local stack: loopback means http),
 * `supabase+https://host` / `supabase+http://host:port` (say which), or the project URL itself; `?schema=a,b`
 * names the exposed schemas. Keys and the database URL are secrets and are never read from this text.
 */
export function parseSupabaseConnection(text: string): ConnectionText<SupabaseOptions> {
  const input = text.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(input)?.[1]?.toLowerCase();
  if (!scheme) throw invalid('A Supabase connection string starts with supabase:// (or is the project URL, https://<ref>.supabase.co).');
  let u: URL;
  try {
    u = new URL(input.replace(/^[a-z][a-z0-9+.-]*:/i, 'http:'));
  } catch {
    throw invalid('The Supabase connection string is malformed.');
  }
  if (u.username || u.password) {
    throw invalid('A Supabase connection string carries no key or password.', 'Put the anon key in SUPABASE_ANON_KEY and the database URL in SUPABASE_DB_URL.');
  }
  if (u.pathname !== '/' && u.pathname !== '') throw invalid('A Supabase connection string has no path (not even /rest/v1).');
  let url: string;
  if (scheme === 'http' || scheme === 'https') url = `${scheme}://${u.host}`;
  else if (scheme === 'supabase+http') url = `http://${u.host}`;
  else if (scheme === 'supabase+https') url = `https://${u.host}`;
  else if (scheme === 'supabase') {
    // A bare project ref is a hosted project; a local stack is served over plain http.
    if (!u.port && /^[a-z0-9]+$/i.test(u.hostname) && !isLoopback(`http://${u.host}`)) url = `https://${u.hostname}.supabase.co`;
    else url = `${isLoopback(`http://${u.host}`) ? 'http' : 'https'}://${u.host}`;
  } else throw invalid(`Unsupported scheme "${scheme}://" for Supabase.`);
  const problem = projectUrlProblem(url);
  if (problem) throw invalid(problem);
  const schemas = u.searchParams.getAll('schema').flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  for (const key of u.searchParams.keys()) if (key !== 'schema') throw invalid(`Unknown parameter "${key}" in the Supabase connection string; only schema=… is read.`);
  const options = SupabaseOptions.parse(schemas.length ? { url, schemas } : { url });
  return { options, secret: {} };
}

/** The connection string of a profile: its project and schemas, never a key. */
export function formatSupabaseUrl(o: SupabaseOptions): string {
  const u = new URL(o.url);
  const ref = HOSTED.exec(u.hostname)?.[1];
  const query = o.schemas && !(o.schemas.length === 1 && o.schemas[0] === 'public') ? `?schema=${o.schemas.map(encodeURIComponent).join(',')}` : '';
  if (ref && u.protocol === 'https:' && !u.port) return `supabase://${ref}${query}`;
  const https = u.protocol === 'https:';
  if (https === !isLoopback(o.url)) return `supabase://${u.host}${query}`;
  return `supabase+${https ? 'https' : 'http'}://${u.host}${query}`;
}

function invalid(message: string, hint = 'Example: supabase://abcdefghijklmnop or supabase://127.0.0.1:54321, with SUPABASE_ANON_KEY and SUPABASE_DB_URL set.'): PlugboardError {
  return new PlugboardError('INVALID_CONFIG', message, { hint });
}
