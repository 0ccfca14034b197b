import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { devVerifierOptions, loadOrCreateDevIssuer } from '../../../api/auth/dev-issuer';
import { createJwtVerifier } from '../../../api/auth/jwt';
import { allScopes } from '../../../api/auth/scopes';
import { main } from '../../../scripts/token';

describe('npm run token', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'compass-token-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await main(argv, {
      env: { DATA_DIR: dataDir },
      out: (text) => (out += text),
      err: (text) => (err += text),
    });
    return { code, out, err };
  }

  async function verify(token: string) {
    return createJwtVerifier(devVerifierOptions(await loadOrCreateDevIssuer(dataDir))).verify(token);
  }

  it('prints a token for the tenant with every configured scope, valid for 8 hours', async () => {
    const { code, out, err } = await run('--tenant', 'acme');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const token = out.trim();
    expect(await verify(token)).toEqual({
      kind: 'USER',
      consumerId: 'local-developer',
      tenant: 'acme',
      scopes: [...allScopes()],
    });
    const { exp = 0, iat = 0 } = decodeJwt(token);
    expect(exp - iat).toBe(8 * 3600);
  });

  it('takes scopes, consumer id and lifetime from the command line', async () => {
    const { code, out } = await run(
      '--tenant',
      'globex',
      '--scopes',
      'application:read, runtime:write',
      '--consumer-id',
      'ops@globex',
      '--ttl',
      '30m',
    );
    expect(code).toBe(0);
    expect(await verify(out.trim())).toEqual({
      kind: 'USER',
      consumerId: 'ops@globex',
      tenant: 'globex',
      scopes: ['application:read', 'runtime:write'],
    });
    const { exp = 0, iat = 0 } = decodeJwt(out.trim());
    expect(exp - iat).toBe(1800);
  });

  it.each([
    ['a missing --tenant', [], /required option '--tenant <tenant>' not specified/],
    ['a malformed tenant', ['--tenant', 'a b'], /--tenant <tenant>.*invalid/],
    [
      'an unknown scope',
      ['--tenant', 'acme', '--scopes', 'application:reed'],
      /unknown scope application:reed/,
    ],
    ['a bad lifetime', ['--tenant', 'acme', '--ttl', 'forever'], /--ttl <duration>.*invalid/],
    ['an empty consumer id', ['--tenant', 'acme', '--consumer-id', ' '], /--consumer-id must not be empty/],
  ])('exits non-zero with a message for %s', async (_name, argv, message) => {
    const { code, out, err } = await run(...argv);
    expect(code).not.toBe(0);
    expect(out).toBe('');
    expect(err).toMatch(message);
  });
});
