import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendWebhookRequest } from '../../activities/webhook-http';

/** The receiver listens on loopback, so private networks are allowed except where refused. */
const limits = { timeoutMs: 10_000, allowPrivateNetworks: true };

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly authorization?: string;
  readonly body: string;
}

/** A receiver whose paths answer as the cases below need; it records every request. */
async function startReceiver(): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  let other = '';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      seen.push({
        method: req.method ?? '',
        path,
        ...(req.headers.authorization && { authorization: req.headers.authorization }),
        body: Buffer.concat(chunks).toString('utf8'),
      });
      if (path === '/keep') res.writeHead(307, { location: '/ok' }).end();
      else if (path === '/see-other') res.writeHead(303, { location: '/ok' }).end();
      else if (path === '/elsewhere') res.writeHead(307, { location: `${other}/ok` }).end();
      else if (path === '/loop') res.writeHead(302, { location: '/loop' }).end();
      else if (path === '/huge') res.writeHead(200).end('x'.repeat(4096));
      else if (path === '/slow') setTimeout(() => res.writeHead(200).end('late'), 2_000);
      else
        res
          .writeHead(200, [
            ['content-type', 'application/json'],
            ['x-tag', 'a'],
            ['x-tag', 'b'],
          ])
          .end('{"done":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // The same server under another origin (localhost instead of 127.0.0.1).
  other = `http://localhost:${port}`;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

const post = (path: string) => ({
  method: 'POST',
  url: `${receiver.url}${path}`,
  headers: { 'content-type': 'application/json', authorization: 'Bearer t0ken' },
  body: '{"n":1}',
});

describe('webhook requests over HTTP', () => {
  it('answer with status, headers (repeated ones joined) and body', async () => {
    await expect(sendWebhookRequest(post('/ok'), limits)).resolves.toEqual({
      ok: true,
      answer: {
        status: 200,
        headers: expect.objectContaining({ 'content-type': 'application/json', 'x-tag': 'a, b' }),
        body: '{"done":true}',
      },
    });
  });

  it('follow a 307 with the same method and body', async () => {
    await expect(sendWebhookRequest(post('/keep'), limits)).resolves.toMatchObject({
      ok: true,
      answer: { status: 200 },
    });
    expect(receiver.seen.map((s) => [s.method, s.path, s.body])).toEqual([
      ['POST', '/keep', '{"n":1}'],
      ['POST', '/ok', '{"n":1}'],
    ]);
  });

  it('follow a 303 with a GET and no body', async () => {
    await sendWebhookRequest(post('/see-other'), limits);
    expect(receiver.seen.map((s) => [s.method, s.path, s.body])).toEqual([
      ['POST', '/see-other', '{"n":1}'],
      ['GET', '/ok', ''],
    ]);
  });

  it('do not send the authorization header to another origin', async () => {
    await sendWebhookRequest(post('/elsewhere'), limits);
    expect(receiver.seen.map((s) => s.authorization)).toEqual(['Bearer t0ken', undefined]);
  });

  it('give up after too many redirects', async () => {
    await expect(sendWebhookRequest(post('/loop'), { ...limits, maxRedirects: 2 })).resolves.toEqual({
      ok: false,
      failure: { kind: 'network', message: 'too many redirects' },
    });
    expect(receiver.seen).toHaveLength(3);
  });

  it('read no more of an answer than the limit', async () => {
    await expect(sendWebhookRequest(post('/huge'), { ...limits, maxBytes: 1024 })).resolves.toMatchObject({
      ok: true,
      answer: { status: 200, body: '' },
    });
  });

  it('time out at the deadline', async () => {
    await expect(sendWebhookRequest(post('/slow'), { ...limits, timeoutMs: 200 })).resolves.toEqual({
      ok: false,
      failure: { kind: 'timeout', message: 'timed out after 200 ms' },
    });
  });

  it('are abandoned when the caller cancels', async () => {
    const cancel = new AbortController();
    const sent = sendWebhookRequest(post('/slow'), limits, cancel.signal);
    setTimeout(() => cancel.abort(new Error('activity cancelled')), 100);
    await expect(sent).rejects.toThrow();
  });

  it('report an unreachable receiver', async () => {
    await expect(
      sendWebhookRequest({ method: 'POST', url: 'http://127.0.0.1:1/x', headers: {} }, limits),
    ).resolves.toMatchObject({
      ok: false,
      failure: { kind: 'network', message: expect.stringMatching(/^request failed: /) },
    });
  });

  it('refuse a loopback address unless private networks are allowed, sending nothing', async () => {
    await expect(
      sendWebhookRequest(post('/ok'), { ...limits, allowPrivateNetworks: false }),
    ).resolves.toMatchObject({ ok: false, failure: { kind: 'refused' } });
    expect(receiver.seen).toHaveLength(0);
  });

  it('refuse a URL scheme other than http and https', async () => {
    await expect(
      sendWebhookRequest({ method: 'GET', url: 'file:///etc/passwd', headers: {} }, limits),
    ).resolves.toEqual({ ok: false, failure: { kind: 'refused', message: 'unsupported URL scheme file:' } });
  });
});
