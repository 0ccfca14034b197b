import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTrustActivities } from '../../../activities/trust';
import { loadOrCreateCa } from '../../../pki';
import { CERTIFICATES, CertificateRepository, ensureCertificateIndexes } from '../../../store/certificates';
import { connectMongo, type MongoHandle } from '../../../store/mongo';
import { testEnv } from '../harness';
import { fixCsr } from '../mtls-client';

const SUBJECT = { O: 'Org', OU: 'OrgUnit', L: 'Locality', ST: 'State', C: 'PL' };
const dir = mkdtempSync(path.join(os.tmpdir(), 'compass-certificates-'));
let mongo: MongoHandle;
let trust: ReturnType<typeof createTrustActivities>;
beforeAll(async () => {
  mongo = await connectMongo(`${testEnv('COMPASS_TEST_MONGODB_BASE')}/certs_${randomUUID().slice(0, 8)}`);
  await ensureCertificateIndexes(mongo.db);
  trust = createTrustActivities({
    tokens: { put: async () => undefined, delete: async () => undefined },
    certificates: new CertificateRepository(mongo.db),
    ca: await loadOrCreateCa({ dir }),
    subject: SUBJECT,
    certificateValidityMs: 3_600_000,
  });
});
afterAll(async () => {
  await mongo.db.dropDatabase();
  await mongo.close();
  rmSync(dir, { recursive: true, force: true });
});

const hashesOf = async (clientId: string) =>
  (await mongo.db.collection(CERTIFICATES).find({ clientId }).toArray()).map((d) => String(d._id)).sort();

describe('signing a pairing’s CSR', () => {
  it('again (its step re-run after a workflow task that never completed) leaves one certificate: the one returned last', async () => {
    const clientId = randomUUID();
    const { csr } = fixCsr({ ...SUBJECT, CN: clientId });
    const step = { tenantId: 't', clientId, csr, pairingWorkflowId: `pairing/t/${clientId}/token` };
    const first = await trust.signCertificate(step);
    const second = await trust.signCertificate(step);
    expect(second.hash).not.toBe(first.hash);
    expect(await hashesOf(clientId)).toEqual([second.hash]);
  });

  it('keeps the certificates of the client’s other pairings and renewals', async () => {
    const clientId = randomUUID();
    const { csr } = fixCsr({ ...SUBJECT, CN: clientId });
    const paired = await trust.signCertificate({
      tenantId: 't',
      clientId,
      csr,
      pairingWorkflowId: 'pairing/t/c/1',
    });
    const renewed = await trust.signCertificate({ tenantId: 't', clientId, csr });
    const again = await trust.signCertificate({
      tenantId: 't',
      clientId,
      csr,
      pairingWorkflowId: 'pairing/t/c/2',
    });
    expect(await hashesOf(clientId)).toEqual([paired.hash, renewed.hash, again.hash].sort());
  });
});

describe('the revocation feed', () => {
  const certificates = () => new CertificateRepository(mongo.db);
  const sign = async (clientId: string) => {
    const { csr } = fixCsr({ ...SUBJECT, CN: clientId });
    return trust.signCertificate({ tenantId: 't', clientId, csr });
  };

  it('carries a revoked certificate once, from the time it was revoked, and not the others', async () => {
    const revoked = await sign(randomUUID());
    const kept = await sign(randomUUID());
    const since = new Date(Date.now() - 1000).toISOString();
    await certificates().revoke(revoked.hash, new Date().toISOString());
    await certificates().revoke(revoked.hash, new Date().toISOString());
    const feed = await certificates().revokedSince(since);
    expect(feed.filter((h) => h === revoked.hash)).toHaveLength(1);
    expect(feed).not.toContain(kept.hash);
    expect(await certificates().revokedSince(new Date(Date.now() + 60_000).toISOString())).toEqual([]);
    expect((await certificates().getByHashGlobal(revoked.hash))?.revokedAt).toBeDefined();
  });

  it('carries every certificate of a client whose SystemAuth is deleted', async () => {
    const clientId = randomUUID();
    const first = await sign(clientId);
    const second = await sign(clientId);
    const since = new Date(Date.now() - 1000).toISOString();
    await certificates().revokeAllOf('t', clientId, new Date().toISOString());
    expect(await certificates().revokedSince(since)).toEqual(
      expect.arrayContaining([first.hash, second.hash]),
    );
  });

  it('drops the entries of certificates that have expired', async () => {
    const expired = await sign(randomUUID());
    await mongo.db
      .collection(CERTIFICATES)
      .updateOne(
        { _id: expired.hash as never },
        { $set: { notAfter: new Date(Date.now() - 1000).toISOString() } },
      );
    const since = new Date(Date.now() - 1000).toISOString();
    await certificates().revoke(expired.hash, new Date().toISOString());
    const live = await sign(randomUUID());
    await certificates().revoke(live.hash, new Date().toISOString());
    const feed = await certificates().revokedSince(since);
    expect(feed).toContain(live.hash);
    expect(feed).not.toContain(expired.hash);
  });
});
