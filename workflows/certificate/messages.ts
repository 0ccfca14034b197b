import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CertificationResult } from '../../domain/certificate';

/** One issued client certificate, as the certificate workflow tracks it. */
export interface TrackedCertificate {
  readonly hash: string;
  /** ISO instants: the renewal threshold lies between them. */
  readonly issuedAt: string;
  readonly notAfter: string;
}

/** Arguments of a client's certificate workflow, decided when its first certificate is issued. */
export interface CertificateWorkflowArgs {
  readonly tenantId: string;
  readonly clientId: string;
  /** How long a superseded certificate stays valid after its renewal (CERT_GRACE_SECONDS). */
  readonly graceMs: number;
  /** The state a previous run handed over when it continued as new. */
  readonly carried?: CarriedCertificates;
}

/** What a certificate workflow hands to its next run. */
export interface CarriedCertificates {
  readonly current?: TrackedCertificate;
  readonly renewalRequired: boolean;
  readonly superseded: ReadonlyArray<{ readonly hash: string; readonly revokeAt: number }>;
}

/** A certificate was issued outside the workflow (the pairing): track it (sent with signal-with-start). */
export const certificateIssuedSignal = defineSignal<[TrackedCertificate]>('certificateIssued');

/** Renews: signs the CSR for the client authenticated by its current certificate's hash. */
export const renewUpdate = defineUpdate<CertificationResult, [{ presentedHash: string; csr: string }]>(
  'renew',
);

/** Revokes the presented certificate; revoking the current one revokes all and ends the workflow. */
export const revokeUpdate = defineUpdate<boolean, [{ presentedHash: string }]>('revoke');

export const getCertificatesQuery = defineQuery<{
  current?: TrackedCertificate;
  renewalRequired: boolean;
  superseded: ReadonlyArray<{ hash: string; revokeAt: string }>;
  revoked: boolean;
}>('getCertificates');
