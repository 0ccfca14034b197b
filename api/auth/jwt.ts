import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  UnsecuredJWT,
  type FlattenedJWSInput,
  type JWTClaimVerificationOptions,
  type JWTHeaderParameters,
  type JWTPayload,
  type KeyLike,
} from 'jose';
import { InternalError, UnauthorizedError } from '../../domain/errors';
import { AuthConfigError } from './errors';
import { consumerKindFromClaim, type UserIdentity } from './identity';

/**
 * How user tokens are checked, as configured for the gateway. At least one key source is
 * required unless unsigned tokens are allowed; `rs256PublicKeyPem` and `jwksUrl` are
 * alternatives for RS256 and may not both be set.
 */
export interface JwtVerifierOptions {
  /** The only accepted `iss` claim. */
  issuer: string;
  /** When set, the `aud` claim must contain it. */
  audience?: string;
  /** Shared secret for HS256 tokens; its UTF-8 bytes are the key (at least 32 bytes). */
  hs256Secret?: string;
  /** The issuer's RSA public key (SPKI or PKCS#1 PEM) for RS256 tokens. */
  rs256PublicKeyPem?: string;
  /** Where the issuer publishes its RS256 keys (fetched on demand and cached). */
  jwksUrl?: string;
  /**
   * Accepts tokens with alg `none`, as Compass's Director did for its clients' development
   * tokens: only `scopes`, `tenant`, `consumerID` and `consumerType` are needed, and `iss`,
   * `aud`, `exp` and `nbf` are checked when present. Only for local development on loopback
   * listeners: see `assertUnsignedTokensAllowed`.
   */
  allowUnsignedTokens: boolean;
  /** Allowed clock skew for `exp` and `nbf`, in seconds (default 0). */
  clockToleranceSec?: number;
}

/** Turns a bearer token into the caller's identity. */
export interface JwtVerifier {
  /**
   * Verifies the token and maps its claims to an identity. Throws `UnauthorizedError` (26)
   * when the token is not acceptable, and `InternalError` (10) when the issuer's key set
   * cannot be fetched; neither message contains the token or its claims.
   */
  verify(token: string): Promise<UserIdentity>;
}

/** HMAC keys shorter than the hash output are refused (RFC 7518 §3.2). */
const MIN_HS256_SECRET_BYTES = 32;
/** Longer than any real token; refused before any parsing work. */
const MAX_TOKEN_LENGTH = 16 * 1024;

/** The HS256 key for a configured secret: shared by the verifier and the dev token issuer. */
export function hs256Key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/** The token of an `Authorization: Bearer <token>` header, or undefined for any other header. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer +([^\s]+) *$/i.exec(authorization ?? '');
  return match?.[1];
}

/** Marks a failure to reach the issuer's key set, which is the server's problem, not the caller's. */
class KeySetUnavailable extends Error {
  constructor(cause: unknown) {
    super('the token issuer key set is unavailable', { cause });
    this.name = 'KeySetUnavailable';
  }
}

type GetKey = (header: JWTHeaderParameters, input: FlattenedJWSInput) => Promise<KeyLike | Uint8Array>;

/**
 * Creates the verifier the gateway uses for user tokens. Checks the configuration at once,
 * so a missing or malformed key stops the gateway at start-up (`AuthConfigError`).
 */
export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const keys = resolveKeys(options);
  const algorithms = [...(keys.hs256 ? ['HS256'] : []), ...(keys.rs256 ? ['RS256'] : [])];
  if (algorithms.length === 0 && !options.allowUnsignedTokens) {
    throw new AuthConfigError('no token verification key: set hs256Secret, rs256PublicKeyPem or jwksUrl');
  }
  const claimChecks: JWTClaimVerificationOptions = {
    issuer: options.issuer,
    audience: options.audience,
    clockTolerance: options.clockToleranceSec ?? 0,
    requiredClaims: ['exp'],
  };
  const keyFor: GetKey = async (header, input) => {
    if (header.alg === 'HS256' && keys.hs256) return keys.hs256;
    if (header.alg === 'RS256' && keys.rs256) return keys.rs256(header, input);
    throw new errors.JOSEAlgNotAllowed('algorithm not accepted');
  };

  async function claimsOf(token: string): Promise<JWTPayload> {
    const { alg } = decodeProtectedHeader(token);
    if (alg === 'none') {
      if (!options.allowUnsignedTokens) throw new UnauthorizedError('unsigned tokens are not accepted');
      return unsignedClaims(token, options);
    }
    if (alg === undefined || !algorithms.includes(alg)) {
      throw new UnauthorizedError('token algorithm not accepted');
    }
    return (await jwtVerify(token, keyFor, { ...claimChecks, algorithms })).payload;
  }

  return {
    async verify(token) {
      if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
        throw new UnauthorizedError('invalid token');
      }
      let claims: JWTPayload;
      try {
        claims = await claimsOf(token);
      } catch (err) {
        throw toAuthError(err);
      }
      return identityFromClaims(claims);
    },
  };
}

