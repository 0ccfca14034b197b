import { X509Certificate } from 'node:crypto';
import { UNAUTHORIZED } from '../fixtures/errors';
import { fixAttributes, fixCsrBase64, fixCsrPem, fixRsaKeyPair } from '../unit/pki/fixtures';
import { eventually, fixTenant, startStack, type Stack } from './harness';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const CONFIGURATION = `{ configuration { token { token } certificateSigningRequestInfo { subject keyAlgorithm }
  managementPlaneInfo { directorURL certificateSecuredConnectorURL } } }`;
const SIGN = `mutation($csr: String!) { signCertificateSigningRequest(csr: $csr) { certificateChain caCertificate clientCertificate } }`;

interface Configuration {
  token: { token: string };
  certificateSigningRequestInfo: { subject: string; keyAlgorithm: string };
}

async function connector<T>(query: string, variables: Record<string, unknown>, token?: string) {
  const res = await fetch(`${stack.url}/connector/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token !== undefined && { 'connector-token': token }) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as {
    data?: T | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
}

async function registerApp(tenant: string): Promise<string> {
  const res = await stack.gql<{ registerApplication: { id: string } }>(
    `mutation { registerApplication(in: { name: "paired" }) { id } }`,
    {},
    tenant,
  );
  return res.body.data!.registerApplication.id;
}

async function requestToken(tenant: string, appId: string) {
  const res = await stack.gql<{ requestOneTimeTokenForApplication: Record<string, string> }>(
    `mutation($id: ID!) { requestOneTimeTokenForApplication(id: $id) { token connectorURL legacyConnectorURL raw rawEncoded } }`,
    { id: appId },
    tenant,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.requestOneTimeTokenForApplication;
}

/** Subject string `O=..,OU=..,CN=..` to the CSR subject the fixtures build. */
function subjectOf(text: string): Record<string, string> {
  return Object.fromEntries(text.split(',').map((p) => p.split('=') as [string, string]));
}

describe('pairing an application', () => {
  it('exchanges a one-time token for a client certificate, step by step in the pairing workflow', async () => {
    const tenant = fixTenant();
    const appId = await registerApp(tenant);
    const ott = await requestToken(tenant, appId);
    expect(ott).toEqual({
      token: expect.stringMatching(/^[A-Za-z0-9_-]{64}$/),
      connectorURL: `${stack.url}/connector/graphql`,
      legacyConnectorURL: `${stack.url}/connector/graphql?token=${ott.token}`,
      raw: JSON.stringify({ token: ott.token, connectorURL: `${stack.url}/connector/graphql` }),
      rawEncoded: Buffer.from(ott.raw!, 'utf8').toString('base64'),
    });

    const config = await connector<{ configuration: Configuration }>(CONFIGURATION, {}, ott.token);
    expect(config.errors).toBeUndefined();
    const info = config.data!.configuration.certificateSigningRequestInfo;
    expect(info.keyAlgorithm).toBe('rsa2048');
    const subject = subjectOf(info.subject);
    expect(subject).toMatchObject({ O: 'Org', OU: 'OrgUnit', L: 'Locality', ST: 'State', C: 'PL' });
    const clientId = subject.CN!;

    const keys = fixRsaKeyPair();
    const csr = fixCsrBase64(fixCsrPem(keys, fixAttributes(subject)));
    const signed = await connector<{ signCertificateSigningRequest: Record<string, string> }>(
      SIGN,
      { csr },
      config.data!.configuration.token.token,
    );
    expect(signed.errors).toBeUndefined();
    const pem = Buffer.from(
      signed.data!.signCertificateSigningRequest.clientCertificate!,
      'base64',
    ).toString();
    const caPem = Buffer.from(signed.data!.signCertificateSigningRequest.caCertificate!, 'base64').toString();
    const cert = new X509Certificate(pem);
    expect(cert.verify(new X509Certificate(caPem).publicKey)).toBe(true);
    expect(cert.subject).toContain(`CN=${clientId}`);

    const pairing = await eventually(async () => {
      for await (const wf of stack.client.workflow.list({
        query: `TenantId = "${tenant}" AND WorkflowType = "pairingWorkflow"`,
      })) {
        return wf;
      }
      return undefined;
    }, 'the pairing workflow');
    expect(pairing.workflowId).toMatch(new RegExp(`^pairing/${tenant}/${clientId}/`));
    const history = await stack.client.workflow.getHandle(pairing.workflowId).fetchHistory();
    const updates = (history.events ?? [])
      .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name)
      .filter(Boolean);
    expect(updates).toEqual(['issueToken', 'redeemToken', 'signCsr']);
  });

  it('refuses a token used twice, and a CSR token used as a pairing token', async () => {
    const tenant = fixTenant();
    const ott = await requestToken(tenant, await registerApp(tenant));
    const first = await connector<{ configuration: Configuration }>(CONFIGURATION, {}, ott.token);
    expect(first.errors).toBeUndefined();
    const again = await connector(CONFIGURATION, {}, ott.token);
    expect(again.errors).toEqual([expect.objectContaining({ extensions: UNAUTHORIZED })]);
    const csrToken = first.data!.configuration.token.token;
    const misuse = await connector(CONFIGURATION, {}, csrToken);
    expect(misuse.errors).toEqual([expect.objectContaining({ extensions: UNAUTHORIZED })]);
  });

  it('refuses forged and missing tokens without revealing anything', async () => {
    for (const token of [undefined, 'x'.repeat(64), '']) {
      const res = await connector(CONFIGURATION, {}, token);
      expect(res.errors).toEqual([expect.objectContaining({ extensions: UNAUTHORIZED })]);
      expect(JSON.stringify(res)).not.toContain('pairing/');
    }
  });

  it('refuses a CSR with another client ID and keeps the CSR token usable for a correct one', async () => {
    const tenant = fixTenant();
    const ott = await requestToken(tenant, await registerApp(tenant));
    const config = await connector<{ configuration: Configuration }>(CONFIGURATION, {}, ott.token);
    const subject = subjectOf(config.data!.configuration.certificateSigningRequestInfo.subject);
    const csrToken = config.data!.configuration.token.token;
    const keys = fixRsaKeyPair();

    const wrong = await connector(
      SIGN,
      { csr: fixCsrBase64(fixCsrPem(keys, fixAttributes({ ...subject, CN: 'someone-else' }))) },
      csrToken,
    );
    expect(wrong.errors).toEqual([
      expect.objectContaining({
        message: 'CSR: Invalid common name provided.',
        extensions: { error: 'InvalidData', error_code: 22 },
      }),
    ]);
    const right = await connector(
      SIGN,
      { csr: fixCsrBase64(fixCsrPem(keys, fixAttributes(subject))) },
      csrToken,
    );
    expect(right.errors).toBeUndefined();
    const reuse = await connector(
      SIGN,
      { csr: fixCsrBase64(fixCsrPem(keys, fixAttributes(subject))) },
      csrToken,
    );
    expect(reuse.errors).toEqual([expect.objectContaining({ extensions: UNAUTHORIZED })]);
  });

  it('issues tokens only for objects of the caller tenant', async () => {
    const owner = fixTenant();
    const appId = await registerApp(owner);
    const res = await stack.gql(
      `mutation($id: ID!) { requestOneTimeTokenForApplication(id: $id) { token } }`,
      { id: appId },
      fixTenant(),
    );
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message: `Object not found [object=application; ID=${appId}]`,
        extensions: { error: 'NotFound', error_code: 20 },
      }),
    ]);
  });
});
