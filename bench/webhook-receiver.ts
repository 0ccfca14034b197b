import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a receiver got, as it arrived. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** How the receiver answers one request; `hold` never answers until the request is aborted. */
export type Answer =
  { readonly status: number; readonly json?: unknown; readonly headers?: Record<string, string> } | 'hold';

/** An application's webhook: a real HTTP server on a free loopback port (benchmarks and tests). */
export interface WebhookReceiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Sets how requests are answered from now on (by request, in order of arrival). */
  answer(fn: (req: ReceivedRequest, n: number) => Answer | Promise<Answer>): void;
  /** Resolves once the receiver has got `count` requests. */
  received(count: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const waiters: Array<() => void> = [];
  let answer: (req: ReceivedRequest, n: number) => Answer | Promise<Answer> = () => ({ status: 500 });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(received);
      waiters.splice(0).forEach((wake) => wake());
      void Promise.resolve(answer(received, requests.length)).then((a) => {
        if (a === 'hold') return;
        res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
        res.end(a.json === undefined ? '' : JSON.stringify(a.json));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answer: (fn) => (answer = fn),
    received: async (count) => {
      while (requests.length < count) await new Promise<void>((wake) => waiters.push(wake));
      return requests.slice(0, count);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
