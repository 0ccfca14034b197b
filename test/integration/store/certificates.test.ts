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
