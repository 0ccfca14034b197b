import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { issueClientCertificate, loadOrCreateCa, parseCsr } from '../../pki';
import { CertificateRepository } from '../../store/certificates';
import { SystemAuthRepository } from '../../store/system-auths';
import { UNAUTHORIZED } from '../fixtures/errors';
import { fixTempDir } from '../unit/pki/fixtures';
import { eventually, fixTenant, startStack, type Stack } from './harness';
import {
  commonNameOf,
  credentialsOf,
  fixCsr,
  fixPairedApplication,
  type FixPairedClient,
  mtlsGql,
  renewOverMtls,
} from './mtls-client';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const derOf = (pem: string) => new X509Certificate(pem).raw;

const VIEWER_AND_APPS = `{ viewer { id type } applications { data { id name status { condition } } } }`;

async function pairingPhase(client: FixPairedClient): Promise<string | undefined> {
  for await (const wf of stack.client.workflow.list({
    query: `TenantId = "${client.tenant}" AND WorkflowType = "pairingWorkflow"`,
  })) {
    const handle = stack.client.workflow.getHandle(wf.workflowId);
    const described = await handle.describe();
    if (described.status.name !== 'COMPLETED') return undefined;
    return (await handle.result()) as string;
  }
  return undefined;
}

describe('the mTLS listener', () => {
  it('serves the Director for the certificate tenant only, and the first call completes the pairing', async () => {
    const client = await fixPairedApplication(stack, fixTenant());
    const other = fixTenant();
    await stack.gql(`mutation { registerApplication(in: { name: "foreign" }) { id } }`, {}, other);

    const res = await mtlsGql(stack, 'director', credentialsOf(client), VIEWER_AND_APPS);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({
      viewer: { id: client.appId, type: 'APPLICATION' },
      applications: {
        data: [{ id: client.appId, name: expect.stringMatching(/^paired-/), status: expect.any(Object) }],
      },
    });

    expect(await eventually(() => pairingPhase(client), 'the pairing to complete')).toBe('connected');
    await eventually(async () => {
      const app = await stack.gql<{ application: { status: { condition: string } } }>(
        `query($id: ID!) { application(id: $id) { status { condition } } }`,
        { id: client.appId },
        client.tenant,
      );
      return app.body.data?.application.status.condition === 'CONNECTED' ? true : undefined;
    }, 'the application to become CONNECTED');
  });

  it('refuses a Tenant header naming another tenant than the certificate', async () => {
    const client = await fixPairedApplication(stack, fixTenant());
    const res = await mtlsGql(
      stack,
      'director',
      credentialsOf(client),
      VIEWER_AND_APPS,
      {},
      {
        tenant: fixTenant(),
      },
    );
    expect(res.status).toBe(401);
    expect(res.body.errors).toEqual([expect.objectContaining({ extensions: UNAUTHORIZED })]);
    expect(res.body.data).toBeUndefined();
    const same = await mtlsGql(
      stack,
      'director',
      credentialsOf(client),
      `{ viewer { id } }`,
      {},
      {
        tenant: client.tenant,
      },
    );
    expect(same.body).toEqual({ data: { viewer: { id: client.appId } } });
  });

  it('refuses TLS without a client certificate and with one from a foreign CA', async () => {
    const client = await fixPairedApplication(stack, fixTenant());
    await expect(mtlsGql(stack, 'director', { ca: client.caPem }, `{ viewer { id } }`)).rejects.toThrow();

    const temp = fixTempDir();
    try {
      const foreignCa = await loadOrCreateCa({ dir: temp.dir });
      const { keys, csr } = fixCsr(client.subject);
      const { CN, ...rest } = client.subject;
      const foreign = await issueClientCertificate(foreignCa, parseCsr(csr, { ...rest, CN: CN! }), {
        validityMs: 3_600_000,
      });
      const credentials = {
        cert: foreign.certificatePem,
        key: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        ca: client.caPem,
      };
      await expect(mtlsGql(stack, 'director', credentials, `{ viewer { id } }`)).rejects.toThrow();
    } finally {
      temp.remove();
    }
  });

  it('ignores forged identity headers on the plain HTTP listener', async () => {
    const client = await fixPairedApplication(stack, fixTenant());
    const res = await fetch(`${stack.url}/connector/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'client-id-from-certificate': client.clientId,
        'client-certificate-hash': 'a'.repeat(64),
        'x-forwarded-client-cert': `Hash=${'a'.repeat(64)};Subject="CN=${client.clientId}"`,
      },
      body: JSON.stringify({ query: 'mutation { revokeCertificate }' }),
    });
    const body = (await res.json()) as { errors?: Array<{ extensions?: unknown }> };
    expect(body.errors).toEqual([expect.objectContaining({ extensions: UNAUTHORIZED })]);
    // the certificate still works: nothing was revoked
    const still = await mtlsGql(stack, 'director', credentialsOf(client), `{ viewer { id } }`);
    expect(still.body).toEqual({ data: { viewer: { id: client.appId } } });
  });

  it('renews over mTLS, then revokes: the revoked certificate is refused everywhere', async () => {
    const client = await fixPairedApplication(stack, fixTenant());
    const config = await mtlsGql<{
      configuration: {
        token: unknown;
        certificateSigningRequestInfo: { subject: string; keyAlgorithm: string; renewalRequired: boolean };
      };
    }>(
      stack,
      'connector',
      credentialsOf(client),
      `{ configuration { token { token } certificateSigningRequestInfo { subject keyAlgorithm renewalRequired } } }`,
    );
    expect(config.body.errors).toBeUndefined();
    expect(config.body.data!.configuration).toEqual({
      token: null,
      certificateSigningRequestInfo: {
        subject: expect.stringContaining(`CN=${client.clientId}`),
        keyAlgorithm: 'rsa2048',
        renewalRequired: false,
      },
    });

    const wrongCn = await mtlsGql(
      stack,
      'connector',
      credentialsOf(client),
      `mutation($csr: String!) { signCertificateSigningRequest(csr: $csr) { clientCertificate } }`,
      { csr: fixCsr({ ...client.subject, CN: randomUUID() }).csr },
    );
    expect(wrongCn.body.errors).toEqual([
      expect.objectContaining({ extensions: { error: 'InvalidData', error_code: 22 } }),
    ]);

    const renewal = await eventually(async () => {
      const r = await renewOverMtls(stack, client, credentialsOf(client));
      return r.renewed ? r : undefined;
    }, 'the certificate workflow to accept a renewal');
    const renewed = renewal.renewed!;
    expect(commonNameOf(renewed.certificatePem)).toBe(client.clientId);
    expect(renewed.certificatePem).not.toEqual(client.certificatePem);
    const fresh = { cert: renewed.certificatePem, key: renewed.keyPem, ca: client.caPem };
    expect((await mtlsGql(stack, 'director', fresh, `{ viewer { id } }`)).body).toEqual({
      data: { viewer: { id: client.appId } },
    });

    const revoked = await mtlsGql(stack, 'connector', fresh, 'mutation { revokeCertificate }');
    expect(revoked.body).toEqual({ data: { revokeCertificate: true } });
    for (const [api, query] of [
      ['director', '{ viewer { id } }'],
      ['connector', '{ configuration { certificateSigningRequestInfo { subject } } }'],
      ['connector', 'mutation { revokeCertificate }'],
    ] as const) {
      const refused = await mtlsGql(stack, api, fresh, query);
      expect(refused.status).toBe(401);
      expect(refused.body.errors).toEqual([expect.objectContaining({ extensions: UNAUTHORIZED })]);
    }
    const renewAgain = await renewOverMtls(stack, client, fresh);
    expect(renewAgain.status).toBe(401);
    expect(renewAgain.renewed).toBeUndefined();
  });

  it('refuses a certificate revoked by another process once the revocation feed is read, and the certificates of a deleted SystemAuth', async () => {
    const client = await fixPairedApplication(stack, fixTenant());
    const viewer = () => mtlsGql(stack, 'director', credentialsOf(client), `{ viewer { id } }`);
    expect((await viewer()).body).toEqual({ data: { viewer: { id: client.appId } } });
    // Another gateway or the worker revokes: only the store changes, this gateway is not told.
    const certificates = new CertificateRepository(stack.mongo.db);
    await certificates.revoke(
      createHash('sha256').update(derOf(client.certificatePem)).digest('hex'),
      new Date().toISOString(),
    );
    const refused = await eventually(async () => {
      const res = await viewer();
      return res.status === 401 ? res : undefined;
    }, 'the revocation to reach the mTLS listener');
    expect(refused.body.errors).toEqual([expect.objectContaining({ extensions: UNAUTHORIZED })]);

    const other = await fixPairedApplication(stack, fixTenant());
    expect((await mtlsGql(stack, 'director', credentialsOf(other), `{ viewer { id } }`)).status).toBe(200);
    await new SystemAuthRepository(stack.mongo.db).delete(other.tenant, other.clientId);
    const [record] = await stack.mongo.db
      .collection('certificates')
      .find({ clientId: other.clientId })
      .toArray();
    expect(record?.revokedAt).toEqual(expect.any(String));
    await eventually(async () => {
      const res = await mtlsGql(stack, 'director', credentialsOf(other), `{ viewer { id } }`);
      return res.status === 401 ? true : undefined;
    }, 'the deleted SystemAuth to be refused');
  });
});
