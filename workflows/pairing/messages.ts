import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CertificationResult } from '../../domain/certificate';
import type { SystemAuthKind } from '../../domain/system-auth';

/** Arguments of a pairing: everything is decided by the API before the workflow starts. */
export interface PairingArgs {
  readonly tenantId: string;
  readonly clientId: string;
  readonly tokenId: string;
  readonly tokenHash: string;
  readonly kind: SystemAuthKind;
  /** The Application or Runtime being paired. */
  readonly objectId: string;
  readonly tokenTtlMs: number;
  readonly csrTokenTtlMs: number;
  /** How long to wait for the first certificate-authenticated call before closing. */
  readonly connectWindowMs: number;
  /**
   * The grace period of the client's certificate workflow (CERT_GRACE_SECONDS), which the
   * pairing starts when it signs the first certificate. Absent in pairings started before.
   */
  readonly certificateGraceMs?: number;
}

export type PairingPhase = 'new' | 'issued' | 'redeemed' | 'certified' | 'connected' | 'expired';

/** Stores the pairing token (sent with Update-with-Start); returns its expiry (ISO). */
export const issueTokenUpdate = defineUpdate<string, []>('issueToken');

/** Uses the pairing token once: the caller supplies the hash of the CSR token it will hand out. */
export const redeemTokenUpdate = defineUpdate<{ clientId: string; csrTokenExpiresAt: string }, [string]>(
  'redeemToken',
);

/** Signs the client's CSR, authorised by the CSR token's hash. */
export const signCsrUpdate = defineUpdate<CertificationResult, [{ csrTokenHash: string; csr: string }]>(
  'signCsr',
);

/** The client made its first certificate-authenticated call: the pairing is complete. */
export const connectedSignal = defineSignal<[]>('connected');

export const getPairingQuery = defineQuery<{ phase: PairingPhase }>('getPairing');
