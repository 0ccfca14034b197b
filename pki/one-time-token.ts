import { createHash, randomBytes } from 'node:crypto';

/**
 * A fresh one-time token and its stored hash, as the Connector makes them
 * (api/connector/tokens.ts), for the worker side: the Provisioner issues runtime tokens
 * inside an activity so that the token never enters workflow history.
 */
export function newOneTimeToken(): { token: string; hash: string } {
  const token = randomBytes(48).toString('base64url');
  return { token, hash: createHash('sha256').update(token, 'utf8').digest('hex') };
}