/**
 * The claims of an unsigned token. Compass's clients put no `iss`, `aud` or `exp` in theirs, so
 * none is required; each is checked when present, like `nbf` and `iat`.
 */
function unsignedClaims(token: string, options: JwtVerifierOptions): JWTPayload {
  const { payload } = UnsecuredJWT.decode(token, { clockTolerance: options.clockToleranceSec ?? 0 });
  if (payload.iss !== undefined && payload.iss !== options.issuer) {
    throw new UnauthorizedError('token issuer not accepted');
  }
  if (payload.aud !== undefined && options.audience !== undefined) {
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!audiences.includes(options.audience)) throw new UnauthorizedError('token audience not accepted');
  }
  return payload;
}

interface ResolvedKeys {
  readonly hs256?: Uint8Array;
  readonly rs256?: GetKey;
}

function resolveKeys(options: JwtVerifierOptions): ResolvedKeys {
  if (!options.issuer) throw new AuthConfigError('issuer is required');
  const tolerance = options.clockToleranceSec ?? 0;
  if (!Number.isFinite(tolerance) || tolerance < 0) {
    throw new AuthConfigError('clockToleranceSec must be a non-negative number');
  }
  if (options.rs256PublicKeyPem && options.jwksUrl) {
    throw new AuthConfigError('set either rs256PublicKeyPem or jwksUrl, not both');
  }
  let hs256: Uint8Array | undefined;
  if (options.hs256Secret !== undefined) {
    hs256 = hs256Key(options.hs256Secret);
    if (hs256.length < MIN_HS256_SECRET_BYTES) {
      throw new AuthConfigError(`hs256Secret must be at least ${MIN_HS256_SECRET_BYTES} bytes`);
    }
  }
  if (options.rs256PublicKeyPem) {
    const key = rsaPublicKey(options.rs256PublicKeyPem);
    return { hs256, rs256: async () => key };
  }
  if (options.jwksUrl) return { hs256, rs256: remoteKeySet(options.jwksUrl) };
  return { hs256 };
}

function rsaPublicKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new AuthConfigError('rs256PublicKeyPem is not a PEM-encoded public key');
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new AuthConfigError('rs256PublicKeyPem is not an RSA key');
  }
  return key;
}

/** The issuer's published keys; an unknown `kid` is the caller's problem, a failed fetch is not. */
function remoteKeySet(jwksUrl: string): GetKey {
  const url = URL.canParse(jwksUrl) ? new URL(jwksUrl) : undefined;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new AuthConfigError('jwksUrl must be an http(s) URL');
  }
  const jwks = createRemoteJWKSet(url);
  return async (header, input) => {
    try {
      return await jwks(header, input);
    } catch (err) {
      if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys)
        throw err;
      throw new KeySetUnavailable(err);
    }
  };
}

/** Maps a verification failure to a fixed reason; jose's own messages and payloads are dropped. */
function toAuthError(err: unknown): Error {
  if (err instanceof UnauthorizedError) return err;
  if (err instanceof KeySetUnavailable) {
    const internal = new InternalError();
    internal.cause = err;
    return internal;
  }
  return new UnauthorizedError(reasonFor(err));
}

function reasonFor(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'token expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.reason === 'missing') return `token has no ${err.claim} claim`;
    if (err.claim === 'iss') return 'token issuer not accepted';
    if (err.claim === 'aud') return 'token audience not accepted';
    if (err.claim === 'nbf') return 'token not yet valid';
    return 'invalid token claims';
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'invalid token signature';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'token algorithm not accepted';
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    return 'token signing key not recognised';
  }
  return 'invalid token';
}

/**
 * Reads Compass's identity claims: `consumerID` (else `sub`), `consumerType`, `tenant` and
 * the space-separated `scopes`. A claim of the wrong type refuses the token.
 */
function identityFromClaims(claims: JWTPayload): UserIdentity {
  const consumerId = optionalString(claims, 'consumerID') ?? optionalString(claims, 'sub');
  if (!consumerId) throw new UnauthorizedError('token names no consumer');
  const kind = consumerKindFromClaim(optionalString(claims, 'consumerType'));
  if (!kind) throw new UnauthorizedError('token consumerType not recognised');
  const tenant = optionalString(claims, 'tenant');
  const scopes = Object.freeze((optionalString(claims, 'scopes') ?? '').split(/\s+/).filter(Boolean));
  return tenant ? { kind, consumerId, tenant, scopes } : { kind, consumerId, scopes };
}

function optionalString(claims: JWTPayload, name: string): string | undefined {
  const value = claims[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new UnauthorizedError(`token claim ${name} is not a string`);
  return value;
}
