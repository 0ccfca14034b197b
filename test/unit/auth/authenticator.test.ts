import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { UnsecuredJWT, type JWTPayload } from 'jose';
import { createAuthenticator } from '../../../api/auth/authenticator';
import { issueDevToken, loadOrCreateDevIssuer } from '../../../api/auth/dev-issuer';
import { UnauthorizedError } from '../../../domain/errors';
import { loadConfig } from '../../../infra/config';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'compass-authenticator-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function request(authorization: string): IncomingMessage {
  return { headers: { authorization } } as IncomingMessage;
}

function authenticator(allowUnsigned: boolean) {
  const config = loadConfig({
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    AUTH_ALLOW_UNSIGNED_TOKENS: String(allowUnsigned),
  });
  return createAuthenticator(config, async () => true);
}

/** What Compass's clients send to a Director that accepts unsigned tokens. */
const compassClientClaims: JWTPayload = {
  scopes: 'application:read application:write',
  tenant: '3e64ebae-38b5-46a0-b1ed-9ccee153a0ae',
  consumerID: 'admin',
  consumerType: 'Static User',
};

describe('bearer token authentication on a loopback gateway', () => {
  it('takes an unsigned token with only the claims Compass clients put in it', async () => {
    const auth = await authenticator(true);
    expect(auth.warning).toMatch(/unsigned tokens/);
    const token = new UnsecuredJWT(compassClientClaims).encode();
    await expect(auth.authenticate(request(`Bearer ${token}`))).resolves.toEqual({
      kind: 'USER',
      consumerId: 'admin',
      tenant: '3e64ebae-38b5-46a0-b1ed-9ccee153a0ae',
      scopes: ['application:read', 'application:write'],
      via: 'token',
    });
  });

  it('refuses the same token when unsigned tokens are off', async () => {
    const auth = await authenticator(false);
    const token = new UnsecuredJWT(compassClientClaims).encode();
    const err: unknown = await auth.authenticate(request(`Bearer ${token}`)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnauthorizedError);
    expect((err as UnauthorizedError).message).toBe('unsigned tokens are not accepted');
  });

  it('keeps checking signed tokens when unsigned ones are allowed', async () => {
    const auth = await authenticator(true);
    const issuer = await loadOrCreateDevIssuer(dataDir);
    const expired = await issueDevToken(issuer, {
      tenant: '',
      scopes: ['application:read'],
      consumerId: 'admin',
      ttlSec: -60,
    });
    const err: unknown = await auth.authenticate(request(`Bearer ${expired}`)).catch((e: unknown) => e);
    expect((err as UnauthorizedError).message).toBe('token expired');
  });
});
