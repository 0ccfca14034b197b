import net from 'node:net';
import pino from 'pino';
import { startGateway } from '../../api/server';
import { loadConfig } from '../../infra/config';
import { freePort, isListening } from '../../scripts/servers/process';
import { startStack, type Stack } from './harness';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false });
});
afterAll(async () => {
  await stack?.close();
});

/** Holds `port` on 127.0.0.1 until `close`, as another process (say, `npm start`) would. */
async function occupy(port: number): Promise<net.Server> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

describe('gateway start-up', () => {
  it.each(['MTLS_PORT', 'INTERNAL_CONNECTOR_PORT'] as const)(
    'fails on a taken %s and releases every listener it had opened',
    async (taken) => {
      const ports = { PORT: await freePort(), MTLS_PORT: await freePort(), INTERNAL_CONNECTOR_PORT: 0 };
      if (taken === 'INTERNAL_CONNECTOR_PORT') ports.INTERNAL_CONNECTOR_PORT = await freePort();
      const blocker = await occupy(ports[taken]);
      try {
        await expect(
          startGateway({
            config: { ...loadConfig({}), DATA_DIR: stack.dataDir, HOST: '127.0.0.1', ...ports },
            db: stack.mongo.db,
            temporal: stack.client,
            log: pino({ level: 'silent' }),
            ca: stack.ca,
          }),
        ).rejects.toThrow(/EADDRINUSE/);
      } finally {
        blocker.close();
      }
      // Nothing it started still listens (a leaked listener would also keep jest from exiting).
      expect(await isListening(ports.PORT)).toBe(false);
      if (taken === 'INTERNAL_CONNECTOR_PORT') expect(await isListening(ports.MTLS_PORT)).toBe(false);
    },
  );
});
