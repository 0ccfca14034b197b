import { type CertificateAuthority, type CsrSubject, issueClientCertificate, parseCsr } from '../pki';
import type { CertificationResult } from '../domain/certificate';
import type { OneTimeTokenRecord } from '../domain/system-auth';
import type { IssuedCertificateRecord } from '../store/certificates';
import { withDomainFailures } from './failures';

export interface TrustActivityDeps {
  readonly tokens: { put(record: OneTimeTokenRecord): Promise<void>; delete(hash: string): Promise<void> };
  readonly certificates: {
    put(record: IssuedCertificateRecord): Promise<void>;
    markRenewalRequired(hash: string, at: string): Promise<void>;
    revoke(hash: string, at: string): Promise<void>;
  };
  readonly ca: CertificateAuthority;
  /** The fixed subject attributes every Connector-issued certificate carries besides its CN. */
  readonly subject: Omit<CsrSubject, 'CN'>;
  readonly certificateValidityMs: number;
}

const b64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');

/** Activities of pairing and certificate workflows: token records, CSR checks and signing. */
export function createTrustActivities(deps: TrustActivityDeps) {
  return {
    async putToken(record: OneTimeTokenRecord): Promise<void> {
      await deps.tokens.put(record);
    },

    async deleteToken(hash: string): Promise<void> {
      await deps.tokens.delete(hash);
    },

    /**
     * Checks the CSR (subject exactly the client's, signature, key strength) and signs a
     * client certificate, recording it. A rejected CSR is a domain error: never retried.
     */
    async signCertificate(input: {
      tenantId: string;
      clientId: string;
      csr: string;
      /** Recorded with the certificate so the client's first mTLS call can complete the pairing. */
      pairingWorkflowId?: string;
    }): Promise<CertificationResult> {
      return withDomainFailures(async () => {
        const checked = parseCsr(input.csr, { ...deps.subject, CN: input.clientId });
        const issued = await issueClientCertificate(deps.ca, checked, {
          validityMs: deps.certificateValidityMs,
        });
        const issuedAt = new Date().toISOString();
        await deps.certificates.put({
          hash: issued.sha256Fingerprint,
          tenantId: input.tenantId,
          clientId: input.clientId,
          serialHex: issued.serialHex,
          notAfter: issued.notAfter.toISOString(),
          issuedAt,
          ...(input.pairingWorkflowId !== undefined && { pairingWorkflowId: input.pairingWorkflowId }),
        });
        return {
          certificateChain: b64(issued.chainPem),
          caCertificate: b64(issued.caCertificatePem),
          clientCertificate: b64(issued.certificatePem),
          hash: issued.sha256Fingerprint,
          notAfter: issued.notAfter.toISOString(),
          issuedAt,
        };
      });
    },

    /** Flags a certificate for renewal; the Connector's `configuration` then says so. */
    async markRenewalRequired(hash: string): Promise<void> {
      await deps.certificates.markRenewalRequired(hash, new Date().toISOString());
    },

    /** Revokes a certificate by hash: the mTLS listener refuses it from then on. */
    async revokeCertificate(hash: string): Promise<void> {
      await deps.certificates.revoke(hash, new Date().toISOString());
    },
  };
}

export type TrustActivities = ReturnType<typeof createTrustActivities>;
