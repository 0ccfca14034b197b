import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, SignJWT, UnsecuredJWT, type JWTPayload } from 'jose';
import {
  createJwtVerifier,
  bearerToken,
  type JwtVerifier,
  type JwtVerifierOptions,
} from '../../../api/auth/jwt';
import { AuthConfigError } from '../../../api/auth/errors';
import { InternalError, UnauthorizedError } from '../../../domain/errors';

const ISSUER = 'https://issuer.compass.test';
const SECRET = 'a-shared-secret-that-is-long-enough-for-hs256';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const now = () => Math.floor(Date.now() / 1000);

function fixClaims(overrides: JWTPayload = {}): JWTPayload {
  return {
    iss: ISSUER,
    sub: 'alice',
    exp: now() + 600,
    tenant: 'acme',
    scopes: 'application:read  application:write runtime:read',
    consumerID: 'alice@example.com',
    consumerType: 'Static User',
    ...overrides,
  };
}

function signHs256(claims: JWTPayload, secret = SECRET): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
}

function signRs256(claims: JWTPayload, key: KeyObject = rsa.privateKey, kid?: string): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', ...(kid ? { kid } : {}) }).sign(key);
}

function unsigned(claims: JWTPayload): string {
  return new UnsecuredJWT(claims).encode();
}

function verifier(options: Partial<JwtVerifierOptions> = {}): JwtVerifier {
  return createJwtVerifier({ issuer: ISSUER, hs256Secret: SECRET, allowUnsignedTokens: false, ...options });
}

/** The refusal for a token, checked to be Unauthorized (26) without any part of the token in it. */
async function refusal(v: JwtVerifier, token: string): Promise<UnauthorizedError> {
  const err: unknown = await v.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UnauthorizedError);
  const refused = err as UnauthorizedError;
  expect(refused.code).toBe(26);
  for (const part of [token, ...token.split('.')].filter((p) => p.length >= 8)) {
    expect(refused.message).not.toContain(part);
    expect(refused.stack ?? '').not.toContain(part);
  }
  expect(refused.cause).toBeUndefined();
  return refused;
}

