import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SystemAuthKind } from '../../domain/system-auth';
import { ConsumerKind, type SystemKind } from './identity';
import { type IssuerSecret, loadOrCreateIssuerFile, signHs256 } from './issuer-file';
import { defaultScopesFor } from './scopes';

/**
 * The `iss` of the access tokens the gateway itself signs at `/oauth/token`. Its HS256 secret
 * is its own (`<DATA_DIR>/gateway-issuer.json`), separate from the local development issuer,
 * so it exists whether or not an external user-token issuer is configured.
 */
export const GATEWAY_ISSUER = 'compass-gateway';
export const GATEWAY_ISSUER_FILE = 'gateway-issuer.json';
/** Access tokens live one hour. */
export const ACCESS_TOKEN_TTL_SEC = 3600;

/** The gateway's own issuer of access tokens: its name and HS256 secret. */
export type GatewayIssuer = IssuerSecret;

/** Reads or, on first use, creates `<dataDir>/gateway-issuer.json` (see {@link loadOrCreateIssuerFile}). */
export function loadOrCreateGatewayIssuer(dataDir: string): Promise<GatewayIssuer> {
  return loadOrCreateIssuerFile(dataDir, GATEWAY_ISSUER_FILE, GATEWAY_ISSUER);
}

/** A fresh client secret: 32 random bytes, base64url. */
export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The stored form of a secret. The secret has 256 bits of entropy, so a plain SHA-256 is as
 * good as a slow hash here (there is no dictionary to try).
 */
export function hashClientSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares a presented secret with a stored hash in constant time. */
export function clientSecretMatches(presented: string, storedHash: string): boolean {
  const a = Buffer.from(hashClientSecret(presented), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

const CONSUMER_TYPE: Readonly<Record<SystemAuthKind, string>> = {
  [SystemAuthKind.APPLICATION]: 'Application',
  [SystemAuthKind.RUNTIME]: 'Runtime',
  [SystemAuthKind.INTEGRATION_SYSTEM]: 'Integration System',
};

const CONSUMER_KIND: Readonly<Record<SystemAuthKind, SystemKind>> = {
  [SystemAuthKind.APPLICATION]: ConsumerKind.Application,
  [SystemAuthKind.RUNTIME]: ConsumerKind.Runtime,
  [SystemAuthKind.INTEGRATION_SYSTEM]: ConsumerKind.IntegrationSystem,
};

/** What an access token is issued for: one SystemAuth. */
export interface AccessTokenSubject {
  readonly clientId: string;
  readonly tenantId: string;
  readonly kind: SystemAuthKind;
  readonly referenceObjectId: string;
}

/**
 * Signs an access token with Compass's claims: consumerType, consumerID (the object), tenant
 * (the SystemAuth's) and the kind's default scopes; `sub` and `client_id` name the SystemAuth.
 */
export async function issueAccessToken(
  issuer: GatewayIssuer,
  subject: AccessTokenSubject,
  now = Math.floor(Date.now() / 1000),
): Promise<string> {
  return signHs256(
    issuer,
    subject.clientId,
    {
      tenant: subject.tenantId,
      scopes: defaultScopesFor(CONSUMER_KIND[subject.kind]).join(' '),
      consumerID: subject.referenceObjectId,
      consumerType: CONSUMER_TYPE[subject.kind],
      client_id: subject.clientId,
    },
    ACCESS_TOKEN_TTL_SEC,
    now,
  );
}
