import { X509Certificate } from 'node:crypto';
import { forwardedCertificates, subjectAttributes } from '../../../api/connector/hydrators';
import { UNASSIGNED_TENANT } from '../../../api/connector/internal';
import { certificateHash } from '../../../pki';
import { CertificateRepository } from '../../../store/certificates';
import { SYSTEM_AUTHS } from '../../../store/system-auths';
import { graphqlError, UNAUTHORIZED } from '../../fixtures/errors';
import { fixTenant, okData, startStack, type Stack } from '../harness';
import { credentialsOf, fixCsr, fixPairedApplication, mtlsGql, subjectOf } from '../mtls-client';
import { fixClientCredentials } from '../oauth-client';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

async function internalGql<T>(query: string, variables: Record<string, unknown>, tenant?: string) {
  const res = await fetch(`${stack.internalConnectorUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(tenant !== undefined && { tenant }) },
    body: JSON.stringify({ query, variables }),
  });
  expect(res.status).toBeLessThan(500);
  return (await res.json()) as { data?: T | null; errors?: Array<{ message: string; extensions?: unknown }> };
}

type Kind = 'Application' | 'Runtime';

/** A one-time token from `generate<Kind>Token(authID)`, asserting success. */
async function generateToken(kind: Kind, authID: string, tenant?: string): Promise<string> {
  const op = `generate${kind}Token`;
  const res = await internalGql<Record<string, { token: string }>>(
    `mutation($id: ID!) { ${op}(authID: $id) { token } }`,
    { id: authID },
    tenant,
  );
  expect(res.errors).toBeUndefined();
  return res.data![op]!.token;
}

async function connector<T>(query: string, token: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${stack.url}/connector/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'connector-token': token },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: T | null; errors?: unknown[] };
}

/** Pairs with a token as a system would: configuration, then a CSR for the subject it names. */
async function pair(token: string) {
  const config = await connector<{
    configuration: { token: { token: string }; certificateSigningRequestInfo: { subject: string } };
  }>(`{ configuration { token { token } certificateSigningRequestInfo { subject } } }`, token);
  expect(config.errors).toBeUndefined();
  const subject = subjectOf(config.data!.configuration.certificateSigningRequestInfo.subject);
  const { keys, csr } = fixCsr(subject);
  const signed = await connector<{
    signCertificateSigningRequest: { clientCertificate: string; caCertificate: string };
  }>(
    `mutation($csr: String!) { signCertificateSigningRequest(csr: $csr) { clientCertificate caCertificate } }`,
    config.data!.configuration.token.token,
    { csr },
  );
  expect(signed.errors).toBeUndefined();
  const pem = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
  const certificatePem = pem(signed.data!.signCertificateSigningRequest.clientCertificate);
  return {
    subject,
    certificatePem,
    credentials: {
      cert: certificatePem,
      key: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      ca: pem(signed.data!.signCertificateSigningRequest.caCertificate),
    },
  };
}

function hydrate(path: string, body: string | undefined, headers: Record<string, string> = {}) {
  return fetch(`${stack.internalConnectorUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    ...(body !== undefined && { body }),
  });
}

async function session(res: Response) {
  expect(res.status).toBe(200);
  return (await res.json()) as {
    subject: string;
    extra: Record<string, unknown>;
    header: Record<string, string[]>;
  };
}

const SESSION = { subject: 'oathkeeper-subject', extra: { scope: 'x' }, header: { 'X-Other': ['kept'] } };

/** Envoy's element for a certificate: its DER hash and its RFC 4514 subject. */
function elementOf(certificatePem: string, subject?: string): string {
  const rfc4514 = new X509Certificate(certificatePem).subject.split('\n').reverse().join(',');
  return `Hash=${certificateHash(certificatePem)};Subject="${subject ?? rfc4514}";URI=`;
}

