import { X509Certificate } from 'node:crypto';
import pino from 'pino';
import { hashToken } from '../../api/connector/tokens';
import { CERTIFICATES } from '../../store/certificates';
import { OneTimeTokenRepository } from '../../store/one-time-tokens';
import { getPairingQuery } from '../../workflows/pairing/messages';
import { UNAUTHORIZED } from '../fixtures/errors';
import {
  fixAttributes,
  fixCsrBase64,
  fixCsrPem,
  fixRsaKeyPair,
  fixTamperedCsrPem,
} from '../unit/pki/fixtures';
import { eventually, fixTenant, startStack, type Stack } from './harness';
import { credentialsOf, fixCsr, fixPairedApplication, mtlsGql, subjectOf } from './mtls-client';

/**
 * Bad input and attacks not covered by pairing, mtls and authentication tests: each asserts
 * a clear error and that nothing changed.
 */

const INVALID = { error: 'InvalidData', error_code: 22 };
const CONFIGURATION = `{ configuration { token { token } certificateSigningRequestInfo { subject } } }`;
const SIGN = `mutation($csr: String!) { signCertificateSigningRequest(csr: $csr) { clientCertificate caCertificate } }`;

interface GqlBody<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}
type Configuration = {
  configuration: { token: { token: string }; certificateSigningRequestInfo: { subject: string } };
};

