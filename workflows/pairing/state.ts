import {
  ParentClosePolicy,
  getExternalWorkflowHandle,
  patched,
  proxyLocalActivities,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { TrustActivities } from '../../activities/trust';
import type { CertificationResult } from '../../domain/certificate';
import { InvalidOperationError, UnauthorizedError } from '../../domain/errors';
import { certificateWorkflowId } from '../../domain/ids';
import { CompassStatusKey, TenantIdKey } from '../../domain/search-attributes';
import { certificateIssuedSignal, type TrackedCertificate } from '../certificate/messages';
import { certificateWorkflow } from '../certificate/workflow';
import { TokenPurpose } from '../../domain/system-auth';
import { toApplicationFailure } from '../shared/failures';
import { HandlerLock } from '../shared/lock';
import { TRUST_STEPS } from '../shared/local-activities';
import type { PairingArgs, PairingPhase } from './messages';

/** Token records and signing are short and idempotent: local activities, retried until done. */
const trust = proxyLocalActivities<TrustActivities>(TRUST_STEPS);

const HASH = /^[0-9a-f]{64}$/;

/**
 * The pairing hands a certificate it signs to the client's certificate workflow (renewal,
 * revocation) in the same step, so no crash between signing and tracking can leave a
 * certificate nobody renews (histories before it do not).
 */
const PAIRING_TRACKS_CERTIFICATE = 'pairing-tracks-certificate';

/**
 * Starts the client's certificate workflow (outliving the pairing) tracking `certificate`, or
 * hands the certificate to the one already running for the client.
 */
async function trackCertificate(
  args: PairingArgs,
  graceMs: number,
  certificate: TrackedCertificate,
): Promise<void> {
  const workflowId = certificateWorkflowId(args.tenantId, args.clientId);
  try {
    const child = await startChild(certificateWorkflow, {
      workflowId,
      args: [{ tenantId: args.tenantId, clientId: args.clientId, graceMs }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: [{ key: TenantIdKey, value: args.tenantId }],
    });
    await child.signal(certificateIssuedSignal, certificate);
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    await getExternalWorkflowHandle(workflowId).signal(certificateIssuedSignal, certificate);
  }
}

/**
 * One pairing's state. The workflow is the single writer of the token's lifecycle, so
 * "single use" holds however many callers present the token at once: handlers run one at a
 * time and the validators reject a used or expired token before anything reaches history.
 */
export class Pairing {
  phase: PairingPhase = 'new';
  tokenExpiresAt = 0;
  csrTokenHash?: string;
  csrTokenExpiresAt = 0;
  private readonly lock = new HandlerLock();

  constructor(readonly args: PairingArgs) {}

  validateIssue(): void {
    if (this.phase !== 'new') throw toApplicationFailure(new InvalidOperationError('token already issued'));
  }

  issue(): Promise<string> {
    return this.lock.run(async () => {
      this.tokenExpiresAt = Date.now() + this.args.tokenTtlMs;
      await trust.putToken(this.tokenRecord(this.args.tokenHash, TokenPurpose.PAIRING, this.tokenExpiresAt));
      this.enter('issued');
      return new Date(this.tokenExpiresAt).toISOString();
    });
  }

  validateRedeem(csrTokenHash: string): void {
    if (this.phase !== 'issued' || Date.now() >= this.tokenExpiresAt || !HASH.test(csrTokenHash)) {
      throw toApplicationFailure(new UnauthorizedError('invalid or expired token'));
    }
  }

  redeem(csrTokenHash: string): Promise<{ clientId: string; csrTokenExpiresAt: string }> {
    return this.lock.run(async () => {
      this.csrTokenHash = csrTokenHash;
      this.csrTokenExpiresAt = Date.now() + this.args.csrTokenTtlMs;
      await trust.deleteToken(this.args.tokenHash);
      await trust.putToken(this.tokenRecord(csrTokenHash, TokenPurpose.CSR, this.csrTokenExpiresAt));
      this.enter('redeemed');
      return {
        clientId: this.args.clientId,
        csrTokenExpiresAt: new Date(this.csrTokenExpiresAt).toISOString(),
      };
    });
  }

  validateSign(input: { csrTokenHash: string }): void {
    if (
      this.phase !== 'redeemed' ||
      input.csrTokenHash !== this.csrTokenHash ||
      Date.now() >= this.csrTokenExpiresAt
    ) {
      throw toApplicationFailure(new UnauthorizedError('invalid or expired token'));
    }
  }

  /** Signs the CSR; a rejected CSR leaves the token usable until it expires, to retry. */
  sign(input: { csr: string }): Promise<CertificationResult> {
    return this.lock.run(async () => {
      let result: CertificationResult;
      try {
        result = await trust.signCertificate({
          tenantId: this.args.tenantId,
          clientId: this.args.clientId,
          csr: input.csr,
          pairingWorkflowId: workflowInfo().workflowId,
        });
      } catch (err) {
        throw toApplicationFailure(err);
      }
      await trust.deleteToken(this.csrTokenHash!);
      if (patched(PAIRING_TRACKS_CERTIFICATE) && this.args.certificateGraceMs !== undefined) {
        await trackCertificate(this.args, this.args.certificateGraceMs, {
          hash: result.hash,
          issuedAt: result.issuedAt,
          notAfter: result.notAfter,
        });
      }
      this.enter('certified');
      return result;
    });
  }

  connected(): void {
    if (this.phase === 'certified') this.enter('connected');
  }

  /** Removes whatever token is still outstanding and closes the pairing as expired. */
  expire(): Promise<void> {
    return this.lock.run(async () => {
      if (this.phase === 'issued') await trust.deleteToken(this.args.tokenHash);
      if (this.phase === 'redeemed' && this.csrTokenHash) await trust.deleteToken(this.csrTokenHash);
      this.enter('expired');
    });
  }

  private enter(phase: PairingPhase): void {
    this.phase = phase;
    upsertSearchAttributes([{ key: CompassStatusKey, value: phase.toUpperCase() }]);
  }

  private tokenRecord(hash: string, purpose: TokenPurpose, expiresAt: number) {
    return {
      hash,
      tokenId: this.args.tokenId,
      tenantId: this.args.tenantId,
      clientId: this.args.clientId,
      kind: this.args.kind,
      purpose,
      expiresAt: new Date(expiresAt).toISOString(),
      workflowId: workflowInfo().workflowId,
    };
  }
}
