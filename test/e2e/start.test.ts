import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { issueDevToken, loadOrCreateDevIssuer } from '../../api/auth/dev-issuer';
import { allScopes } from '../../api/auth/scopes';
import { freePort, isListening } from '../../scripts/servers/process';

const START = path.join(__dirname, '..', '..', 'dist', 'scripts', 'start.js');

interface Launch {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

function launch(env: NodeJS.ProcessEnv): Launch {
  const child = spawn(process.execPath, [START], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function untilUp(l: Launch): Promise<void> {
  for (;;) {
    if (l.output().includes('Compass on Temporal is up')) return;
    const done = await Promise.race([
      l.exited.then(() => true),
      new Promise((r) => setTimeout(() => r(false), 200)),
    ]);
    if (done) throw new Error(`npm start exited before the stack was up:\n${l.output()}`);
  }
}

/** A token from the stack's own local issuer, as `npm run token` prints it. */
async function bearer(dataDir: string): Promise<string> {
  const issuer = await loadOrCreateDevIssuer(dataDir);
  return `Bearer ${await issueDevToken(issuer, { tenant: '', scopes: allScopes(), consumerId: 'e2e', ttlSec: 600 })}`;
}

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
    env = {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      TEMPORAL_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      MONGODB_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
      TEMPORAL_ADDRESS: '',
      MONGODB_URI: '',
    };
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
