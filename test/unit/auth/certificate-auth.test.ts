import { createHash } from 'node:crypto';
import { CertificateAuthenticator, checkTenantHeader } from '../../../api/auth/certificate-auth';
import { defaultScopesFor } from '../../../api/auth/scopes';
import { certificateWorkflowId, parseCertificateWorkflowId } from '../../../domain/ids';
import type { SystemAuth } from '../../../domain/system-auth';
import type { IssuedCertificateRecord } from '../../../store/certificates';

const raw = Buffer.from('certificate-der');
const hash = createHash('sha256').update(raw).digest('hex');
const NOW = Date.parse('2030-01-01T00:00:00Z');

function fixRecord(overrides: Partial<IssuedCertificateRecord> = {}): IssuedCertificateRecord {
  return {
    hash,
    tenantId: 't-1',
    clientId: 'client-1',
    serialHex: '01',
    notAfter: '2030-01-02T00:00:00.000Z',
    issuedAt: '2029-12-31T00:00:00.000Z',
    ...overrides,
  };
}

function fixAuth(overrides: Partial<SystemAuth> = {}): SystemAuth {
  return {
    id: 'client-1',
    tenantId: 't-1',
    kind: 'RUNTIME',
    referenceObjectId: 'rt-1',
    createdAt: '2029-12-31T00:00:00.000Z',
    ...overrides,
  };
}

function fixAuthenticator(record?: IssuedCertificateRecord, auth?: SystemAuth) {
  return new CertificateAuthenticator({
    certificates: { getByHashGlobal: async (h) => (h === record?.hash ? record : undefined) },
    systemAuths: { getGlobal: async (id) => (id === auth?.id ? auth : undefined) },
    now: () => NOW,
  });
}

const UNAUTHORIZED = expect.objectContaining({ name: 'Unauthorized', code: 26 });

describe('CertificateAuthenticator', () => {
  it('maps an issued certificate to its system, tenant and default scopes', async () => {
    const identity = await fixAuthenticator(fixRecord(), fixAuth()).authenticate({
      raw,
      commonName: 'client-1',
    });
    expect(identity).toEqual({
      kind: 'RUNTIME',
      consumerId: 'rt-1',
      tenant: 't-1',
      scopes: defaultScopesFor('RUNTIME'),
      via: 'certificate',
      clientId: 'client-1',
      certificateHash: hash,
    });
  });

  it.each([
    ['unknown', undefined, fixAuth(), 'client-1'],
    ['revoked', fixRecord({ revokedAt: '2029-12-31T12:00:00.000Z' }), fixAuth(), 'client-1'],
    ['expired', fixRecord({ notAfter: '2029-12-31T23:59:59.000Z' }), fixAuth(), 'client-1'],
    ['with another CN', fixRecord(), fixAuth(), 'client-2'],
    ['without a system auth', fixRecord(), undefined, 'client-1'],
    ['of another tenant', fixRecord(), fixAuth({ tenantId: 't-2' }), 'client-1'],
  ])('refuses a certificate %s with Unauthorized', async (_, record, auth, commonName) => {
    await expect(fixAuthenticator(record, auth).authenticate({ raw, commonName })).rejects.toEqual(
      UNAUTHORIZED,
    );
  });

  it('refuses a Tenant header naming another tenant, and accepts the same or none', async () => {
    const identity = await fixAuthenticator(fixRecord(), fixAuth()).authenticate({
      raw,
      commonName: 'client-1',
    });
    expect(() => checkTenantHeader(identity, 't-2')).toThrow(UNAUTHORIZED);
    expect(() => checkTenantHeader(identity, 't-1')).not.toThrow();
    expect(() => checkTenantHeader(identity, undefined)).not.toThrow();
  });
});

describe('certificate workflow IDs', () => {
  it('round-trips and rejects other shapes', () => {
    const id = certificateWorkflowId('t-1', 'client-1');
    expect(id).toBe('certificate/t-1/client-1');
    expect(parseCertificateWorkflowId(id)).toEqual({ tenantId: 't-1', clientId: 'client-1' });
    expect(parseCertificateWorkflowId('pairing/t-1/client-1')).toBeUndefined();
    expect(parseCertificateWorkflowId('certificate/t-1/client-1/x')).toBeUndefined();
    expect(() => certificateWorkflowId('t/1', 'c')).toThrow(TypeError);
  });
});
