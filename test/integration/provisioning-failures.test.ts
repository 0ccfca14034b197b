import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requireBuilt } from '../fixtures/agent-process';
import { provisionerData } from '../fixtures/provisioning';
import { TestProvider } from '../fixtures/test-provider';
import { isAlive, stopProcessGroup } from '../../activities/provider/processes';
import { AGENT_MAIN } from '../../workers/provisioning';
import { eventually, fixTenant, type Stack, startStack } from './harness';

let stack: Stack;
const provider = new TestProvider();
const agentPids: number[] = [];
const agentDirs: string[] = [];

beforeAll(async () => {
  stack = await startStack({
    provisioning: {
      providers: [provider],
      settings: { PROVISION_INSTALL_TIMEOUT_SECONDS: 2, PROVISION_POLL_SECONDS: 0.1 },
    },
  });
});
afterAll(async () => {
  for (const pid of agentPids) await stopProcessGroup(pid);
  await stack?.close();
  for (const dir of agentDirs) rmSync(dir, { recursive: true, force: true });
});

const prov = <T>(query: string, variables: Record<string, unknown>, tenant: string) =>
  provisionerData<T>(stack, query, variables, tenant);

interface Op {
  id: string;
  runtimeID: string;
  state: string;
  lastError: { errMessage: string; reason: string } | null;
  stages: Array<{ name: string; state: string }>;
}
const FIELDS = `id runtimeID state lastError { errMessage reason } stages { name state }`;

async function provisionAndFinish(tenant: string, config: Record<string, unknown>): Promise<Op> {
  const started = await prov<{ provisionRuntime: Op }>(
    `mutation($c: ProvisionRuntimeInput!) { provisionRuntime(config: $c) { ${FIELDS} } }`,
    {
      c: {
        runtimeInput: { name: 'rt' },
        clusterConfig: { provider: 'test', providerSpecificConfig: config },
      },
    },
    tenant,
  );
  expect(started.errors).toBeUndefined();
  const id = started.data!.provisionRuntime.id;
  return eventually(
    async () => {
      const op = (
        await prov<{ runtimeOperationStatus: Op }>(
          `query($id: String!) { runtimeOperationStatus(id: $id) { ${FIELDS} } }`,
          { id },
          tenant,
        )
      ).data!.runtimeOperationStatus;
      return op.state === 'Failed' || op.state === 'Succeeded' ? op : undefined;
    },
    'the operation to end',
    60_000,
  );
}

const condition = async (tenant: string, id: string) =>
  (
    await stack.gql<{ runtime: { status: { condition: string } } | null }>(
      `query($id: ID!) { runtime(id: $id) { status { condition } } }`,
      { id },
      tenant,
    )
  ).body.data!.runtime?.status.condition;

describe('provisioning failures (test provider)', () => {
  it('a stage past its time limit fails naming it, compensations run in reverse order, the runtime is FAILED', async () => {
    const tenant = fixTenant();
    provider.calls.length = 0;
    const op = await provisionAndFinish(tenant, { hangAt: 'installAgent' });
    expect(op.state).toBe('Failed');
    expect(op.lastError?.errMessage).toContain(
      'timeout while processing operation: stage ConnectRuntimeAgent',
    );
    expect(op.stages.map((s) => [s.name, s.state])).toEqual([
      ['RegisterRuntime', 'Succeeded'],
      ['CreateCluster', 'Succeeded'],
      ['WaitingForClusterCreation', 'Succeeded'],
      ['ConnectRuntimeAgent', 'Failed'],
      ['RemoveAgent', 'Succeeded'],
      ['DeprovisionCluster', 'Succeeded'],
      ['WaitForClusterDeletion', 'Succeeded'],
    ]);
    expect(provider.calls.filter((c) => c !== 'status')).toEqual([
      'create',
      'installAgent',
      'removeAgent',
      'delete',
    ]);
    await eventually(
      async () => ((await condition(tenant, op.runtimeID)) === 'FAILED' ? true : undefined),
      'FAILED',
    );
  });

  it('a non-retryable provider error fails the operation at once; a retryable one is retried', async () => {
    const tenant = fixTenant();
    provider.calls.length = 0;
    const refused = await provisionAndFinish(tenant, { failAt: 'create' });
    expect(refused).toMatchObject({
      state: 'Failed',
      lastError: { reason: 'ProviderError', errMessage: 'create refused' },
    });
    expect(provider.calls).toEqual(['create']);

    provider.calls.length = 0;
    const other = fixTenant();
    const retried = await provisionAndFinish(other, {
      failAt: 'create',
      retryableFailures: 2,
      hangAt: 'installAgent',
    });
    expect(provider.calls.slice(0, 3)).toEqual(['create', 'create', 'create']);
    expect(retried.stages.find((s) => s.name === 'CreateCluster')?.state).toBe('Succeeded');
  });

  it('retryable failures at cluster creation are retried, then the whole operation succeeds and the runtime is CONNECTED', async () => {
    requireBuilt(AGENT_MAIN);
    const tenant = fixTenant();
    provider.calls.length = 0;
    // The test provider's "cluster" runs a real agent with the environment it was handed.
    provider.onInstall = (env) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'compass-test-agent-'));
      agentDirs.push(dir);
      const child = spawn(
        process.execPath,
        [
          AGENT_MAIN,
          'run',
          '--state-dir',
          dir,
          '--status-port',
          '0',
          '--heartbeat-interval',
          '0.5',
          '--allow-short-periods',
        ],
        { detached: true, stdio: 'ignore', env: { PATH: process.env.PATH ?? '', ...env } },
      );
      child.unref();
      agentPids.push(child.pid!);
    };
    try {
      const op = await provisionAndFinish(tenant, { failAt: 'create', retryableFailures: 2 });
      expect(op.state).toBe('Succeeded');
      expect(op.lastError).toBeNull();
      expect(op.stages.map((s) => [s.name, s.state])).toEqual([
        ['RegisterRuntime', 'Succeeded'],
        ['CreateCluster', 'Succeeded'],
        ['WaitingForClusterCreation', 'Succeeded'],
        ['ConnectRuntimeAgent', 'Succeeded'],
        ['WaitForAgentToConnect', 'Succeeded'],
      ]);
      expect(provider.calls.filter((c) => c !== 'status')).toEqual([
        'create',
        'create',
        'create',
        'installAgent',
      ]);
      expect(agentPids.filter(isAlive)).toHaveLength(1);
      await eventually(
        async () => ((await condition(tenant, op.runtimeID)) === 'CONNECTED' ? true : undefined),
        'CONNECTED',
      );
    } finally {
      delete provider.onInstall;
    }
  });
});
