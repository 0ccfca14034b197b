import { readFileSync } from 'node:fs';
import { decodeJwt, type JWTPayload } from 'jose';
import type { IncomingMessage } from 'node:http';
import { UnauthorizedError } from '../../domain/errors';
import type { Config } from '../../infra/config';
import { dataDir } from '../../infra/trust';
import { GATEWAY_ISSUER, type GatewayIssuer, loadOrCreateGatewayIssuer } from './client-credentials';
import { type DevIssuer, loadOrCreateDevIssuer } from './dev-issuer';
import { issuerVerifierOptions } from './issuer-file';
import { bearerToken, createJwtVerifier, type JwtVerifier } from './jwt';
import { type RequestIdentity, requestIdentity, setRequestIdentity } from './request-identity';
import { assertUnsignedTokensAllowed } from './unsigned-tokens';

type AuthConfig = Pick<
  Config,
  | 'HOST'
  | 'DATA_DIR'
  | 'AUTH_JWT_ISSUER'
  | 'AUTH_JWT_AUDIENCE'
  | 'AUTH_JWT_HS256_SECRET'
  | 'AUTH_JWT_RS256_PUBLIC_KEY_FILE'
  | 'AUTH_JWKS_URL'
  | 'AUTH_ALLOW_UNSIGNED_TOKENS'
>;

/** Authenticates bearer tokens on the HTTP listener. */
export interface Authenticator {
  /** The local development issuer, when no external issuer is configured (the embedded default). */
  readonly devIssuer?: DevIssuer;
  /** The gateway's own issuer of client-credentials access tokens (`/oauth/token`). */
  readonly gatewayIssuer: GatewayIssuer;
  /** A warning to log at start (unsigned tokens accepted), if any. */
  readonly warning?: string;
  /**
   * Sets the request's identity from its bearer token. A request that already has one (the
   * mTLS listener set it) is left alone; no token leaves it anonymous; a bad token is refused.
   */
  authenticate(req: IncomingMessage): Promise<RequestIdentity | undefined>;
}

/**
 * Builds the token verifier from configuration: an external issuer (HS256 secret, RS256 key or
 * JWKS) when one is configured, otherwise the local development issuer under DATA_DIR, whose
 * tokens `npm run token` prints.
 */
export async function createAuthenticator(
  config: AuthConfig,
  /**
   * Whether the SystemAuth a gateway-signed access token names still exists: deleting it (or
   * unregistering its object) stops its tokens at once, not when they expire.
   */
  systemAuthExists: (clientId: string) => Promise<boolean>,
): Promise<Authenticator> {
  const warning = assertUnsignedTokensAllowed(config.AUTH_ALLOW_UNSIGNED_TOKENS, [config.HOST]);
  const external = Boolean(
    config.AUTH_JWT_HS256_SECRET || config.AUTH_JWT_RS256_PUBLIC_KEY_FILE || config.AUTH_JWKS_URL,
  );
  let verifier: JwtVerifier;
  let devIssuer: DevIssuer | undefined;
  if (external) {
    verifier = createJwtVerifier({
      issuer: config.AUTH_JWT_ISSUER ?? '',
      ...(config.AUTH_JWT_AUDIENCE && { audience: config.AUTH_JWT_AUDIENCE }),
      ...(config.AUTH_JWT_HS256_SECRET && { hs256Secret: config.AUTH_JWT_HS256_SECRET }),
      ...(config.AUTH_JWT_RS256_PUBLIC_KEY_FILE && {
        rs256PublicKeyPem: readFileSync(config.AUTH_JWT_RS256_PUBLIC_KEY_FILE, 'utf8'),
      }),
      ...(config.AUTH_JWKS_URL && { jwksUrl: config.AUTH_JWKS_URL }),
      allowUnsignedTokens: config.AUTH_ALLOW_UNSIGNED_TOKENS,
    });
  } else {
    devIssuer = await loadOrCreateDevIssuer(dataDir(config));
    verifier = createJwtVerifier({
      ...issuerVerifierOptions(devIssuer),
      allowUnsignedTokens: config.AUTH_ALLOW_UNSIGNED_TOKENS,
    });
  }
  const gatewayIssuer = await loadOrCreateGatewayIssuer(dataDir(config));
  const gatewayVerifier = createJwtVerifier(issuerVerifierOptions(gatewayIssuer));
  return {
    ...(devIssuer && { devIssuer }),
    gatewayIssuer,
    ...(warning && { warning }),
    authenticate: async (req) => {
      const existing = requestIdentity(req);
      if (existing) return existing;
      const header = req.headers.authorization;
      if (header === undefined) return undefined;
      const token = bearerToken(header);
      if (!token) throw new UnauthorizedError('the Authorization header must be "Bearer <token>"');
      // Tokens the gateway signed at /oauth/token go to its own verifier; all others to the user one.
      const claims = unverifiedClaims(token);
      const system = claims?.iss === GATEWAY_ISSUER;
      const verified = await (system ? gatewayVerifier : verifier).verify(token);
      const clientId = system ? claims.sub : undefined;
      if (system && !(clientId && (await systemAuthExists(clientId)))) {
        throw new UnauthorizedError('the client credentials of this token were deleted');
      }
      const identity: RequestIdentity = { ...verified, via: 'token', ...(clientId && { clientId }) };
      setRequestIdentity(req, identity);
      return identity;
    },
  };
}

/**
 * The unverified claims of a token, only to pick its verifier (by `iss`) and, once the gateway's
 * verifier accepted it, to read its `sub`; undefined when unreadable (the user verifier then
 * refuses it).
 */
function unverifiedClaims(token: string): JWTPayload | undefined {
  try {
    return decodeJwt(token);
  } catch {
    return undefined;
  }
}
