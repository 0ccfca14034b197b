import type { CertificateCache } from '../auth/certificate-auth';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { CertificationResult } from '../../domain/certificate';
import { UnauthorizedError } from '../../domain/errors';
import { type SystemAuthKind, TokenPurpose } from '../../domain/system-auth';
import type { CsrSubject } from '../../pki';
import type { CertificateRepository } from '../../store/certificates';
import type { OneTimeTokenRepository } from '../../store/one-time-tokens';
import type { SystemAuthRepository } from '../../store/system-auths';
import { renewCertificate, revokeCertificate } from '../workflow-clients/certificate';
import { issuePairingToken, redeemPairing, signPairingCsr } from '../workflow-clients/pairing';
import type { CertificateCaller } from './context';
import { hashToken, newOneTimeToken } from './tokens';

export interface ConnectorSettings {
  /** Public URL of the Connector API (token-authenticated). */
  readonly connectorUrl: string;
  /** Public URL of the Connector API behind the mTLS listener. */
  readonly certificateSecuredConnectorUrl: string;
  readonly directorUrl: string;
  readonly certificateSecuredDirectorUrl: string;
  /** Subject attributes every client certificate carries besides CN. */
  readonly subject: Omit<CsrSubject, 'CN'>;
  readonly tokenTtlMs: Readonly<Record<SystemAuthKind, number>>;
  readonly csrTokenTtlMs: number;
  readonly connectWindowMs: number;
  /** How long a certificate stays valid after the client renewed it (CERT_GRACE_SECONDS). */
  readonly certificateGraceMs: number;
}

export interface ConnectorServiceDeps {
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly tokens: OneTimeTokenRepository;
  readonly systemAuths: SystemAuthRepository;
  readonly certificates: Pick<CertificateRepository, 'getByHashGlobal'>;
  readonly settings: ConnectorSettings;
  readonly requestTimeoutMs: number;
  /** Told of each certificate revoked here, so the mTLS listener refuses it at once. */
  readonly certificateCache?: Pick<CertificateCache, 'forget'>;
}

/** Compass's one-time token shape (both OneTimeTokenForApplication and …ForRuntime). */
export interface OneTimeToken {
  readonly token: string;
  readonly connectorURL: string;
  readonly legacyConnectorURL: string;
  readonly raw: string;
  readonly rawEncoded: string;
}

/** Compass's Connector `Configuration`. */
export interface ConnectorConfiguration {
  /** A CSR token; none when the caller authenticated with its client certificate. */
  readonly token: { token: string } | null;
  readonly certificateSigningRequestInfo: {
    subject: string;
    keyAlgorithm: string;
    renewalRequired: boolean | null;
  };
  readonly managementPlaneInfo: { directorURL: string; certificateSecuredConnectorURL: string };
}

/** Who a pairing is for: the client (the certificate's CN), its kind and object, in a tenant. */
export interface PairedClient {
  readonly tenantId: string;
  readonly clientId: string;
  readonly kind: SystemAuthKind;
  /** The Application or Runtime, or, for a client with no Director object, the client ID. */
  readonly objectId: string;
}

/** What redeeming a pairing token yields: the client it pairs and a new CSR token. */
export interface RedeemedPairingToken {
  readonly clientId: string;
  readonly csrToken: string;
}

/** What redeeming a pairing token needs (ConnectorServiceDeps and the internal API's deps both are). */
export interface PairingRedemptionDeps {
  readonly temporal: Client;
  readonly tokens: Pick<OneTimeTokenRepository, 'findByHashGlobal'>;
  readonly requestTimeoutMs: number;
}

const INVALID_TOKEN = () => new UnauthorizedError('invalid or expired token');

/**
 * Redeems a pairing token through its pairing workflow's redeem step (the single writer of the
 * token's lifecycle), which hands out a new CSR token. Throws `UnauthorizedError` when the token
 * is missing, unknown, not a pairing token or expired by `now()` (read after the lookup); the
 * redeem update's own failures (used concurrently, pairing ended) propagate as Temporal errors.
 */
export async function redeemPairingToken(
  deps: PairingRedemptionDeps,
  token: string | undefined,
  now: () => number = () => Date.now(),
): Promise<RedeemedPairingToken> {
  const record = await findToken(deps.tokens, token, TokenPurpose.PAIRING, now);
  const csr = newOneTimeToken();
  const { clientId } = await redeemPairing(deps, record.workflowId, csr.hash);
  return { clientId, csrToken: csr.token };
}

/** The stored token `token` names, if it has `purpose` and has not expired; else Unauthorized. */
async function findToken(
  tokens: Pick<OneTimeTokenRepository, 'findByHashGlobal'>,
  token: string | undefined,
  purpose: TokenPurpose,
  now: () => number,
) {
  if (!token) throw new UnauthorizedError('a one-time token is required');
  const record = await tokens.findByHashGlobal(hashToken(token));
  if (!record || record.purpose !== purpose || Date.parse(record.expiresAt) <= now()) throw INVALID_TOKEN();
  return record;
}

