import { X509Certificate } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import pino from 'pino';
import type { Client } from '@temporalio/client';
import { parseForwardedClientCert, parseSubject, startInternalConnector } from '../../api/connector/internal';
import { certificateHash } from '../../pki';
import { CertificateRepository } from '../../store/certificates';
import { UNAUTHORIZED } from '../fixtures/errors';
import { fixTenant, startStack, type Stack } from './harness';
import { credentialsOf, fixCsr, fixPairedApplication, mtlsGql, subjectOf } from './mtls-client';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

async function internalGql<T>(query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${stack.internalConnectorUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as {
    data?: T | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
}

async function connector<T>(query: string, token: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${stack.url}/connector/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'connector-token': token },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: T | null; errors?: Array<{ extensions?: Record<string, unknown> }> };
}

const CONFIGURATION = `{ configuration { token { token } certificateSigningRequestInfo { subject } } }`;
const SIGN = `mutation($csr: String!) { signCertificateSigningRequest(csr: $csr) { clientCertificate } }`;
type Configuration = {
  configuration: { token: { token: string }; certificateSigningRequestInfo: { subject: string } };
};

async function registerApp(tenant: string): Promise<string> {
  const res = await stack.gql<{ registerApplication: { id: string } }>(
    `mutation { registerApplication(in: { name: "internal" }) { id } }`,
    {},
    tenant,
  );
  return res.body.data!.registerApplication.id;
}

