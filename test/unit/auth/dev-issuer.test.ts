import { chmod, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  DEV_ISSUER,
  devVerifierOptions,
  issueDevToken,
  loadOrCreateDevIssuer,
} from '../../../api/auth/dev-issuer';
import { AuthConfigError } from '../../../api/auth/errors';
import { createJwtVerifier } from '../../../api/auth/jwt';

describe('local development issuer', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'compass-dev-issuer-')), 'data');
  });

  afterEach(async () => {
    await rm(path.dirname(dataDir), { recursive: true, force: true });
  });

  it('creates a random secret on first use, readable by its owner only', async () => {
    const issuer = await loadOrCreateDevIssuer(dataDir);
    expect(issuer.issuer).toBe(DEV_ISSUER);
    expect(issuer.hs256Secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await stat(path.join(dataDir, 'dev-issuer.json'))).mode & 0o777).toBe(0o600);
  });

  it('keeps its secret across restarts', async () => {
    const first = await loadOrCreateDevIssuer(dataDir);
    expect(await loadOrCreateDevIssuer(dataDir)).toEqual(first);
  });

  it('agrees on one secret when several processes start at once', async () => {
    const issuers = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateDevIssuer(dataDir)));
    expect(new Set(issuers.map((i) => i.hs256Secret)).size).toBe(1);
    expect(await readdir(dataDir)).toEqual(['dev-issuer.json']);
  });

  it('refuses a secret file other users can read', async () => {
    await loadOrCreateDevIssuer(dataDir);
    await chmod(path.join(dataDir, 'dev-issuer.json'), 0o644);
    await expect(loadOrCreateDevIssuer(dataDir)).rejects.toThrow(/chmod 600/);
  });

  it('refuses a malformed secret file', async () => {
    await loadOrCreateDevIssuer(dataDir);
    await writeFile(path.join(dataDir, 'dev-issuer.json'), '{"issuer":"x"}', { mode: 0o600 });
    await expect(loadOrCreateDevIssuer(dataDir)).rejects.toThrow(AuthConfigError);
  });

  it('signs tokens the gateway verifier accepts', async () => {
    const issuer = await loadOrCreateDevIssuer(dataDir);
    const token = await issueDevToken(issuer, {
      tenant: 'acme',
      scopes: ['application:read', 'runtime:write'],
      consumerId: 'dev',
      ttlSec: 60,
    });
    await expect(createJwtVerifier(devVerifierOptions(issuer)).verify(token)).resolves.toEqual({
      kind: 'USER',
      consumerId: 'dev',
      tenant: 'acme',
      scopes: ['application:read', 'runtime:write'],
    });
  });
});
