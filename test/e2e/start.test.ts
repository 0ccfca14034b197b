import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { bearer, launch, launchEnv, untilUp } from './launch';
import { isListening } from '../../scripts/servers/process';

async function gql(
  url: string,
  query: string,
  tenant: string,
  dataDir: string,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/director/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', tenant, authorization: await bearer(dataDir) },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as Record<string, unknown>;
}

describe('npm start', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'compass-e2e-'));
    env = await launchEnv(dataDir);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('brings the stack up, stops it on Ctrl-C, and keeps all data across a restart', async () => {
    const url = `http://127.0.0.1:${env.PORT}`;
    const first = launch(env);
    await untilUp(first);
    expect(first.output()).toContain(`Director GraphQL API   ${url}/director/graphql`);
    expect(first.output()).toContain(`Temporal Web UI        http://127.0.0.1:${env.TEMPORAL_UI_PORT}`);
    expect((await fetch(`http://127.0.0.1:${env.TEMPORAL_UI_PORT}/`)).status).toBe(200);
    expect((await fetch(`${url}/graphiql`)).status).toBe(200);

    const registered = await gql(
      url,
      'mutation { registerApplication(in: {name: "kept"}) { id name } }',
      'e2e',
      dataDir,
    );
    const app = (registered.data as { registerApplication: { id: string; name: string } })
      .registerApplication;
    expect(app.name).toBe('kept');

    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    for (const port of [env.PORT, env.TEMPORAL_PORT, env.TEMPORAL_UI_PORT, env.MONGODB_PORT]) {
      expect(await isListening(Number(port))).toBe(false);
    }

    const second = launch(env);
    try {
      await untilUp(second);
      const read = await gql(url, `{ application(id: "${app.id}") { id name } }`, 'e2e', dataDir);
      expect(read).toEqual({ data: { application: app } });
    } finally {
      second.child.kill('SIGINT');
      await second.exited;
    }
  });

  it('names the variable to change when the gateway port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(Number(env.PORT), '127.0.0.1', resolve));
    try {
      const run = launch(env);
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(
        `port ${env.PORT} is already in use: stop what uses it or set PORT to another port`,
      );
    } finally {
      blocker.close();
    }
  });
});
