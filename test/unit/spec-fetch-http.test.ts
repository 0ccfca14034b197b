import { fetchText } from '../../activities/http-fetch';
import { type SpecServer, startSpecServer } from '../fixtures/spec-server';

/** Generous deadline: only the slow-server case tests the deadline, with its own short one. */
const limits = { timeoutMs: 10_000, maxBytes: 5 * 1024 * 1024, maxRedirects: 5 };

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
});
