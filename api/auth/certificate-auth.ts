import { createHash } from 'node:crypto';
import { UnauthorizedError } from '../../domain/errors';
import { SystemAuthKind } from '../../domain/system-auth';
import type { IssuedCertificateRecord } from '../../store/certificates';
import type { SystemAuth } from '../../domain/system-auth';
import { ConsumerKind } from './identity';
import type { RequestIdentity } from './request-identity';
import { defaultScopesFor } from './scopes';

/** What the TLS layer tells about the peer: its certificate's DER and subject CN. */
export interface PresentedCertificate {
  readonly raw: Buffer;
  readonly commonName: string | undefined;
}

export interface CertificateAuthenticatorDeps {
  readonly certificates: { getByHashGlobal(hash: string): Promise<IssuedCertificateRecord | undefined> };
  readonly systemAuths: { getGlobal(clientId: string): Promise<SystemAuth | undefined> };
  readonly now?: () => number;
}

/** A certificate-authenticated caller; `certificateHash` and `clientId` are always present. */
export type CertificateIdentity = RequestIdentity & {
  readonly via: 'certificate';
  readonly clientId: string;
  readonly certificateHash: string;
  readonly tenant: string;
};

const REFUSED = () => new UnauthorizedError('the client certificate is not valid');

/**
 * Maps a client certificate the TLS layer already verified against the CA to the caller it
 * identifies: the certificate must be one the Connector issued (by hash), neither revoked nor
 * expired, and its CN must be the SystemAuth it was issued to. The SystemAuth gives the kind,
 * the object (consumer ID) and the tenant. Every refusal is the same Unauthorized (26), so a
 * caller learns nothing about why.
 */
export class CertificateAuthenticator {
  constructor(private readonly deps: CertificateAuthenticatorDeps) {}

  async authenticate(presented: PresentedCertificate): Promise<CertificateIdentity> {
    if (presented.raw.length === 0 || !presented.commonName) throw REFUSED();
    const hash = createHash('sha256').update(presented.raw).digest('hex');
    const record = await this.deps.certificates.getByHashGlobal(hash);
    const now = this.deps.now?.() ?? Date.now();
    if (!isUsableCertificate(record, presented.commonName, now)) throw REFUSED();
    const auth = await this.deps.systemAuths.getGlobal(record.clientId);
    if (!auth || auth.tenantId !== record.tenantId || auth.kind === SystemAuthKind.INTEGRATION_SYSTEM) {
      throw REFUSED();
    }
    const kind = auth.kind === SystemAuthKind.RUNTIME ? ConsumerKind.Runtime : ConsumerKind.Application;
    return {
      kind,
      consumerId: auth.referenceObjectId,
      tenant: auth.tenantId,
      scopes: defaultScopesFor(kind),
      via: 'certificate',
      clientId: auth.id,
      certificateHash: hash,
    };
  }
}

/**
 * Whether an issued certificate still identifies the client named `commonName` at `now` (ms):
 * it exists, is not revoked, has not expired (`notAfter` is exclusive) and was issued to
 * that client.
 */
export function isUsableCertificate(
  record: IssuedCertificateRecord | undefined,
  commonName: string,
  now: number,
): record is IssuedCertificateRecord {
  return (
    record !== undefined &&
    record.revokedAt === undefined &&
    !(Date.parse(record.notAfter) <= now) &&
    record.clientId === commonName
  );
}

/**
 * Applications and runtimes act in their SystemAuth's tenant. A `Tenant` header naming another
 * tenant is refused, as Compass blanks the tenant on a mismatch; an absent header is fine.
 */
export function checkTenantHeader(
  identity: CertificateIdentity,
  header: string | string[] | undefined,
): void {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (value && value !== identity.tenant) {
    throw new UnauthorizedError('the Tenant header does not match the client certificate');
  }
}
