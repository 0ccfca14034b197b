import type { IncomingMessage } from 'node:http';
import type { UserIdentity } from './identity';

/**
 * The authenticated caller of one HTTP request, however it authenticated. Listeners set it
 * (bearer token on the HTTP listener, client certificate on the mTLS listener) before the
 * GraphQL layer runs; the GraphQL context reads it and never trusts request headers for it.
 */
export interface RequestIdentity extends UserIdentity {
  readonly via: 'token' | 'certificate';
  /** For systems: the SystemAuth ID (the certificate CN or OAuth client_id). */
  readonly clientId?: string;
  /** For certificate callers: the SHA-256 of the certificate's DER (revocation is by hash). */
  readonly certificateHash?: string;
}

const identities = new WeakMap<IncomingMessage, RequestIdentity>();

export function setRequestIdentity(req: IncomingMessage, identity: RequestIdentity): void {
  identities.set(req, identity);
}

export function requestIdentity(req: IncomingMessage): RequestIdentity | undefined {
  return identities.get(req);
}

/**
 * Headers by which a proxy in front of Compass passes an identity on. Clients could forge
 * them, so the gateway removes them from every incoming request before anything reads headers.
 */
export const IDENTITY_HEADERS = [
  'client-id-from-token',
  'client-id-from-certificate',
  'client-certificate-hash',
  'certificate-data',
  'x-forwarded-client-cert',
] as const;

/** Express-style middleware that strips {@link IDENTITY_HEADERS}. */
export function stripIdentityHeaders(req: IncomingMessage, _res: unknown, next: () => void): void {
  for (const name of IDENTITY_HEADERS) delete req.headers[name];
  next();
}
