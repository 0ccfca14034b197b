import { type IssuerSecret, issuerVerifierOptions, loadOrCreateIssuerFile, signHs256 } from './issuer-file';

/** The `iss` of every token the local development issuer signs. */
export const DEV_ISSUER = 'compass-local-dev';
/** The file under the data directory that holds the local development issuer's secret. */
export const DEV_ISSUER_FILE = 'dev-issuer.json';

/** The local development issuer: a name and an HS256 secret shared by the gateway and `npm run token`. */
export type DevIssuer = IssuerSecret;

/**
 * Reads the local development issuer from `<dataDir>/dev-issuer.json`, creating it with a
 * random 32-byte secret on first use. The file is written with mode 0600 and published
 * atomically, so a gateway and `npm run token` starting together agree on one secret.
 * Throws `AuthConfigError` when the file is malformed or readable by other users.
 */
export function loadOrCreateDevIssuer(dataDir: string): Promise<DevIssuer> {
  return loadOrCreateIssuerFile(dataDir, DEV_ISSUER_FILE, DEV_ISSUER);
}

/** Verifier options that accept exactly the tokens this issuer signs (tests name it so). */
export const devVerifierOptions = issuerVerifierOptions;

/** What a local development token says about its holder. */
export interface DevTokenRequest {
  readonly tenant: string;
  readonly scopes: readonly string[];
  readonly consumerId: string;
  /** Lifetime in seconds. */
  readonly ttlSec: number;
}

/**
 * Signs a user token with the claims Compass's gateway would mint (`tenant`, `scopes`,
 * `consumerID`, `consumerType: Static User`), for local development and tests.
 */
export async function issueDevToken(issuer: DevIssuer, request: DevTokenRequest): Promise<string> {
  return signHs256(
    issuer,
    request.consumerId,
    {
      tenant: request.tenant,
      scopes: request.scopes.join(' '),
      consumerID: request.consumerId,
      consumerType: 'Static User',
    },
    request.ttlSec,
  );
}
