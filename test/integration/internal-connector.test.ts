import { X509Certificate } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import pino from 'pino';
import type { Client } from '@temporalio/client';
import { startInternalConnector } from '../../api/connector/internal';
import { certificateHash } from '../../pki';
import { CertificateRepository } from '../../store/certificates';
import { fixTenant, startStack, type Stack } from './harness';
import { fixCsr, subjectOf } from './mtls-client';

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

describe("the Connector's internal API", () => {
  it('listens on 127.0.0.1 only, whatever HOST says', async () => {
    expect(new URL(stack.internalConnectorUrl).hostname).toBe('127.0.0.1');
    const internal = await startInternalConnector({
      port: 0,
      connector: {
        requestOneTimeToken: () => Promise.reject(new Error('unused')),
        startPairing: () => Promise.reject(new Error('unused')),
      },
      systemAuths: { getGlobal: () => Promise.resolve(undefined) },
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

  it('generateRuntimeToken pairs a runtime', async () => {
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
  });
});
