import { fetchText } from '../../activities/http-fetch';
import { isPublicAddress } from '../../infra/network-guard';
import { type SpecServer, startSpecServer } from '../fixtures/spec-server';

/**
 * Generous deadline: only the slow-server case tests the deadline, with its own short one.
 * The spec server listens on loopback, so private networks are allowed except where refused.
 */
const limits = { timeoutMs: 10_000, maxBytes: 5 * 1024 * 1024, maxRedirects: 5, allowPrivateNetworks: true };
const publicOnly = { ...limits, allowPrivateNetworks: false };

let server: SpecServer;
beforeAll(async () => {
  server = await startSpecServer();
});
afterAll(async () => {
  await server?.close();
});

describe('spec fetch over HTTP', () => {
  it('returns the body of a spec', async () => {
    await expect(fetchText(`${server.url}/spec`, limits)).resolves.toEqual({
      ok: true,
      data: 'openapi: 3.0.0\ninfo: { title: orders }',
    });
  });

  it('follows redirects between http URLs', async () => {
    await expect(fetchText(`${server.url}/redirect`, limits)).resolves.toMatchObject({ ok: true });
  });

  it('refuses a redirect to a non-http scheme', async () => {
    await expect(fetchText(`${server.url}/redirect-file`, limits)).resolves.toEqual({
      ok: false,
      message: 'unsupported URL scheme file:',
    });
  });

  it('reports a status other than 2xx', async () => {
    await expect(fetchText(`${server.url}/missing`, limits)).resolves.toEqual({
      ok: false,
      message: 'unexpected status code 404',
    });
  });

  it('gives up on a slow server at the deadline', async () => {
    await expect(fetchText(`${server.url}/slow`, { ...limits, timeoutMs: 300 })).resolves.toEqual({
      ok: false,
      message: 'timed out after 300 ms',
    });
  });

  it('stops reading a body larger than the limit', async () => {
    await expect(fetchText(`${server.url}/huge`, limits)).resolves.toEqual({
      ok: false,
      message: 'response body exceeds 5242880 bytes',
    });
  });

  it('reports an unreachable server', async () => {
    await expect(fetchText('http://127.0.0.1:1/spec', limits)).resolves.toMatchObject({
      ok: false,
      message: expect.stringMatching(/^fetch failed/),
    });
  });

  it('refuses a loopback address unless private networks are allowed, sending nothing', async () => {
    const before = server.requests();
    await expect(fetchText(`${server.url}/spec`, publicOnly)).resolves.toEqual({
      ok: false,
      message: 'address 127.0.0.1 of 127.0.0.1 is not allowed (private network)',
    });
    expect(server.requests()).toBe(before);
  });

  it('refuses a name that resolves to a private address, sending nothing', async () => {
    const before = server.requests();
    const port = new URL(server.url).port;
    await expect(fetchText(`http://localhost:${port}/spec`, publicOnly)).resolves.toEqual({
      ok: false,
      message: expect.stringMatching(
        /^address (127\.0\.0\.1|::1) of localhost is not allowed \(private network\)$/,
      ),
    });
    expect(server.requests()).toBe(before);
  });

  it('refuses the cloud metadata address and private literals', async () => {
    for (const host of ['169.254.169.254', '10.0.0.1', '[::1]', '[::ffff:192.168.0.1]']) {
      await expect(fetchText(`http://${host}/latest`, publicOnly)).resolves.toMatchObject({
        ok: false,
        message: expect.stringContaining('is not allowed (private network)'),
      });
    }
  });
});

describe('public addresses', () => {
  it.each([
    ['8.8.8.8', true],
    ['2001:4860:4860::8888', true],
    ['127.0.0.1', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['::1', false],
    ['::', false],
    ['fd00::1', false],
    ['fe80::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:8.8.8.8', true],
    ['not-an-address', false],
  ])('%s is public: %p', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});
