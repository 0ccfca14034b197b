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
    certificates: {
      getByHashGlobal: async (h) => (h === record?.hash ? record : undefined),
      revokedSince: async () => [],
    },
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

describe('CertificateAuthenticator with a revocation feed', () => {
  const POLL_MS = 1000;

  /** A store whose certificate can be revoked or whose feed can fail; counts the reads of each call. */
  function fixStore() {
    let record: IssuedCertificateRecord = fixRecord();
    let feedDown = false;
    const reads = { certificates: 0, systemAuths: 0 };
    let now = NOW;
    const authenticator = new CertificateAuthenticator({
      certificates: {
        getByHashGlobal: async (h) => {
          reads.certificates += 1;
          return h === record.hash ? record : undefined;
        },
        revokedSince: async (since) => {
          if (feedDown) throw new Error('store unreachable');
          return record.revokedAt && record.revokedAt >= since ? [record.hash] : [];
        },
      },
      systemAuths: {
        getGlobal: async () => {
          reads.systemAuths += 1;
          return fixAuth();
        },
      },
      now: () => now,
      revocationPollMs: POLL_MS,
    });
    return {
      authenticator,
      reads,
      revoke: () => (record = { ...record, revokedAt: new Date(now).toISOString() }),
      failFeed: () => (feedDown = true),
      /** Moves the clock and lets the feed's timer run. */
      advance: async (ms: number) => {
        now += ms;
        await jest.advanceTimersByTimeAsync(ms);
      },
      call: () => authenticator.authenticate({ raw, commonName: 'client-1' }),
    };
  }

  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => jest.useRealTimers());

  it('reads the store once per certificate while the feed is fresh', async () => {
    const store = fixStore();
    await store.authenticator.start();
    await store.call();
    await store.advance(POLL_MS);
    const again = await store.call();
    expect(again.consumerId).toBe('rt-1');
    expect(store.reads).toEqual({ certificates: 1, systemAuths: 1 });
    await store.authenticator.stop();
  });

  it('refuses a certificate revoked elsewhere once the feed has been read', async () => {
    const store = fixStore();
    await store.authenticator.start();
    await store.call();
    store.revoke();
    await store.advance(POLL_MS);
    await expect(store.call()).rejects.toEqual(UNAUTHORIZED);
    expect(store.reads.certificates).toBe(2);
    await store.authenticator.stop();
  });

  it('refuses at once a certificate revoked here (forget) or of a deleted client (forgetClient)', async () => {
    const store = fixStore();
    await store.authenticator.start();
    await store.call();
    store.revoke();
    store.authenticator.forget(hash);
    await expect(store.call()).rejects.toEqual(UNAUTHORIZED);

    const other = fixStore();
    await other.authenticator.start();
    await other.call();
    other.revoke();
    other.authenticator.forgetClient('client-1');
    await expect(other.call()).rejects.toEqual(UNAUTHORIZED);
    await Promise.all([store.authenticator.stop(), other.authenticator.stop()]);
  });

  it('reads the store on every call while the feed cannot be read', async () => {
    const store = fixStore();
    await store.authenticator.start();
    await store.call();
    store.failFeed();
    await store.advance(4 * POLL_MS);
    store.revoke();
    await expect(store.call()).rejects.toEqual(UNAUTHORIZED);
    expect(store.reads.certificates).toBe(2);
    await store.authenticator.stop();
  });

  it('refuses a kept certificate once it has expired', async () => {
    const store = fixStore();
    await store.authenticator.start();
    await store.call();
    await store.advance(Date.parse(fixRecord().notAfter) - NOW);
    await expect(store.call()).rejects.toEqual(UNAUTHORIZED);
    await store.authenticator.stop();
  });

  it('keeps nothing without a feed', async () => {
    const store = fixStore();
    await store.call();
    await store.call();
    expect(store.reads.certificates).toBe(2);
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
