/**
 * HS256 JWTs shaped like a Supabase project's API keys, signed with node:crypto so the tests need no JWT
 * library. PostgREST checks the signature, `exp` and the `role` claim; `iss`/`iat` are there because real
 * Supabase keys carry them and code under test may decode a key to read its role.
 */
import { createHmac, randomBytes } from 'node:crypto';

/** PostgREST 12 starts with a shorter HMAC secret and then refuses every token (JWSInvalidSignature). */
export const MIN_JWT_SECRET_LENGTH = 32;

const TEN_YEARS_S = 10 * 365 * 24 * 3600;

export type JwtClaims = Record<string, unknown>;

function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

/** A fresh random secret, long enough for PostgREST (base64url of 36 bytes: 48 characters). */
export function randomJwtSecret(): string {
  return randomBytes(36).toString('base64url');
}

export function assertUsableJwtSecret(secret: string): void {
  if (secret.length < MIN_JWT_SECRET_LENGTH) {
    throw new Error(`The JWT secret must be at least ${MIN_JWT_SECRET_LENGTH} characters long (PostgREST 12 would start and refuse every token as JWSInvalidSignature).`);
  }
}

/** Signs `claims` as given: no defaults added. */
export function signHs256Jwt(secret: string, claims: JwtClaims): string {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify(claims));
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/**
 * A Supabase-style token: `iss: 'supabase'`, `iat` now and `exp` ten years ahead unless `claims` says
 * otherwise. For a signed-in user pass `{ role: 'authenticated', sub: '<uuid>' }` — `auth.uid()` reads `sub`.
 */
export function signSupabaseJwt(secret: string, claims: JwtClaims & { role: string }): string {
  const now = Math.floor(Date.now() / 1000);
  return signHs256Jwt(secret, { iss: 'supabase', iat: now, exp: now + TEN_YEARS_S, ...claims });
}

export function supabaseApiKeys(secret: string): { anonKey: string; serviceKey: string } {
  return {
    anonKey: signSupabaseJwt(secret, { role: 'anon' }),
    serviceKey: signSupabaseJwt(secret, { role: 'service_role' }),
  };
}
