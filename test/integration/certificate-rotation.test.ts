import { X509Certificate } from 'node:crypto';
import { certificateWorkflowId } from '../../domain/ids';
import { certificateHash } from '../../pki';
import { CertificateRepository } from '../../store/certificates';
import { getCertificatesQuery } from '../../workflows/certificate/messages';
import { eventually, fixTenant, startStack, type Stack } from './harness';
import { credentialsOf, fixPairedApplication, mtlsGql, renewOverMtls } from './mtls-client';

const VALIDITY_MS = 12_000;
const GRACE_MS = 2_000;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ certificateValidityMs: VALIDITY_MS, certificateGraceMs: GRACE_MS });
});
afterAll(async () => {
  await stack?.close();
});

const RENEWAL = `{ configuration { certificateSigningRequestInfo { renewalRequired } } }`;

describe('certificate rotation', () => {
  it('marks renewal when 30% of the validity remains, renews, and revokes the old certificate after the grace period', async () => {
    const client = await fixPairedApplication(stack, fixTenant());
    const certificates = new CertificateRepository(stack.mongo.db);
    const oldHash = certificateHash(client.certificatePem);
    const issued = Date.parse(new X509Certificate(client.certificatePem).validTo);

    const first = await mtlsGql<{
      configuration: { certificateSigningRequestInfo: { renewalRequired: boolean } };
    }>(stack, 'connector', credentialsOf(client), RENEWAL);
    expect(first.body.data?.configuration.certificateSigningRequestInfo.renewalRequired).toBe(false);

    await eventually(
      async () => {
        const res = await mtlsGql<{
          configuration: { certificateSigningRequestInfo: { renewalRequired: boolean } };
        }>(stack, 'connector', credentialsOf(client), RENEWAL);
        return res.body.data?.configuration.certificateSigningRequestInfo.renewalRequired ? true : undefined;
      },
      'the certificate workflow to ask for renewal',
      VALIDITY_MS,
    );
    const marked = await certificates.getByHashGlobal(oldHash);
    expect(Date.parse(marked!.renewalRequiredAt!)).toBeLessThan(issued);

    const renewal = await renewOverMtls(stack, client, credentialsOf(client));
    expect(renewal.body.errors).toBeUndefined();
    const renewed = renewal.renewed!;
    const newHash = certificateHash(renewed.certificatePem);
    const fresh = { cert: renewed.certificatePem, key: renewed.keyPem, ca: client.caPem };
    const afterRenewal = await mtlsGql<{
      configuration: { certificateSigningRequestInfo: { renewalRequired: boolean } };
    }>(stack, 'connector', fresh, RENEWAL);
    expect(afterRenewal.body.data?.configuration.certificateSigningRequestInfo.renewalRequired).toBe(false);

    const handle = stack.client.workflow.getHandle(certificateWorkflowId(client.tenant, client.clientId));
    const state = await handle.query(getCertificatesQuery);
    expect(state).toMatchObject({
      current: { hash: newHash },
      renewalRequired: false,
      superseded: [{ hash: oldHash, revokeAt: expect.any(String) }],
      revoked: false,
    });

    const revoked = await eventually(
      async () => (await certificates.getByHashGlobal(oldHash))?.revokedAt,
      'the superseded certificate to be revoked',
      VALIDITY_MS,
    );
    // revoked by the workflow after the grace period, before the certificate expired
    expect(Date.parse(revoked)).toBeLessThan(issued);
    expect(Date.parse(revoked)).toBeGreaterThanOrEqual(Date.parse(state.superseded[0]!.revokeAt) - 50);
    expect((await certificates.getByHashGlobal(newHash))?.revokedAt).toBeUndefined();
    expect((await mtlsGql(stack, 'director', fresh, `{ viewer { id } }`)).body).toEqual({
      data: { viewer: { id: client.appId } },
    });
  });
});
