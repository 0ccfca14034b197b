import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { Agent, request } from 'undici';
import { issueClientCertificate, parseCsr } from '../../pki';
import { CertificateRepository } from '../../store/certificates';
import { SystemAuthRepository } from '../../store/system-auths';
import { fixCsr } from './mtls-client';
import { type Gateway, startGateway } from '../../api/server';
import { loadConfig } from '../../infra/config';
import { startStack, type Stack } from './harness';

let stack: Stack;
let gateway: Gateway;
beforeAll(async () => {
  stack = await startStack({ worker: false });
  gateway = await startGateway({
    config: {
      ...loadConfig({}),
      DATA_DIR: stack.dataDir,
      HOST: '127.0.0.1',
      PORT: 0,
      MTLS_PORT: 0,
      INTERNAL_CONNECTOR_PORT: 0,
      RATE_LIMIT_PER_MINUTE: 6, // one more every 10 s
      RATE_LIMIT_BURST: 3,
    },
    db: stack.mongo.db,
    temporal: stack.client,
    log: pino({ level: 'silent' }),
    ca: stack.ca,
  });
});
afterAll(async () => {
  await gateway?.close();
  await stack?.close();
});

async function statuses(send: () => Promise<Response>, n: number) {
  const answers: Array<{ status: number; retryAfter: string | null; body: unknown }> = [];
  for (let i = 0; i < n; i++) {
    const res = await send();
    answers.push({ status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() });
  }
  return answers;
}

describe('rate limits per client', () => {
  it('answer Connector token redemption over the burst with 429, Retry-After and InvalidOperation', async () => {
    const answers = await statuses(
      () =>
        fetch(`${gateway.url}/connector/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'connector-token': 'guess' },
          body: JSON.stringify({ query: '{ configuration { token { token } } }' }),
        }),
      4,
    );
    expect(answers.slice(0, 3).map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers[3]).toEqual({
      status: 429,
      retryAfter: expect.stringMatching(/^(9|10)$/),
      body: {
        errors: [
          {
            message: 'Too many requests; retry after Retry-After seconds',
            extensions: { error: 'InvalidOperation', error_code: 27 },
          },
        ],
      },
    });
  });

  it('answer the token endpoint over the burst with 429 and Retry-After, in OAuth 2 form', async () => {
    const answers = await statuses(
      () =>
        fetch(`${gateway.url}/oauth/token`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            authorization: `Basic ${Buffer.from('nobody:wrong').toString('base64')}`,
          },
          body: 'grant_type=client_credentials',
        }),
      4,
    );
    expect(answers.slice(0, 3).map((a) => a.status)).toEqual([401, 401, 401]);
    expect(answers[3]).toEqual({
      status: 429,
      retryAfter: expect.stringMatching(/^(9|10)$/),
      body: { error: 'too_many_requests', error_description: 'retry after Retry-After seconds' },
    });
  });

  it('spend a token of the mTLS listener per new connection and refused certificate, never per request on an admitted connection', async () => {
    const subject = { O: 'Org', OU: 'OrgUnit', L: 'Locality', ST: 'State', C: 'PL' };
    const issue = async (record: boolean) => {
      const clientId = randomUUID();
      const { keys, csr } = fixCsr({ ...subject, CN: clientId });
      const cert = await issueClientCertificate(stack.ca, parseCsr(csr, { ...subject, CN: clientId }), {
        validityMs: 3_600_000,
      });
      if (record) {
        await new SystemAuthRepository(stack.mongo.db).put({
          id: clientId,
          tenantId: 'rate-limited',
          kind: 'APPLICATION',
          referenceObjectId: randomUUID(),
          createdAt: new Date().toISOString(),
        });
        await new CertificateRepository(stack.mongo.db).put({
          hash: cert.sha256Fingerprint,
          tenantId: 'rate-limited',
          clientId,
          serialHex: cert.serialHex,
          notAfter: cert.notAfter.toISOString(),
          issuedAt: new Date().toISOString(),
        });
      }
      const key = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      return { cert: cert.certificatePem, key, ca: cert.caCertificatePem };
    };
    const known = await issue(true);
    const unknown = await issue(false);
    const call = async (dispatcher: Agent) => {
      const res = await request(`${gateway.mtlsUrl}/director/graphql`, {
        method: 'POST',
        dispatcher,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ viewer { id } }' }),
      });
      return { status: res.statusCode, retryAfter: res.headers['retry-after'], body: await res.body.json() };
    };
    const fresh = () => new Agent({ connections: 1, connect: known });
    const kept = fresh();
    const strangers = new Agent({ connections: 1, pipelining: 0, connect: unknown });
    try {
      expect((await call(kept)).status).toBe(200); // a new connection: 1 token of 3
      expect((await call(strangers)).status).toBe(401); // a new connection and a refused certificate: 2 more
      const next = fresh();
      const over = await call(next);
      await next.close();
      expect(over).toEqual({
        status: 429,
        retryAfter: expect.stringMatching(/^\d+$/),
        body: {
          errors: [
            {
              message: 'Too many requests; retry after Retry-After seconds',
              extensions: { error: 'InvalidOperation', error_code: 27 },
            },
          ],
        },
      });
      for (let i = 0; i < 5; i++) expect((await call(kept)).status).toBe(200);
    } finally {
      await Promise.all([kept.close(), strangers.close()]);
    }
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(text).toContain('compass_rate_limited_total{surface="mtls",component="gateway"} 1');
    expect(text).toContain('compass_auth_failures_total{kind="client_certificate",component="gateway"} 1');
  });

  it('count refusals in /metrics by surface', async () => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(text).toContain('compass_rate_limited_total{surface="connector",component="gateway"} 1');
    expect(text).toContain('compass_rate_limited_total{surface="oauth_token",component="gateway"} 1');
  });

  it('leave other routes alone', async () => {
    const answers = await statuses(() => fetch(`${gateway.url}/healthz`), 5);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
  });
});
