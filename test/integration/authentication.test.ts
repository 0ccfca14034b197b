import { SignJWT, UnsecuredJWT } from 'jose';
import { loadOrCreateDevIssuer, issueDevToken } from '../../api/auth/dev-issuer';
import { hs256Key } from '../../api/auth/jwt';
import { UNAUTHORIZED } from '../fixtures/errors';
import { fixTenant, startStack, type Stack } from './harness';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false });
});
afterAll(async () => {
  await stack?.close();
});

const LIST = '{ applications { totalCount } }';
const REGISTER = 'mutation { registerApplication(in: { name: "x" }) { id } }';

async function call(headers: Record<string, string>, query = LIST) {
  const res = await fetch(`${stack.url}/director/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return {
    status: res.status,
    body: (await res.json()) as { data?: unknown; errors?: Array<Record<string, unknown>> },
  };
}

/** The stack's local development issuer (one per test process). */
async function devToken(claims: { tenant?: string; scopes: string[]; ttlSec?: number }) {
  const issuer = await loadOrCreateDevIssuer(stack.dataDir);
  return issueDevToken(issuer, {
    tenant: claims.tenant ?? '',
    scopes: claims.scopes,
    consumerId: 'alice',
    ttlSec: claims.ttlSec ?? 600,
  });
}

describe('authentication on the Director API', () => {
  it('refuses a request without a token (26)', async () => {
    const res = await call({ tenant: fixTenant() });
    expect(res.body.errors).toEqual([expect.objectContaining({ extensions: UNAUTHORIZED })]);
    expect(res.body.data ?? null).toBeNull();
  });

  it.each([
    ['garbage', 'Bearer not-a-token'],
    ['a token of another issuer', 'other'],
    ['an expired token', 'expired'],
    ['an unsigned token', 'unsigned'],
    ['a malformed header', 'Basic dXNlcjpwdw=='],
  ])('refuses %s with 401 and Unauthorized, without echoing it', async (_what, kind) => {
    let authorization = kind;
    const now = Math.floor(Date.now() / 1000);
    if (kind === 'other') {
      authorization = `Bearer ${await new SignJWT({ scopes: 'application:read' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('someone-else')
        .setExpirationTime(now + 60)
        .sign(hs256Key('x'.repeat(40)))}`;
    } else if (kind === 'expired') {
      authorization = `Bearer ${await devToken({ scopes: ['application:read'], ttlSec: -60 })}`;
    } else if (kind === 'unsigned') {
      authorization = `Bearer ${new UnsecuredJWT({ scopes: 'application:read' })
        .setIssuer('compass-local-dev')
        .setExpirationTime(now + 60)
        .encode()}`;
    }
    const res = await call({ tenant: fixTenant(), authorization });
    expect(res.status).toBe(401);
    expect(res.body.errors).toEqual([expect.objectContaining({ extensions: UNAUTHORIZED })]);
    expect(JSON.stringify(res.body)).not.toContain(authorization.replace(/^Bearer /, ''));
  });

  it('refuses an operation whose scope the token lacks (23) and allows it with the scope', async () => {
    const reader = `Bearer ${await devToken({ scopes: ['application:read'] })}`;
    const tenant = fixTenant();
    expect((await call({ tenant, authorization: reader })).body).toEqual({
      data: { applications: { totalCount: 0 } },
    });
    const res = await call({ tenant, authorization: reader }, REGISTER);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message: 'insufficient scopes provided [required=application:write]',
        extensions: { error: 'InsufficientScopes', error_code: 23 },
      }),
    ]);
  });

  it('refuses a Tenant header that contradicts the token', async () => {
    const token = `Bearer ${await devToken({ tenant: 'tenant-a', scopes: ['application:read'] })}`;
    const res = await call({ tenant: 'tenant-b', authorization: token });
    expect(res.body.errors).toEqual([expect.objectContaining({ extensions: UNAUTHORIZED })]);
    expect((await call({ authorization: token })).body).toEqual({
      data: { applications: { totalCount: 0 } },
    });
  });

  it('ignores identity headers a client could forge', async () => {
    const res = await call({
      tenant: fixTenant(),
      'client-id-from-certificate': 'some-client',
      'client-certificate-hash': 'ab'.repeat(32),
      'client-id-from-token': 'some-client',
    });
    expect(res.body.errors).toEqual([expect.objectContaining({ extensions: UNAUTHORIZED })]);
  });

  it('prefills the GraphQL IDE with a local token on a loopback listener', async () => {
    const html = await (await fetch(`${stack.url}/graphiql`)).text();
    const token = /Bearer ([A-Za-z0-9._-]+)/.exec(html)?.[1];
    expect(token).toBeDefined();
    const res = await call({ tenant: fixTenant(), authorization: `Bearer ${token}` });
    expect(res.body).toEqual({ data: { applications: { totalCount: 0 } } });
  });
});