describe("the Connector's internal API as Compass's", () => {
  it('answers GET /health with 200', async () => {
    const res = await fetch(`${stack.internalConnectorUrl}/health`);
    expect(res.status).toBe(200);
  });

  it('mints a token for an ID with no object; its certificate names the ID and authenticates nothing', async () => {
    const authID = `external-${Date.now()}`;
    const token = await generateToken('Application', authID);
    const paired = await pair(token);
    expect(paired.subject.CN).toBe(authID);
    expect(new X509Certificate(paired.certificatePem).subject).toContain(`CN=${authID}`);
    const record = await new CertificateRepository(stack.mongo.db).getByHashGlobal(
      certificateHash(paired.certificatePem),
    );
    expect(record).toMatchObject({ tenantId: UNASSIGNED_TENANT, clientId: authID });
    expect(await stack.mongo.db.collection(SYSTEM_AUTHS).countDocuments({ _id: authID as never })).toBe(0);

    for (const api of ['director', 'connector'] as const) {
      const res = await mtlsGql(
        stack,
        api,
        paired.credentials,
        api === 'director' ? '{ viewer { id } }' : '{ configuration { token { token } } }',
      );
      expect(res.status).toBe(401);
      expect(res.body.errors).toEqual([expect.objectContaining({ extensions: UNAUTHORIZED })]);
    }
  });

  it('pairs a client with no object in the tenant the Tenant header names', async () => {
    const tenant = fixTenant();
    const authID = `runtime-elsewhere-${Date.now()}`;
    const paired = await pair(await generateToken('Runtime', authID, tenant));
    const record = await new CertificateRepository(stack.mongo.db).getByHashGlobal(
      certificateHash(paired.certificatePem),
    );
    expect(record).toMatchObject({ tenantId: tenant, clientId: authID });
  });

  it('pairs an existing SystemAuth named by its ID: the certificate authenticates as its object', async () => {
    const tenant = fixTenant();
    const app = await okData(
      stack,
      `mutation { registerApplication(in: { name: "by-auth-id" }) { id } }`,
      {},
      tenant,
    );
    const creds = await fixClientCredentials(stack, 'Application', app.id, tenant);
    const paired = await pair(await generateToken('Application', creds.id));
    expect(paired.subject.CN).toBe(creds.id);
    const me = await mtlsGql(stack, 'director', paired.credentials, '{ viewer { id type } }');
    expect(me.body).toEqual({ data: { viewer: { id: app.id, type: 'APPLICATION' } } });

    const wrongKind = await internalGql(
      `mutation($id: ID!) { generateRuntimeToken(authID: $id) { token } }`,
      {
        id: creds.id,
      },
    );
    expect(wrongKind.errors).toEqual(
      graphqlError(
        'The operation is not allowed [reason=authID is the SystemAuth of an application, not of a runtime]',
        'InvalidOperation',
        27,
      ),
    );
    const otherTenant = await internalGql(
      `mutation($id: ID!) { generateApplicationToken(authID: $id) { token } }`,
      { id: creds.id },
      fixTenant(),
    );
    expect(otherTenant.errors).toEqual([
      expect.objectContaining({ extensions: { error: 'InvalidOperation', error_code: 27 } }),
    ]);
  });

  it.each([['a/b'], [''], ['x'.repeat(129)]])('refuses the authID %j as InvalidData', async (authID) => {
    const res = await internalGql(`mutation($id: ID!) { generateApplicationToken(authID: $id) { token } }`, {
      id: authID,
    });
    expect(res.errors).toEqual([
      expect.objectContaining({ extensions: { error: 'InvalidData', error_code: 22 } }),
    ]);
  });
});

describe('the token hydrator (/v1/tokens/resolve)', () => {
  it('adds Client-Id-From-Token to the session for a valid token once, and consumes it', async () => {
    const authID = `hydrated-${Date.now()}`;
    const token = await generateToken('Application', authID);
    const first = await session(
      await hydrate('/v1/tokens/resolve', JSON.stringify(SESSION), { 'connector-token': token }),
    );
    expect(first).toEqual({ ...SESSION, header: { ...SESSION.header, 'Client-Id-From-Token': [authID] } });

    // A used token: the session comes back as it was, and the Connector refuses the token too.
    const again = await session(
      await hydrate('/v1/tokens/resolve', JSON.stringify(SESSION), { 'connector-token': token }),
    );
    expect(again).toEqual(SESSION);
    expect((await connector('{ configuration { token { token } } }', token)).errors).toEqual([
      expect.objectContaining({ extensions: UNAUTHORIZED }),
    ]);
  });

  it('reads ?token= and replaces a Client-Id-From-Token the session already had', async () => {
    const authID = `by-query-${Date.now()}`;
    const token = await generateToken('Runtime', authID);
    const forged = { subject: '', extra: {}, header: { 'client-id-from-token': ['forged'] } };
    const res = await session(
      await hydrate(`/v1/tokens/resolve?token=${encodeURIComponent(token)}`, JSON.stringify(forged)),
    );
    expect(res).toEqual({ subject: '', extra: {}, header: { 'Client-Id-From-Token': [authID] } });
  });

  it('answers the session unchanged for no token, an unknown token and a CSR token', async () => {
    const configured = await connector<{ configuration: { token: { token: string } } }>(
      '{ configuration { token { token } } }',
      await generateToken('Application', `csr-${Date.now()}`),
    );
    const cases: Record<string, string>[] = [
      {},
      { 'connector-token': 'x'.repeat(64) },
      { 'connector-token': configured.data!.configuration.token.token },
    ];
    for (const headers of cases) {
      expect(await session(await hydrate('/v1/tokens/resolve', JSON.stringify(SESSION), headers))).toEqual(
        SESSION,
      );
    }
    expect(await session(await hydrate('/v1/tokens/resolve', undefined))).toEqual({
      subject: '',
      extra: {},
      header: {},
    });
  });

  it('refuses a body that is not a session with 400 InvalidData', async () => {
    for (const body of ['{', '[]', '{"header":{"A":"not a list"}}', '{"subject":1}']) {
      const res = await hydrate('/v1/tokens/resolve', body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errors: unknown[] }).errors).toEqual([
        expect.objectContaining({ extensions: { error: 'InvalidData', error_code: 22 } }),
      ]);
    }
  });
});