async function generateApplicationToken(appId: string): Promise<string> {
  const res = await internalGql<{ generateApplicationToken: { token: string } }>(
    `mutation($id: ID!) { generateApplicationToken(authID: $id) { token } }`,
    { id: appId },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.generateApplicationToken.token;
}

function resolveToken(query: string, headers: Record<string, string>) {
  return fetch(`${stack.internalConnectorUrl}/v1/tokens/resolve${query}`, { method: 'POST', headers });
}

function resolveCertificate(data: string | undefined) {
  return fetch(`${stack.internalConnectorUrl}/v1/certificate/data/resolve`, {
    method: 'POST',
    headers: data === undefined ? {} : { 'certificate-data': data },
  });
}

/** Envoy's XFCC element for a certificate: its DER hash and its RFC 4514 subject. */
function xfccOf(certificatePem: string, subject?: string): string {
  const rfc4514 = new X509Certificate(certificatePem).subject.split('\n').reverse().join(',');
  return `Hash=${certificateHash(certificatePem)};Subject="${subject ?? rfc4514}";URI=`;
}

describe("the Connector's internal API", () => {
  it('listens on 127.0.0.1 only, whatever HOST says', async () => {
    expect(new URL(stack.internalConnectorUrl).hostname).toBe('127.0.0.1');
    const internal = await startInternalConnector({
      port: 0,
      connector: { requestOneTimeToken: () => Promise.reject(new Error('unused')) },
      applications: { getGlobal: () => Promise.resolve(undefined) },
      runtimes: { getGlobal: () => Promise.resolve(undefined) },
      temporal: {} as Client,
      tokens: { findByHashGlobal: () => Promise.resolve(undefined) },
      certificates: { getByHashGlobal: () => Promise.resolve(undefined) },
      subject: {},
      requestTimeoutMs: 1000,
      log: pino({ level: 'silent' }),
    });
    try {
      expect(internal.address).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
      const external = Object.values(os.networkInterfaces())
        .flat()
        .find((i) => i && i.family === 'IPv4' && !i.internal);
      if (external) {
        const reached = await new Promise<boolean>((resolve) => {
          const socket = net.connect({ host: external.address, port: internal.address.port });
          socket.once('connect', () => (socket.destroy(), resolve(true)));
          socket.once('error', () => resolve(false));
        });
        expect(reached).toBe(false);
      }
    } finally {
      await internal.close();
    }
  });

  it('generateApplicationToken starts a pairing that yields a certificate for the application', async () => {
    const tenant = fixTenant();
    const appId = await registerApp(tenant);
    const token = await generateApplicationToken(appId);
    expect(token).toMatch(/^[A-Za-z0-9_-]{64}$/);
    const config = await connector<Configuration>(CONFIGURATION, token);
    expect(config.errors).toBeUndefined();
    const subject = subjectOf(config.data!.configuration.certificateSigningRequestInfo.subject);
    const signed = await connector<{ signCertificateSigningRequest: { clientCertificate: string } }>(
      SIGN,
      config.data!.configuration.token.token,
      { csr: fixCsr(subject).csr },
    );
    expect(signed.errors).toBeUndefined();
    const pem = Buffer.from(
      signed.data!.signCertificateSigningRequest.clientCertificate,
      'base64',
    ).toString();
    expect(new X509Certificate(pem).subject).toContain(`CN=${subject.CN}`);
    const record = await new CertificateRepository(stack.mongo.db).getByHashGlobal(certificateHash(pem));
    expect(record).toMatchObject({ tenantId: tenant, clientId: subject.CN });
  });

  it('generateRuntimeToken pairs a runtime; unknown IDs are NotFound', async () => {
    const tenant = fixTenant();
    const reg = await stack.gql<{ registerRuntime: { id: string } }>(
      `mutation { registerRuntime(in: { name: "internal-rt" }) { id } }`,
      {},
      tenant,
    );
    const runtimeId = reg.body.data!.registerRuntime.id;
    const res = await internalGql<{ generateRuntimeToken: { token: string } }>(
      `mutation($id: ID!) { generateRuntimeToken(authID: $id) { token } }`,
      { id: runtimeId },
    );
    expect(res.errors).toBeUndefined();
    const config = await connector<Configuration>(CONFIGURATION, res.data!.generateRuntimeToken.token);
    expect(config.errors).toBeUndefined();

    for (const op of ['generateApplicationToken', 'generateRuntimeToken']) {
      const missing = await internalGql(`mutation { ${op}(authID: "no-such-object") { token } }`);
      expect(missing.errors).toEqual([
        expect.objectContaining({
          extensions: expect.objectContaining({ error: 'NotFound', error_code: 20 }),
        }),
      ]);
    }
  });

  it('/v1/tokens/resolve answers Client-Id-From-Token once for a pairing token and consumes it', async () => {
    const token = await generateApplicationToken(await registerApp(fixTenant()));
    const first = await resolveToken('', { 'connector-token': token });
    expect(first.status).toBe(200);
    const clientId = first.headers.get('client-id-from-token');
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);

    const again = await resolveToken('', { 'connector-token': token });
    expect(again.status).toBe(401);
    expect(again.headers.get('client-id-from-token')).toBeNull();
    const config = await connector(CONFIGURATION, token);
    expect(config.errors).toEqual([expect.objectContaining({ extensions: UNAUTHORIZED })]);

    const byQuery = await generateApplicationToken(await registerApp(fixTenant()));
    const viaQuery = await resolveToken(`?token=${encodeURIComponent(byQuery)}`, {});
    expect(viaQuery.status).toBe(200);
    expect(viaQuery.headers.get('client-id-from-token')).toMatch(/^[0-9a-f-]{36}$/);

    const forged: Record<string, string>[] = [
      {},
      { 'connector-token': 'x'.repeat(64) },
      { 'connector-token': '' },
    ];
    for (const headers of forged) {
      const res = await resolveToken('', headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('client-id-from-token')).toBeNull();
    }
  });

  it('/v1/tokens/resolve refuses a CSR token', async () => {
    const token = await generateApplicationToken(await registerApp(fixTenant()));
    const config = await connector<Configuration>(CONFIGURATION, token);
    const res = await resolveToken('', { 'connector-token': config.data!.configuration.token.token });
    expect(res.status).toBe(401);
  });

  it('/v1/certificate/data/resolve maps a known certificate to its client ID and hash', async () => {
    const client = await fixPairedApplication(stack, fixTenant());
    const hash = certificateHash(client.certificatePem);
    const ok = await resolveCertificate(xfccOf(client.certificatePem));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('client-id-from-certificate')).toBe(client.clientId);
    expect(ok.headers.get('client-certificate-hash')).toBe(hash);

    // a chain of proxies: the element with the Connector's subject attributes is used
    const chained = await resolveCertificate(
      `Hash=${'b'.repeat(64)};Subject="CN=proxy,O=Elsewhere",${xfccOf(client.certificatePem)}`,
    );
    expect(chained.status).toBe(200);
    expect(chained.headers.get('client-id-from-certificate')).toBe(client.clientId);

    const subject = new X509Certificate(client.certificatePem).subject.split('\n').reverse().join(',');
    for (const data of [
      undefined,
      'garbage',
      xfccOf(client.certificatePem, subject.replace(`CN=${client.clientId}`, 'CN=someone-else')),
      xfccOf(client.certificatePem, subject.replace('O=Org', 'O=Other')),
      `Hash=${'a'.repeat(64)};Subject="${subject}"`,
    ]) {
      const res = await resolveCertificate(data);
      expect(res.status).toBe(401);
      expect(res.headers.get('client-id-from-certificate')).toBeNull();
      expect(res.headers.get('client-certificate-hash')).toBeNull();
    }

    const revoked = await mtlsGql(
      stack,
      'connector',
      credentialsOf(client),
      'mutation { revokeCertificate }',
    );
    expect(revoked.body).toEqual({ data: { revokeCertificate: true } });
    const after = await resolveCertificate(xfccOf(client.certificatePem));
    expect(after.status).toBe(401);
    expect(after.headers.get('client-id-from-certificate')).toBeNull();
  });
});

describe('XFCC parsing', () => {
  it('reads quoted values with commas, semicolons and escapes, and several elements', () => {
    expect(
      parseForwardedClientCert(
        'By=spiffe://a;Hash=AB12;Subject="CN=x\\"y,O=Org;x";URI=,Hash=cd;Subject="CN=z"',
      ),
    ).toEqual([
      { by: 'spiffe://a', hash: 'AB12', subject: 'CN=x"y,O=Org;x', uri: '' },
      { hash: 'cd', subject: 'CN=z' },
    ]);
    expect(parseSubject('CN=a\\,b,OU=Unit , O=Org')).toEqual({ CN: 'a,b', OU: 'Unit', O: 'Org' });
    expect(parseForwardedClientCert('')).toEqual([]);
  });
});