describe('user tokens', () => {
  it('maps a valid HS256 token to the identity Compass claims describe', async () => {
    const identity = await verifier().verify(await signHs256(fixClaims()));
    expect(identity).toEqual({
      kind: 'USER',
      consumerId: 'alice@example.com',
      tenant: 'acme',
      scopes: ['application:read', 'application:write', 'runtime:read'],
    });
    expect(Object.isFrozen(identity.scopes)).toBe(true);
  });

  it('maps a valid RS256 token verified with the issuer public key', async () => {
    const v = verifier({ hs256Secret: undefined, rs256PublicKeyPem: publicPem });
    const identity = await v.verify(
      await signRs256(fixClaims({ consumerType: 'Runtime', consumerID: 'rt-1' })),
    );
    expect(identity).toEqual({
      kind: 'RUNTIME',
      consumerId: 'rt-1',
      tenant: 'acme',
      scopes: ['application:read', 'application:write', 'runtime:read'],
    });
  });

  it.each([
    ['Static User', 'USER'],
    ['Integration System', 'INTEGRATION_SYSTEM'],
    ['Application', 'APPLICATION'],
    ['Runtime', 'RUNTIME'],
    [undefined, 'USER'],
  ])('maps consumerType %s to %s', async (consumerType, kind) => {
    const identity = await verifier().verify(await signHs256(fixClaims({ consumerType })));
    expect(identity.kind).toBe(kind);
  });

  it('refuses an unknown consumerType instead of guessing', async () => {
    const err = await refusal(verifier(), await signHs256(fixClaims({ consumerType: 'Robot' })));
    expect(err.message).toBe('token consumerType not recognised');
  });

  it('falls back to sub when the token has no consumerID, and has no tenant or scopes when it names none', async () => {
    const token = await signHs256({ iss: ISSUER, sub: 'bob', exp: now() + 60 });
    expect(await verifier().verify(token)).toEqual({ kind: 'USER', consumerId: 'bob', scopes: [] });
  });

  it('refuses a token that names no consumer', async () => {
    const token = await signHs256({ iss: ISSUER, exp: now() + 60 });
    expect((await refusal(verifier(), token)).message).toBe('token names no consumer');
  });

  it('refuses claims of the wrong type', async () => {
    const token = await signHs256(fixClaims({ scopes: ['application:read'] }));
    expect((await refusal(verifier(), token)).message).toBe('token claim scopes is not a string');
  });

  it('refuses an expired token', async () => {
    const token = await signHs256(fixClaims({ exp: now() - 5 }));
    expect((await refusal(verifier(), token)).message).toBe('token expired');
  });

  it('accepts a just-expired token within the configured clock tolerance', async () => {
    const token = await signHs256(fixClaims({ exp: now() - 5 }));
    await expect(verifier({ clockToleranceSec: 30 }).verify(token)).resolves.toMatchObject({
      tenant: 'acme',
    });
  });

  it('refuses a token that is not valid yet', async () => {
    const token = await signHs256(fixClaims({ nbf: now() + 600 }));
    expect((await refusal(verifier(), token)).message).toBe('token not yet valid');
  });

  it('refuses a token without an expiry', async () => {
    const token = await signHs256(fixClaims({ exp: undefined }));
    expect((await refusal(verifier(), token)).message).toBe('token has no exp claim');
  });

  it('refuses a token from another issuer', async () => {
    const token = await signHs256(fixClaims({ iss: 'https://evil.test' }));
    expect((await refusal(verifier(), token)).message).toBe('token issuer not accepted');
  });

  it('enforces the audience when one is configured', async () => {
    const v = verifier({ audience: 'compass' });
    expect((await refusal(v, await signHs256(fixClaims({ aud: 'other' })))).message).toBe(
      'token audience not accepted',
    );
    await expect(v.verify(await signHs256(fixClaims({ aud: ['x', 'compass'] })))).resolves.toMatchObject({
      consumerId: 'alice@example.com',
    });
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const [header, , signature] = (await signHs256(fixClaims())).split('.');
    const forged = Buffer.from(
      JSON.stringify(fixClaims({ tenant: 'other', scopes: 'tenant:read' })),
    ).toString('base64url');
    const err = await refusal(verifier(), `${header}.${forged}.${signature}`);
    expect(err.message).toBe('invalid token signature');
  });

  it('refuses an HS256 token signed with another secret', async () => {
    const token = await signHs256(fixClaims(), 'another-secret-that-is-also-long-enough-!!');
    expect((await refusal(verifier(), token)).message).toBe('invalid token signature');
  });

  it('refuses an RS256 token signed with another key', async () => {
    const v = verifier({ rs256PublicKeyPem: publicPem });
    const token = await signRs256(fixClaims(), otherRsa.privateKey);
    expect((await refusal(v, token)).message).toBe('invalid token signature');
  });

  it('refuses unsigned tokens by default', async () => {
    expect((await refusal(verifier(), unsigned(fixClaims()))).message).toBe(
      'unsigned tokens are not accepted',
    );
  });

  it('accepts unsigned tokens when allowed, still checking expiry and issuer', async () => {
    const v = verifier({ hs256Secret: undefined, allowUnsignedTokens: true });
    await expect(v.verify(unsigned(fixClaims({ consumerType: 'Application' })))).resolves.toEqual({
      kind: 'APPLICATION',
      consumerId: 'alice@example.com',
      tenant: 'acme',
      scopes: ['application:read', 'application:write', 'runtime:read'],
    });
    expect((await refusal(v, unsigned(fixClaims({ exp: now() - 5 })))).message).toBe('token expired');
    expect((await refusal(v, unsigned(fixClaims({ iss: 'https://evil.test' })))).message).toBe(
      'token issuer not accepted',
    );
  });

  it('accepts the unsigned tokens Compass clients send: scopes, tenant, consumerID and consumerType only', async () => {
    const v = verifier({ allowUnsignedTokens: true, audience: 'compass' });
    const token = unsigned({
      scopes: 'application:read runtime:write',
      tenant: '3e64ebae-38b5-46a0-b1ed-9ccee153a0ae',
      consumerID: '1e176e48-e258-4091-a584-feb1bf708b7e',
      consumerType: 'Runtime',
    });
    await expect(v.verify(token)).resolves.toEqual({
      kind: 'RUNTIME',
      consumerId: '1e176e48-e258-4091-a584-feb1bf708b7e',
      tenant: '3e64ebae-38b5-46a0-b1ed-9ccee153a0ae',
      scopes: ['application:read', 'runtime:write'],
    });
  });

  it('checks the iss, aud, exp and nbf of an unsigned token when it carries them', async () => {
    const v = verifier({ allowUnsignedTokens: true, audience: 'compass' });
    const bare = { scopes: 'application:read', consumerID: 'alice' };
    await expect(
      v.verify(unsigned({ ...bare, iss: ISSUER, aud: 'compass', exp: now() + 60 })),
    ).resolves.toEqual({ kind: 'USER', consumerId: 'alice', scopes: ['application:read'] });
    expect((await refusal(v, unsigned({ ...bare, iss: 'https://evil.test' }))).message).toBe(
      'token issuer not accepted',
    );
    expect((await refusal(v, unsigned({ ...bare, aud: ['other'] }))).message).toBe(
      'token audience not accepted',
    );
    expect((await refusal(v, unsigned({ ...bare, exp: now() - 5 }))).message).toBe('token expired');
    expect((await refusal(v, unsigned({ ...bare, nbf: now() + 600 }))).message).toBe('token not yet valid');
    expect((await refusal(v, unsigned({ scopes: 'application:read' }))).message).toBe(
      'token names no consumer',
    );
  });

  it('still requires exp and iss of a signed token when unsigned tokens are allowed', async () => {
    const v = verifier({ allowUnsignedTokens: true });
    const { exp: _exp, ...noExp } = fixClaims();
    expect((await refusal(v, await signHs256(noExp))).message).toBe('token has no exp claim');
    const { iss: _iss, ...noIss } = fixClaims();
    expect((await refusal(v, await signHs256(noIss))).message).toBe('token has no iss claim');
  });

  it('refuses an HS256 token keyed with the RSA public key when only RS256 is configured', async () => {
    const v = verifier({ hs256Secret: undefined, rs256PublicKeyPem: publicPem });
    const token = await signHs256(fixClaims(), publicPem);
    expect((await refusal(v, token)).message).toBe('token algorithm not accepted');
  });

  it('refuses an RS256 token when only HS256 is configured', async () => {
    const token = await signRs256(fixClaims());
    expect((await refusal(verifier(), token)).message).toBe('token algorithm not accepted');
  });

  it('refuses every other algorithm, even with a valid signature', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const es256 = await new SignJWT(fixClaims()).setProtectedHeader({ alg: 'ES256' }).sign(ec.privateKey);
    const hs512 = await new SignJWT(fixClaims())
      .setProtectedHeader({ alg: 'HS512' })
      .sign(new TextEncoder().encode(SECRET));
    const v = verifier({ rs256PublicKeyPem: publicPem });
    expect((await refusal(v, es256)).message).toBe('token algorithm not accepted');
    expect((await refusal(v, hs512)).message).toBe('token algorithm not accepted');
  });

  it.each([
    ['garbage', 'not-a-token-at-all'],
    ['three garbage segments', 'aaaaaaaaaa.bbbbbbbbbb.cccccccccc'],
    ['a header that is not JSON', `${Buffer.from('{"alg":').toString('base64url')}.e30.sig`],
    ['an empty string', ''],
    ['an oversized token', `${'a'.repeat(20_000)}.b.c`],
  ])('refuses %s', async (_name, token) => {
    expect((await refusal(verifier(), token)).message).toBe('invalid token');
  });

  it('never puts claims of a refused token into the message', async () => {
    const token = await signHs256(fixClaims({ tenant: 'secret-tenant-name', exp: now() - 5 }));
    expect((await refusal(verifier(), token)).message).not.toContain('secret-tenant-name');
  });
});