/**
 * The Connector: one-time tokens start a pairing workflow; `configuration` redeems a pairing
 * token for a CSR token; `signCertificateSigningRequest` exchanges the CSR token and a CSR for
 * a client certificate. Every step goes through the pairing workflow, the single writer of
 * the token's lifecycle.
 */
export class ConnectorService {
  constructor(private readonly deps: ConnectorServiceDeps) {}

  /** Creates a system identity for the object and a pairing token for it. */
  async requestOneTimeToken(tenantId: string, kind: SystemAuthKind, objectId: string): Promise<OneTimeToken> {
    const clientId = randomUUID();
    await this.deps.systemAuths.put({
      id: clientId,
      tenantId,
      kind,
      referenceObjectId: objectId,
      createdAt: new Date().toISOString(),
    });
    return this.startPairing({ tenantId, clientId, kind, objectId });
  }

  /**
   * Starts a pairing of `clientId` and returns its token; the certificate it ends with has the
   * client ID as CN. Nothing checks that a SystemAuth or an object exists: without a SystemAuth
   * of that ID in that tenant, the certificate authenticates nothing in the Director.
   */
  async startPairing(client: PairedClient): Promise<OneTimeToken> {
    const { tenantId, clientId, kind, objectId } = client;
    const { token, hash } = newOneTimeToken();
    await issuePairingToken(this.deps, {
      tenantId,
      clientId,
      tokenId: randomUUID(),
      tokenHash: hash,
      kind,
      objectId,
      tokenTtlMs: this.deps.settings.tokenTtlMs[kind],
      csrTokenTtlMs: this.deps.settings.csrTokenTtlMs,
      connectWindowMs: this.deps.settings.connectWindowMs,
      certificateGraceMs: this.deps.settings.certificateGraceMs,
    });
    const connectorURL = this.deps.settings.connectorUrl;
    const raw = JSON.stringify({ token, connectorURL });
    return {
      token,
      connectorURL,
      legacyConnectorURL: `${connectorURL}?token=${encodeURIComponent(token)}`,
      raw,
      rawEncoded: Buffer.from(raw, 'utf8').toString('base64'),
    };
  }

  /** Redeems a pairing token: returns the CSR subject and a new CSR token. */
  async configuration(token: string | undefined): Promise<ConnectorConfiguration> {
    const redeemed = await this.redeemPairingToken(token);
    return {
      token: { token: redeemed.csrToken },
      certificateSigningRequestInfo: {
        subject: this.subjectFor(redeemed.clientId),
        keyAlgorithm: 'rsa2048',
        renewalRequired: null,
      },
      managementPlaneInfo: this.managementPlaneInfo(),
    };
  }

  /** Redeems a pairing token for a new CSR token (see {@link redeemPairingToken}). */
  redeemPairingToken(token: string | undefined): Promise<RedeemedPairingToken> {
    return redeemPairingToken(this.deps, token);
  }

  /** Renewal's first step: the subject to put in the CSR, and whether renewal is due. */
  async configurationForCertificate(caller: CertificateCaller): Promise<ConnectorConfiguration> {
    const record = await this.deps.certificates.getByHashGlobal(caller.certificateHash);
    return {
      token: null,
      certificateSigningRequestInfo: {
        subject: this.subjectFor(caller.clientId),
        keyAlgorithm: 'rsa2048',
        renewalRequired: record?.renewalRequiredAt !== undefined,
      },
      managementPlaneInfo: this.managementPlaneInfo(),
    };
  }

  /** Signs a renewal CSR through the client's certificate workflow (CN must be the client's). */
  renew(caller: CertificateCaller, csr: string): Promise<CertificationResult> {
    return renewCertificate(this.deps, caller.tenantId, caller.clientId, {
      presentedHash: caller.certificateHash,
      csr,
    });
  }

  /** Revokes the presented certificate through the client's certificate workflow. */
  async revoke(caller: CertificateCaller): Promise<boolean> {
    const revoked = await revokeCertificate(this.deps, caller.tenantId, caller.clientId, {
      presentedHash: caller.certificateHash,
    });
    this.deps.certificateCache?.forget(caller.certificateHash);
    return revoked;
  }

  /**
   * Exchanges a CSR token and a CSR (base64 PEM) for a client certificate, through the pairing,
   * which hands the certificate to the client's certificate workflow (renewal, revocation).
   */
  async signCsr(token: string | undefined, csr: string): Promise<CertificationResult> {
    const record = await findToken(this.deps.tokens, token, TokenPurpose.CSR, () => Date.now());
    return signPairingCsr(this.deps, record.workflowId, { csrTokenHash: record.hash, csr });
  }

  private managementPlaneInfo() {
    return {
      directorURL: this.deps.settings.certificateSecuredDirectorUrl,
      certificateSecuredConnectorURL: this.deps.settings.certificateSecuredConnectorUrl,
    };
  }

  /** The subject a client's CSR must carry, in Compass's order. */
  private subjectFor(clientId: string): string {
    const { O, OU, L, ST, C } = this.deps.settings.subject;
    const parts = { O, OU, L, ST, C, CN: clientId };
    return Object.entries(parts)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  }
}
