import { PlugboardError } from '../../core/errors';

/**
 * What a key says it is, read without verifying it (only the server can): a legacy JWT key's `role` claim,
 * or the prefix of the newer opaque keys (`sb_publishable_…`, `sb_secret_…`).
 */
export function keyRole(key: string): 'anon' | 'service_role' | 'other' | undefined {
  if (key.startsWith('sb_publishable_')) return 'anon';
  if (key.startsWith('sb_secret_')) return 'service_role';
  const parts = key.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { role?: unknown };
    return claims.role === 'anon' || claims.role === 'service_role' ? claims.role : 'other';
  } catch {
    return undefined;
  }
}

/**
 * Refuses keys in the wrong field before anything is sent: a service-role key given as the anon key would end
 * up behind a client that bypasses row-level security.
 */
export function checkKeys(anonKey: string, serviceRoleKey: string | undefined): void {
  if (keyRole(anonKey) === 'service_role') {
    throw new PlugboardError('INVALID_CONFIG', 'The anon key field holds a service-role (secret) key: a client built on it would bypass row-level security.', {
      hint: 'Use the anon (publishable) key from Project Settings → API; the service-role key goes in its own field.',
    });
  }
  if (serviceRoleKey !== undefined && keyRole(serviceRoleKey) === 'anon') {
    throw new PlugboardError('INVALID_CONFIG', 'The service role key field holds the anon (publishable) key.', {
      hint: 'Use the service_role key from Project Settings → API, or leave the field empty.',
    });
  }
}
