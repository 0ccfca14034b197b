import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FERRETDB, MissingGoError, TEMPORAL, binaryPath, ensureBinary } from '../../scripts/servers/binaries';

describe('embedded server binaries', () => {
  const saved = { PATH: process.env.PATH, COMPASS_CACHE_DIR: process.env.COMPASS_CACHE_DIR };
  let cache: string;
  beforeEach(() => {
    cache = mkdtempSync(path.join(os.tmpdir(), 'compass-cache-'));
    process.env.COMPASS_CACHE_DIR = cache;
  });
  afterEach(() => {
    process.env.PATH = saved.PATH;
    if (saved.COMPASS_CACHE_DIR === undefined) delete process.env.COMPASS_CACHE_DIR;
    else process.env.COMPASS_CACHE_DIR = saved.COMPASS_CACHE_DIR;
    rmSync(cache, { recursive: true, force: true });
  });

  it('live in the cache outside the checkout, named by version and wrapper-module hash', () => {
    expect(binaryPath(TEMPORAL)).toMatch(new RegExp(`^${cache}/bin/temporal-1\\.8\\.2-[0-9a-f]{10}$`));
    expect(binaryPath(FERRETDB)).toMatch(new RegExp(`^${cache}/bin/ferretdb-1\\.24\\.2-[0-9a-f]{10}$`));
  });

  it('without Go, refuse with the three ways out', async () => {
    process.env.PATH = '/nonexistent';
    const err = await ensureBinary(TEMPORAL, () => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingGoError);
    const message = (err as Error).message;
    expect(message).toContain(
      'The Temporal CLI 1.8.2 is not built yet and no Go toolchain (1.26+) was found',
    );
    expect(message).toContain('install Go 1.26 or newer');
    expect(message).toContain('TEMPORAL_ADDRESS=host:7233 and MONGODB_URI=');
    expect(message).toContain('docker compose up');
  });
});
