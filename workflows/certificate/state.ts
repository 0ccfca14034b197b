import { proxyLocalActivities } from '@temporalio/workflow';
import type { TrustActivities } from '../../activities/trust';
import type { CertificationResult } from '../../domain/certificate';
import { UnauthorizedError } from '../../domain/errors';
import { toApplicationFailure } from '../shared/failures';
import { HandlerLock } from '../shared/lock';
import { TRUST_STEPS } from '../shared/local-activities';
import type { CarriedCertificates, CertificateWorkflowArgs, TrackedCertificate } from './messages';

/** Signing and store writes are short and idempotent: local activities, retried until done. */
const trust = proxyLocalActivities<TrustActivities>(TRUST_STEPS);

/** Renewal is asked for when this share of the certificate's validity remains. */
export const RENEWAL_REMAINING_SHARE = 0.3;

/**
 * A client's certificates: the current one, whether it should be renewed, and the superseded
 * ones waiting out their grace period before revocation. Handlers run one at a time.
 */
export class ClientCertificates {
  current?: TrackedCertificate;
  renewalRequired = false;
  superseded: Array<{ hash: string; revokeAt: number }> = [];
  revoked = false;
  private readonly lock = new HandlerLock();

  constructor(readonly args: CertificateWorkflowArgs) {
    const carried = args.carried;
    if (carried) {
      if (carried.current) this.current = carried.current;
      this.renewalRequired = carried.renewalRequired;
      this.superseded = carried.superseded.map((s) => ({ ...s }));
    }
  }

  /** The state the next run starts from when the workflow continues as new. */
  carry(): CarriedCertificates {
    return {
      ...(this.current && { current: this.current }),
      renewalRequired: this.renewalRequired,
      superseded: this.superseded.map((s) => ({ ...s })),
    };
  }

  /** The instant the current certificate should be renewed. */
  renewAt(): number {
    if (!this.current) return Number.POSITIVE_INFINITY;
    const issued = Date.parse(this.current.issuedAt);
    const notAfter = Date.parse(this.current.notAfter);
    return notAfter - (notAfter - issued) * RENEWAL_REMAINING_SHARE;
  }

  /** The next instant something is due: a renewal flag or a superseded certificate's revocation. */
  nextDue(): number {
    const renewal = this.renewalRequired ? Number.POSITIVE_INFINITY : this.renewAt();
    return Math.min(renewal, ...this.superseded.map((s) => s.revokeAt));
  }

  /** Tracks an issued certificate; a newer one supersedes the current one. */
  issued(certificate: TrackedCertificate): void {
    if (this.revoked || this.current?.hash === certificate.hash) return;
    if (this.current) this.supersede(this.current.hash);
    this.current = certificate;
    this.renewalRequired = false;
  }

  validateRenew(input: { presentedHash: string }): void {
    if (this.revoked || !this.current || input.presentedHash !== this.current.hash) {
      throw toApplicationFailure(new UnauthorizedError('the certificate cannot be renewed'));
    }
  }

  renew(input: { presentedHash: string; csr: string }): Promise<CertificationResult> {
    return this.lock.run(async () => {
      this.validateRenew(input);
      let result: CertificationResult;
      try {
        result = await trust.signCertificate({
          tenantId: this.args.tenantId,
          clientId: this.args.clientId,
          csr: input.csr,
        });
      } catch (err) {
        throw toApplicationFailure(err);
      }
      this.issued({ hash: result.hash, issuedAt: result.issuedAt, notAfter: result.notAfter });
      return result;
    });
  }

  validateRevoke(input: { presentedHash: string }): void {
    const known =
      this.current?.hash === input.presentedHash ||
      this.superseded.some((s) => s.hash === input.presentedHash);
    if (this.revoked || !known) {
      throw toApplicationFailure(new UnauthorizedError('the certificate cannot be revoked'));
    }
  }

  /** Revokes the presented certificate; the current one takes every superseded one with it. */
  revoke(input: { presentedHash: string }): Promise<boolean> {
    return this.lock.run(async () => {
      if (this.current?.hash !== input.presentedHash) {
        await trust.revokeCertificate(input.presentedHash);
        this.superseded = this.superseded.filter((s) => s.hash !== input.presentedHash);
        return true;
      }
      for (const hash of [input.presentedHash, ...this.superseded.map((s) => s.hash)]) {
        await trust.revokeCertificate(hash);
      }
      this.superseded = [];
      this.revoked = true;
      return true;
    });
  }

  /** Does whatever is due now: flags renewal, revokes superseded certificates past their grace. */
  runDue(): Promise<void> {
    return this.lock.run(async () => {
      const now = Date.now();
      if (this.current && !this.renewalRequired && !this.revoked && now >= this.renewAt()) {
        await trust.markRenewalRequired(this.current.hash);
        this.renewalRequired = true;
      }
      for (const due of this.superseded.filter((s) => s.revokeAt <= now)) {
        await trust.revokeCertificate(due.hash);
        this.superseded = this.superseded.filter((s) => s.hash !== due.hash);
      }
    });
  }

  private supersede(hash: string): void {
    this.superseded.push({ hash, revokeAt: Date.now() + this.args.graceMs });
  }
}