async function connector<T>(stack: Stack, query: string, token: string, variables = {}): Promise<GqlBody<T>> {
  const res = await fetch(`${stack.url}/connector/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'connector-token': token },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GqlBody<T>;
}

async function registerApp(stack: Stack, tenant: string, name = 'target'): Promise<string> {
  const res = await stack.gql<{ registerApplication: { id: string } }>(
    `mutation($name: String!) { registerApplication(in: { name: $name }) { id } }`,
    { name },
    tenant,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.registerApplication.id;
}

/** A new pairing token for a new application; `workflowId` is its pairing. */
async function issued(stack: Stack, tenant = fixTenant()) {
  const appId = await registerApp(stack, tenant);
  const res = await stack.gql<{ requestOneTimeTokenForApplication: { token: string } }>(
    `mutation($id: ID!) { requestOneTimeTokenForApplication(id: $id) { token } }`,
    { id: appId },
    tenant,
  );
  expect(res.body.errors).toBeUndefined();
  const token = res.body.data!.requestOneTimeTokenForApplication.token;
  const record = await new OneTimeTokenRepository(stack.mongo.db).findByHashGlobal(hashToken(token));
  return { tenant, appId, token, workflowId: record!.workflowId, clientId: record!.clientId };
}

/** A pairing whose token was redeemed: the CSR token and the subject to sign. */
async function redeemed(stack: Stack) {
  const pairing = await issued(stack);
  const config = await connector<Configuration>(stack, CONFIGURATION, pairing.token);
  expect(config.errors).toBeUndefined();
  return {
    ...pairing,
    csrToken: config.data!.configuration.token.token,
    subject: subjectOf(config.data!.configuration.certificateSigningRequestInfo.subject),
  };
}

/** What an attack must leave untouched: no certificate for the client, its pairing phase, the app's status. */
async function snapshot(
  stack: Stack,
  p: { tenant: string; appId: string; clientId: string; workflowId: string },
) {
  const certificates = await stack.mongo.db.collection(CERTIFICATES).countDocuments({ clientId: p.clientId });
  const handle = stack.client.workflow.getHandle(p.workflowId);
  const described = await handle.describe();
  const phase =
    described.status.name === 'RUNNING' ? (await handle.query(getPairingQuery)).phase : await handle.result();
  const app = await stack.gql<{ application: { status: { condition: string } } }>(
    `query($id: ID!) { application(id: $id) { status { condition } } }`,
    { id: p.appId },
    p.tenant,
  );
  return { certificates, phase, condition: app.body.data?.application.status.condition };
}

describe('attacks on a stack whose logs are captured', () => {
  const lines: string[] = [];
  let stack: Stack;
  beforeAll(async () => {
    const log = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
    stack = await startStack({ log });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("a token issued for app X yields a certificate acting as X in X's tenant only", async () => {
    const tenantA = fixTenant();
    const tenantB = fixTenant();
    const other = await registerApp(stack, tenantB, 'other-tenant-app');
    const sibling = await registerApp(stack, tenantA, 'sibling');
    const client = await fixPairedApplication(stack, tenantA);
    const before = await stack.gql(
      `query($id: ID!) { application(id: $id) { name status { condition } } }`,
      {
        id: other,
      },
      tenantB,
    );

    const viewer = await mtlsGql<{ viewer: { id: string; type: string } }>(
      stack,
      'director',
      credentialsOf(client),
      `{ viewer { id type } }`,
    );
    expect(viewer.body).toEqual({ data: { viewer: { id: client.appId, type: 'APPLICATION' } } });
    // another tenant's application is invisible: named by ID it does not exist
    const foreign = await mtlsGql(
      stack,
      'director',
      credentialsOf(client),
      `query($id: ID!) { application(id: $id) { id } }`,
      {
        id: other,
      },
    );
    expect(foreign.body.data?.application ?? null).toBeNull();
    // and the Tenant header cannot switch to it
    const switched = await mtlsGql(
      stack,
      'director',
      credentialsOf(client),
      `{ viewer { id } }`,
      {},
      { tenant: tenantB },
    );
    expect(switched.status).toBe(401);
    expect(switched.body.errors).toEqual([expect.objectContaining({ extensions: UNAUTHORIZED })]);
    // even in its own tenant the certificate is X, not a sibling application
    const list = await mtlsGql<{ applications: { data: Array<{ id: string }> } }>(
      stack,
      'director',
      credentialsOf(client),
      `{ applications { data { id } } }`,
    );
    expect(list.body.data!.applications.data.map((a) => a.id)).toEqual([client.appId]);
    expect(list.body.data!.applications.data.map((a) => a.id)).not.toContain(sibling);

    const record = await stack.mongo.db.collection(CERTIFICATES).findOne({ clientId: client.clientId });
    expect(record).toMatchObject({ tenantId: tenantA });
    const after = await stack.gql(
      `query($id: ID!) { application(id: $id) { name status { condition } } }`,
      {
        id: other,
      },
      tenantB,
    );
    expect(after.body).toEqual(before.body);
  });

  const badCsrs: Array<[string, (subject: Record<string, string>) => string, string]> = [
    [
      'a wrong subject attribute (O)',
      (subject) => fixCsr({ ...subject, O: 'Evil Corp' }).csr,
      'CSR: Invalid organization provided.',
    ],
    [
      'a bad signature',
      (subject) =>
        fixCsrBase64(
          fixTamperedCsrPem(fixCsrPem(fixRsaKeyPair(), fixAttributes(subject)), (der) => der.length - 8),
        ),
      'CSR: Invalid signature.',
    ],
    [
      'a 1024-bit key',
      (subject) => fixCsr(subject, fixRsaKeyPair(1024)).csr,
      'CSR: RSA key must have at least 2048 bits.',
    ],
    ['garbage', () => 'this is not a CSR!', 'CSR: Not valid base64.'],
    [
      'base64 of something else',
      () => Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n').toString('base64'),
      'CSR: Expected base64 of one PEM certificate request.',
    ],
    [
      'an oversize CSR (> 16 KiB)',
      () => 'A'.repeat(16 * 1024 + 4),
      'CSR: Request is longer than 16384 characters.',
    ],
  ];

  it.each(badCsrs)('refuses a CSR with %s via the API, and nothing changes', async (_what, make, message) => {
    const pairing = await redeemed(stack);
    const before = await snapshot(stack, pairing);
    expect(before).toMatchObject({ certificates: 0, phase: 'redeemed' });

    const res = await connector(stack, SIGN, pairing.csrToken, { csr: make(pairing.subject) });
    expect(res.errors).toEqual([expect.objectContaining({ message, extensions: INVALID })]);
    expect(res.data ?? null).toBeNull();
    expect(await snapshot(stack, pairing)).toEqual(before);
    // the CSR token still works for a correct CSR (a rejected CSR may be retried)
    const right = await connector(stack, SIGN, pairing.csrToken, { csr: fixCsr(pairing.subject).csr });
    expect(right.errors).toBeUndefined();
  });

  it('never logs tokens, private keys or client secrets, even at trace level', async () => {
    const { tenant, appId, token, clientId } = await issued(stack);
    const config = await connector<Configuration>(stack, CONFIGURATION, token);
    const csrToken = config.data!.configuration.token.token;
    const keys = fixRsaKeyPair();
    const privateKeyPem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const signed = await connector<{
      signCertificateSigningRequest: { clientCertificate: string; caCertificate: string };
    }>(stack, SIGN, csrToken, {
      csr: fixCsr(subjectOf(config.data!.configuration.certificateSigningRequestInfo.subject), keys).csr,
    });
    expect(signed.errors).toBeUndefined();
    const pem = (b64: string) => Buffer.from(b64, 'base64').toString();
    const credentials = {
      cert: pem(signed.data!.signCertificateSigningRequest.clientCertificate),
      key: privateKeyPem,
      ca: pem(signed.data!.signCertificateSigningRequest.caCertificate),
    };
    expect(new X509Certificate(credentials.cert).subject).toContain(`CN=${clientId}`);
    const viewer = await mtlsGql(stack, 'director', credentials, `{ viewer { id } }`);
    expect(viewer.body).toEqual({ data: { viewer: { id: appId } } });
    // failed attempts with the used tokens log too
    expect((await connector(stack, CONFIGURATION, token)).errors).toBeDefined();
    expect((await connector(stack, SIGN, csrToken, { csr: 'x' })).errors).toBeDefined();

    // client credentials (OAuth): the secret is shown once and used at the token endpoint
    const creds = await stack.gql<{
      requestClientCredentialsForApplication: {
        auth: { credential: { clientId: string; clientSecret: string; url: string } };
      };
    }>(
      `mutation($id: ID!) { requestClientCredentialsForApplication(id: $id) {
        auth { credential { ... on OAuthCredentialData { clientId clientSecret url } } } } }`,
      { id: appId },
      tenant,
    );
    expect(creds.body.errors).toBeUndefined();
    const secret = creds.body.data!.requestClientCredentialsForApplication.auth.credential;
    const grant = await fetch(secret.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: secret.clientId,
        client_secret: secret.clientSecret,
      }).toString(),
    });
    expect(grant.status).toBe(200);
    const accessToken = ((await grant.json()) as { access_token: string }).access_token;

    const text = lines.join('');
    expect(text.length).toBeGreaterThan(0);
    expect(text).toContain('gateway listening');
    for (const secretValue of [token, csrToken, secret.clientSecret, accessToken]) {
      expect(text).not.toContain(secretValue);
    }
    expect(text).not.toContain('-----BEGIN');
    expect(text).not.toContain(privateKeyPem.split('\n')[1]!);
  });
});

describe('expired one-time tokens', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ appTokenTtlSeconds: 1, csrTokenTtlSeconds: 1 });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('refuses an expired pairing token; the pairing ends expired and nothing was issued', async () => {
    const pairing = await issued(stack);
    const phase = await eventually(async () => {
      const d = await stack.client.workflow.getHandle(pairing.workflowId).describe();
      return d.status.name === 'COMPLETED'
        ? await stack.client.workflow.getHandle(pairing.workflowId).result()
        : undefined;
    }, 'the pairing to expire');
    expect(phase).toBe('expired');
    const before = await snapshot(stack, pairing);

    const res = await connector(stack, CONFIGURATION, pairing.token);
    expect(res.errors).toEqual([expect.objectContaining({ extensions: UNAUTHORIZED })]);
    expect(res.data ?? null).toBeNull();
    expect(await snapshot(stack, pairing)).toEqual(before);
    expect(before).toMatchObject({ certificates: 0, phase: 'expired' });
    expect(before.condition).not.toBe('CONNECTED');
    expect(
      await new OneTimeTokenRepository(stack.mongo.db).findByHashGlobal(hashToken(pairing.token)),
    ).toBeUndefined();
  });

  it('refuses an expired CSR token; nothing is signed', async () => {
    const pairing = await redeemed(stack);
    await eventually(async () => {
      const d = await stack.client.workflow.getHandle(pairing.workflowId).describe();
      return d.status.name === 'COMPLETED' ? true : undefined;
    }, 'the pairing to expire');
    const before = await snapshot(stack, pairing);
    expect(before).toMatchObject({ certificates: 0, phase: 'expired' });

    const res = await connector(stack, SIGN, pairing.csrToken, { csr: fixCsr(pairing.subject).csr });
    expect(res.errors).toEqual([expect.objectContaining({ extensions: UNAUTHORIZED })]);
    expect(await snapshot(stack, pairing)).toEqual(before);
    expect(
      await new OneTimeTokenRepository(stack.mongo.db).findByHashGlobal(hashToken(pairing.csrToken)),
    ).toBeUndefined();
  });
});

describe('expired client certificates', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ certificateValidityMs: 2_000 });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('refuses an expired client certificate; the application does not become CONNECTED', async () => {
    const client = await fixPairedApplication(stack, fixTenant());
    const notAfter = Date.parse(new X509Certificate(client.certificatePem).validTo);
    await eventually(
      async () => (Date.now() > notAfter + 1_000 ? true : undefined),
      'the certificate to expire',
      10_000,
    );
    const status = async () =>
      (
        await stack.gql<{ application: { status: { condition: string } } }>(
          `query($id: ID!) { application(id: $id) { status { condition } } }`,
          { id: client.appId },
          client.tenant,
        )
      ).body.data?.application.status.condition;
    const before = await status();
    expect(before).not.toBe('CONNECTED');

    // TLS refuses it (certificate expired) or, had it got through, the gateway answers 401;
    // renewing with it is refused the same way
    for (const [api, query, variables] of [
      ['director', `{ viewer { id } }`, {}],
      ['connector', SIGN, { csr: fixCsr(client.subject).csr }],
    ] as const) {
      // errors from node's TLS are of another realm than jest's Error: tell them by shape
      const outcome = await mtlsGql(stack, api, credentialsOf(client), query, variables).then(
        (res) => ({ res }),
        (err: { message?: string; code?: string }) => ({ err }),
      );
      if ('err' in outcome) {
        expect(`${outcome.err.code} ${outcome.err.message}`).toMatch(
          /expired|alert|socket hang up|ECONNRESET/i,
        );
      } else {
        expect(outcome.res.status).toBe(401);
        expect(outcome.res.body.errors).toEqual([expect.objectContaining({ extensions: UNAUTHORIZED })]);
      }
    }
    expect(await stack.mongo.db.collection(CERTIFICATES).countDocuments({ clientId: client.clientId })).toBe(
      1,
    );
    expect(await status()).toBe(before);
  });
});
