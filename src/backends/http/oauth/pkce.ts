import { createHash, randomBytes } from 'node:crypto';

/** PKCE (RFC 7636) with S256, and the opaque `state` that ties a redirect to the request that caused it. */
export interface Pkce {
  verifier: string;
  challenge: string;
  method: 'S256';
}

export function createPkce(): Pkce {
  // 32 random bytes → 43 base64url characters, the minimum length RFC 7636 allows and plenty of entropy.
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge, method: 'S256' };
}

export function randomState(): string {
  return randomBytes(24).toString('base64url');
}