describe('the certificate hydrator (/v1/certificate/data/resolve)', () => {
  it('adds the CN and hash of a certificate the Connector issued, however Envoy separates elements', async () => {
    const client = await fixPairedApplication(stack, fixTenant());
    const hash = certificateHash(client.certificatePem);
    const expected = {
      ...SESSION,
      header: {
        ...SESSION.header,
        'Client-Id-From-Certificate': [client.clientId],
        'Client-Certificate-Hash': [hash],
      },
    };
    const proxy = `Hash=${'b'.repeat(64)};Subject="";URI=spiffe://cluster.local/ns/istio-system/sa/gateway`;
    for (const [name, data] of [
      ['certificate-data', elementOf(client.certificatePem)],
      // Compass's own example: elements separated by ';', the proxy's own certificate after it
      [
        'certificate-data',
        `${elementOf(client.certificatePem)}spiffe://cluster.local/ns/x/sa/default;${proxy}`,
      ],
      ['certificate-data', `${proxy},${elementOf(client.certificatePem)}`],
      ['x-forwarded-client-cert', elementOf(client.certificatePem)],
    ] as const) {
      const res = await session(
        await hydrate('/v1/certificate/data/resolve', JSON.stringify(SESSION), { [name]: data }),
      );
      expect(res).toEqual(expected);
    }
  });

  it('answers the session unchanged for anything else, and for a revoked certificate', async () => {
    const client = await fixPairedApplication(stack, fixTenant());
    const subject = new X509Certificate(client.certificatePem).subject.split('\n').reverse().join(',');
    for (const data of [
      undefined,
      'garbage',
      elementOf(client.certificatePem, subject.replace(`CN=${client.clientId}`, 'CN=someone-else')),
      elementOf(client.certificatePem, subject.replace('O=Org', 'O=Other')),
      `Hash=${'a'.repeat(64)};Subject="${subject}"`,
      `Hash=${certificateHash(client.certificatePem)};Subject="${subject}";Subject="CN=x"`,
    ]) {
      const headers: Record<string, string> = data === undefined ? {} : { 'certificate-data': data };
      expect(
        await session(await hydrate('/v1/certificate/data/resolve', JSON.stringify(SESSION), headers)),
      ).toEqual(SESSION);
    }

    const revoked = await mtlsGql(
      stack,
      'connector',
      credentialsOf(client),
      'mutation { revokeCertificate }',
    );
    expect(revoked.body).toEqual({ data: { revokeCertificate: true } });
    const after = await hydrate('/v1/certificate/data/resolve', JSON.stringify(SESSION), {
      'certificate-data': elementOf(client.certificatePem),
    });
    expect(await session(after)).toEqual(SESSION);
  });

  it('reads subjects as Compass does', () => {
    expect(
      forwardedCertificates('Hash=ab12;Subject="CN=a,O=Org";URI=;Hash=cd;Subject="";URI=spiffe://x'),
    ).toEqual([
      { hash: 'ab12', subject: 'CN=a,O=Org' },
      { hash: 'cd', subject: '' },
    ]);
    expect(forwardedCertificates('Hash=ab;Subject="CN=a";Subject="CN=b"')).toEqual([]);
    expect(subjectAttributes('CN=app,OU=1+OU=2,O=Org , C=PL')).toEqual({
      CN: 'app',
      OU: '1',
      O: 'Org',
      C: 'PL',
    });
  });
});
