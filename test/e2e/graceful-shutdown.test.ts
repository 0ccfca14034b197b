import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bearer } from './launch';
import {
  startGatewayProcess,
  startServers,
  startWorkerProcess,
  stackEnv,
  type StackProcess,
} from '../faults/processes';

/** Polls `check` until it returns a value other than undefined. */
async function until<T>(check: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('SIGTERM', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'compass-shutdown-'));
  const stopped: StackProcess[] = [];
  let servers: Awaited<ReturnType<typeof startServers>>;
  afterAll(async () => {
    for (const proc of stopped.reverse()) await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets a request in flight finish, then the gateway and the worker exit 0', async () => {
    servers = await startServers(dir);
    stopped.push(servers.temporal, servers.ferretdb);
    const env = await stackEnv(path.join(dir, 'data'), servers, { REQUEST_TIMEOUT_MS: '120000' });
    const gateway = await startGatewayProcess('gateway', env, dir);
    stopped.push(gateway);

    // No worker yet: the registration waits for its workflow, in flight when SIGTERM arrives.
    const inFlight = fetch(`${gateway.url}/director/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        tenant: 'drain',
        authorization: await bearer(env.DATA_DIR!),
      },
      body: JSON.stringify({ query: 'mutation { registerApplication(in: {name: "in-flight"}) { name } }' }),
    });
    const connection = await Connection.connect({ address: servers.temporalAddress });
    const client = new Client({ connection });
    await until(async () => {
      for await (const wf of client.workflow.list({ query: 'WorkflowType = "applicationWorkflow"' }))
        return wf;
      return undefined;
    });
    await connection.close();

    gateway.current().child.kill('SIGTERM'); // the tether passes it on
    // The listener stops accepting at once.
    await until(async () =>
      fetch(`${gateway.url}/healthz`).then(
        () => undefined,
        () => true,
      ),
    );
    const worker = await startWorkerProcess('worker', env, dir);
    stopped.push(worker);

    const res = await inFlight;
    expect({ status: res.status, body: await res.json() }).toEqual({
      status: 200,
      body: { data: { registerApplication: { name: 'in-flight' } } },
    });
    expect(await gateway.current().exited).toBe(0);

    expect(await worker.kill('SIGTERM')).toBe(0);
    expect(readFileSync(path.join(dir, 'worker.log'), 'utf8')).toContain('"worker stopped"');
  });
});
