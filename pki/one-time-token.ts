import { createHash, randomBytes } from 'node:crypto';

/**
 * A fresh one-time token (64 URL-safe characters from 48 random bytes) and its stored hash.
 * The Connector issues them in the gateway (api/connector), the Provisioner inside an
 * activity so that the token never enters workflow history.
 */
export function newOneTimeToken(): { token: string; hash: string } {
  const token = randomBytes(48).toString('base64url');
  return { token, hash: hashToken(token) };
}

/** Tokens are stored and looked up only by this hash. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