describe('user tokens from a JWKS endpoint', () => {
  let server: http.Server;
  let jwksUrl: string;

  beforeAll(async () => {
    const jwk = { ...(await exportJWK(rsa.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    server = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('verifies RS256 tokens with the published key their kid names', async () => {
    const v = verifier({ hs256Secret: undefined, jwksUrl });
    const token = await signRs256(fixClaims({ consumerType: 'Integration System' }), rsa.privateKey, 'key-1');
    await expect(v.verify(token)).resolves.toMatchObject({ kind: 'INTEGRATION_SYSTEM', tenant: 'acme' });
  });

  it('refuses a token whose kid the issuer does not publish', async () => {
    const v = verifier({ hs256Secret: undefined, jwksUrl });
    const token = await signRs256(fixClaims(), otherRsa.privateKey, 'key-2');
    expect((await refusal(v, token)).message).toBe('token signing key not recognised');
  });

  it('reports an unreachable key set as an internal error, not as a bad token', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const v = verifier({ hs256Secret: undefined, jwksUrl: `http://127.0.0.1:${port}/jwks.json` });
    const err: unknown = await v
      .verify(await signRs256(fixClaims(), rsa.privateKey, 'key-1'))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalError);
    expect((err as InternalError).message).toBe('Internal Server Error');
  });
});

describe('verifier configuration', () => {
  it.each<[string, Partial<JwtVerifierOptions>, RegExp]>([
    ['no key', { hs256Secret: undefined }, /no token verification key/],
    ['a short HS256 secret', { hs256Secret: 'short' }, /at least 32 bytes/],
    [
      'two RS256 key sources',
      { rs256PublicKeyPem: publicPem, jwksUrl: 'https://issuer.test/jwks' },
      /not both/,
    ],
    ['a malformed PEM', { rs256PublicKeyPem: 'not a pem' }, /not a PEM-encoded public key/],
    [
      'a non-RSA key',
      {
        rs256PublicKeyPem: generateKeyPairSync('ec', { namedCurve: 'P-256' })
          .publicKey.export({ type: 'spki', format: 'pem' })
          .toString(),
      },
      /not an RSA key/,
    ],
    ['a JWKS URL that is not http(s)', { jwksUrl: 'file:///etc/keys' }, /http\(s\) URL/],
    ['no issuer', { issuer: '' }, /issuer is required/],
    ['a negative clock tolerance', { clockToleranceSec: -1 }, /non-negative/],
  ])('refuses a configuration with %s at start', (_name, options, message) => {
    expect(() => verifier(options)).toThrow(AuthConfigError);
    expect(() => verifier(options)).toThrow(message);
  });

  it('needs no key when only unsigned tokens are accepted', () => {
    expect(() => verifier({ hs256Secret: undefined, allowUnsignedTokens: true })).not.toThrow();
  });
});

describe('bearerToken', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc.def.ghi', 'abc.def.ghi'],
    ['Basic dXNlcjpwYXNz', undefined],
    ['Bearer ', undefined],
    ['Bearer a b', undefined],
    [undefined, undefined],
  ])('reads %p as %p', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});
