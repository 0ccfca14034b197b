/** What kind of system a SystemAuth identifies; the tenant and object come with it. */
export const SystemAuthKind = {
  APPLICATION: 'APPLICATION',
  RUNTIME: 'RUNTIME',
  INTEGRATION_SYSTEM: 'INTEGRATION_SYSTEM',
} as const;
export type SystemAuthKind = (typeof SystemAuthKind)[keyof typeof SystemAuthKind];

/**
 * The identity of a system in one tenant. Its ID is the client ID: the CN of the system's
 * client certificates and the OAuth client_id of its client credentials.
 */
export interface SystemAuth {
  readonly id: string;
  readonly tenantId: string;
  readonly kind: SystemAuthKind;
  /** The Application, Runtime or IntegrationSystem this identity acts as. */
  readonly referenceObjectId: string;
  readonly createdAt: string;
}

/** Why a one-time token exists: pairing (given to a person) or CSR (returned by `configuration`). */
export const TokenPurpose = { PAIRING: 'PAIRING', CSR: 'CSR' } as const;
export type TokenPurpose = (typeof TokenPurpose)[keyof typeof TokenPurpose];

/** A one-time token as stored: only its hash, never the token itself. */
export interface OneTimeTokenRecord {
  readonly hash: string;
  readonly tokenId: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly kind: SystemAuthKind;
  readonly purpose: TokenPurpose;
  readonly expiresAt: string;
  /** The pairing workflow that owns this token's lifecycle. */
  readonly workflowId: string;
}
