import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isAlive } from '../../activities/provider/processes';
import { AGENT_MAIN } from '../../workers/provisioning';
import { FAST_RUNTIME_HEALTH, requireBuilt } from '../fixtures/agent-process';
import { provisionerData } from '../fixtures/provisioning';
import { eventually, fixTenant, type Stack, startStack, testEnv } from './harness';

/** The built worker (`npm run build` first), run as its own process so it can be SIGKILLed. */
const WORKER_MAIN = path.join(__dirname, '..', '..', 'dist', 'workers', 'main.js');

let stack: Stack;
let dataDir: string;
const workers: ChildProcess[] = [];
const agentPids: number[] = [];

beforeAll(async () => {
  requireBuilt(WORKER_MAIN, AGENT_MAIN);
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'compass-worker-'));
  // The gateway runs here; the worker is a separate process on the stack's task queue.
  stack = await startStack({
    worker: false,
    runtimeHealth: FAST_RUNTIME_HEALTH,
    provisioning: { settings: { PROVISION_POLL_SECONDS: 0.2 } },
  });
});
afterAll(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  for (const pid of agentPids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  await stack?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts `dist/workers/main.js` with the stack's servers, task queue and CA; its own data directory. */
function startWorkerProcess(): ChildProcess {
  const log = openSync(path.join(dataDir, 'worker.log'), 'a');
  const child = spawn(process.execPath, [WORKER_MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      TEMPORAL_ADDRESS: testEnv('COMPASS_TEST_TEMPORAL_ADDRESS'),
      TEMPORAL_NAMESPACE: testEnv('COMPASS_TEST_NAMESPACE'),
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      MONGODB_URI: `${testEnv('COMPASS_TEST_MONGODB_BASE')}/${stack.mongo.db.databaseName}`,
      DATA_DIR: dataDir,
      CA_DIR: path.join(stack.dataDir, 'ca'),
      PUBLIC_URL: stack.url,
      LOG_LEVEL: 'warn',
      // any free port: the default one belongs to a worker that `npm start` may be running
      WORKER_METRICS_PORT: '0',
    },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  workers.push(child);
  return child;
}

const prov = <T>(query: string, variables: Record<string, unknown>, tenant: string) =>
  provisionerData<T>(stack, query, variables, tenant);

interface Op {
  id: string;
  runtimeID: string;
  state: string;
  stages: Array<{ name: string; state: string; attempt: number }>;
}
const FIELDS = `id runtimeID state stages { name state attempt }`;
const operation = async (tenant: string, id: string) =>
  (
    await prov<{ runtimeOperationStatus: Op }>(
      `query($id: String!) { runtimeOperationStatus(id: $id) { ${FIELDS} } }`,
      { id },
      tenant,
    )
  ).data!.runtimeOperationStatus;

describe('provisioning across a worker crash', () => {
  it('a worker SIGKILLed while the cluster is being created, then restarted: the operation completes and the cluster is created once', async () => {
    const tenant = fixTenant();
    const first = startWorkerProcess();
    const exited = new Promise((resolve) => first.once('exit', resolve));

    const started = await prov<{ provisionRuntime: Op }>(
      `mutation($c: ProvisionRuntimeInput!) { provisionRuntime(config: $c) { ${FIELDS} } }`,
      {
        c: {
          runtimeInput: { name: 'survivor' },
          clusterConfig: {
            provider: 'local',
            providerSpecificConfig: {
              readyAfterSeconds: 3,
              syncPeriodSeconds: 1,
              heartbeatIntervalSeconds: 0.5,
            },
          },
        },
      },
      tenant,
    );
    expect(started.errors).toBeUndefined();
    const { id, runtimeID } = started.data!.provisionRuntime;
    const runtimeLog = path.join(dataDir, 'runtimes', tenant, `${runtimeID}.log`);

    // The crash: the cluster exists, the worker is waiting for it to be ready.
    await eventually(
      async () => {
        const op = await operation(tenant, id);
        const waiting = op.stages.find((s) => s.name === 'WaitingForClusterCreation');
        return waiting?.state === 'InProgress' && existsSync(runtimeLog) ? true : undefined;
      },
      'the worker to wait for the cluster',
      90_000,
    );
    first.kill('SIGKILL');
    await exited;

    startWorkerProcess();
    const done = await eventually(
      async () => {
        const op = await operation(tenant, id);
        return op.state === 'Succeeded' || op.state === 'Failed' ? op : undefined;
      },
      'the operation to finish on the new worker',
      90_000,
    );
    expect(done.state).toBe('Succeeded');
    expect(done.stages.map((s) => [s.name, s.state])).toEqual([
      ['RegisterRuntime', 'Succeeded'],
      ['CreateCluster', 'Succeeded'],
      ['WaitingForClusterCreation', 'Succeeded'],
      ['ConnectRuntimeAgent', 'Succeeded'],
      ['WaitForAgentToConnect', 'Succeeded'],
    ]);
    const cluster = JSON.parse(
      readFileSync(path.join(dataDir, 'runtimes', tenant, runtimeID, 'cluster.json'), 'utf8'),
    ) as { agent: { pid: number } };
    agentPids.push(cluster.agent.pid);
    expect(isAlive(cluster.agent.pid)).toBe(true);
    const steps = () =>
      readFileSync(runtimeLog, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' ')[0]);
    expect(steps()).toEqual(['create', 'installAgent']);
    await eventually(async () => {
      const res = await stack.gql<{ runtime: { status: { condition: string } } }>(
        `query($id: ID!) { runtime(id: $id) { status { condition } } }`,
        { id: runtimeID },
        tenant,
      );
      return res.body.data!.runtime.status.condition === 'CONNECTED' ? true : undefined;
    }, 'CONNECTED');

    // The new worker also deprovisions: the agent started before the crash is stopped.
    const dep = await prov<{ deprovisionRuntime: string }>(
      `mutation($id: String!) { deprovisionRuntime(id: $id) }`,
      { id: runtimeID },
      tenant,
    );
    expect(dep.errors).toBeUndefined();
    const gone = await eventually(async () => {
      const op = await operation(tenant, dep.data!.deprovisionRuntime);
      return op.state === 'Succeeded' || op.state === 'Failed' ? op : undefined;
    }, 'the deprovisioning to finish');
    expect(gone.state).toBe('Succeeded');
    expect(isAlive(cluster.agent.pid)).toBe(false);
    expect(steps()).toEqual(['create', 'installAgent', 'removeAgent', 'delete']);
  });
});
