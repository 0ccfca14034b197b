import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isAlive } from '../../activities/provider/processes';
import { AGENT_MAIN } from '../../workers/provisioning';
import { FAST_RUNTIME_HEALTH, requireBuilt } from '../fixtures/agent-process';
import { provisionerData } from '../fixtures/provisioning';
import { eventually, fixTenant, type Stack, startStack } from './harness';

let stack: Stack;

beforeAll(async () => {
  requireBuilt(AGENT_MAIN);
  // A silent agent is UNREACHABLE after 3 s.
  stack = await startStack({
    runtimeHealth: FAST_RUNTIME_HEALTH,
    provisioning: { settings: { PROVISION_POLL_SECONDS: 0.2 } },
  });
});
afterAll(async () => {
  await stack?.close();
});

const prov = <T>(query: string, variables: Record<string, unknown>, tenant: string) =>
  provisionerData<T>(stack, query, variables, tenant);

interface Op {
  id: string;
  operation: string;
  state: string;
  runtimeID: string;
  stages: Array<{ name: string; state: string }>;
}
const OP = `id operation state runtimeID stages { name state }`;

/** Runs a mutation answering an OperationStatus, expects no errors, and waits for the operation's end. */
async function operate(tenant: string, mutation: string, variables: Record<string, unknown>): Promise<Op> {
  const res = await prov<Record<string, Op>>(mutation, variables, tenant);
  expect(res.errors).toBeUndefined();
  const started = Object.values(res.data!)[0]!;
  return eventually(
    async () => {
      const op = (
        await prov<{ runtimeOperationStatus: Op }>(
          `query($id: String!) { runtimeOperationStatus(id: $id) { ${OP} } }`,
          { id: started.id },
          tenant,
        )
      ).data!.runtimeOperationStatus;
      return op.state === 'Succeeded' || op.state === 'Failed' ? op : undefined;
    },
    `${started.operation} to finish`,
    60_000,
  );
}

const connection = async (tenant: string, id: string) =>
  (
    await prov<{
      runtimeStatus: {
        runtimeConnectionStatus: { status: string };
        runtimeConfiguration: { clusterConfig: { providerSpecificConfig: Record<string, unknown> } };
      };
    }>(
      `query($id: String!) { runtimeStatus(id: $id) {
        runtimeConnectionStatus { status }
        runtimeConfiguration { clusterConfig { providerSpecificConfig } } } }`,
      { id },
      tenant,
    )
  ).data!.runtimeStatus;

const until = (tenant: string, id: string, status: string) =>
  eventually(
    async () => ((await connection(tenant, id)).runtimeConnectionStatus.status === status ? true : undefined),
    `runtimeConnectionStatus ${status}`,
  );

describe('upgrading, hibernating and waking a local runtime', () => {
  it('upgrade restarts the agent with the new configuration; hibernation stops it (Disconnected); waking starts it again on its certificate (Connected)', async () => {
    const tenant = fixTenant();
    const first = { syncPeriodSeconds: 1, heartbeatIntervalSeconds: 0.5 };
    const provisioned = await operate(
      tenant,
      `mutation($c: ProvisionRuntimeInput!) { provisionRuntime(config: $c) { ${OP} } }`,
      {
        c: {
          runtimeInput: { name: 'lifecycle' },
          clusterConfig: { provider: 'local', providerSpecificConfig: first },
        },
      },
    );
    expect(provisioned.state).toBe('Succeeded');
    const id = provisioned.runtimeID;
    await until(tenant, id, 'Connected');
    const dir = path.join(stack.runtimesDir, tenant, id);
    const cluster = () =>
      JSON.parse(readFileSync(path.join(dir, 'cluster.json'), 'utf8')) as {
        hibernated: boolean;
        config: { providerSpecificConfig: Record<string, unknown> };
        agent: { pid: number };
      };
    const provisionedPid = cluster().agent.pid;

    const second = { syncPeriodSeconds: 2, heartbeatIntervalSeconds: 0.5 };
    const upgraded = await operate(
      tenant,
      `mutation($id: String!, $c: UpgradeRuntimeInput!) { upgradeRuntime(id: $id, config: $c) { ${OP} } }`,
      { id, c: { clusterConfig: { provider: 'local', providerSpecificConfig: second } } },
    );
    expect(upgraded).toMatchObject({ operation: 'Upgrade', state: 'Succeeded' });
    expect(upgraded.stages).toEqual([
      { name: 'StartingUpgrade', state: 'Succeeded' },
      { name: 'WaitingForClusterCreation', state: 'Succeeded' },
    ]);
    const upgradedPid = cluster().agent.pid;
    expect(upgradedPid).not.toBe(provisionedPid);
    expect(isAlive(provisionedPid)).toBe(false);
    expect(isAlive(upgradedPid)).toBe(true);
    expect(cluster().config.providerSpecificConfig).toEqual(second);
    expect((await connection(tenant, id)).runtimeConfiguration.clusterConfig.providerSpecificConfig).toEqual(
      second,
    );

    const hibernated = await operate(
      tenant,
      `mutation($id: String!) { hibernateRuntime(id: $id) { ${OP} } }`,
      {
        id,
      },
    );
    expect(hibernated).toMatchObject({
      operation: 'Hibernate',
      state: 'Succeeded',
      stages: [{ name: 'WaitForHibernation', state: 'Succeeded' }],
    });
    expect(isAlive(upgradedPid)).toBe(false);
    expect(cluster().hibernated).toBe(true);
    await until(tenant, id, 'Disconnected');

    const woken = await operate(tenant, `mutation($id: String!) { wakeUpRuntime(id: $id) { ${OP} } }`, {
      id,
    });
    expect(woken).toMatchObject({
      operation: 'WakeUp',
      state: 'Succeeded',
      stages: [{ name: 'WaitForWakeUp', state: 'Succeeded' }],
    });
    expect(cluster().hibernated).toBe(false);
    expect(isAlive(cluster().agent.pid)).toBe(true);
    await until(tenant, id, 'Connected');

    const operations = await prov<{ runtimeOperations: Array<{ operation: string; state: string }> }>(
      `query($id: String!) { runtimeOperations(id: $id) { operation state } }`,
      { id },
      tenant,
    );
    expect(operations.data!.runtimeOperations).toEqual(
      ['Provision', 'Upgrade', 'Hibernate', 'WakeUp'].map((operation) => ({ operation, state: 'Succeeded' })),
    );

    const dep = await prov<{ deprovisionRuntime: string }>(
      `mutation($id: String!) { deprovisionRuntime(id: $id) }`,
      { id },
      tenant,
    );
    expect(dep.errors).toBeUndefined();
    const woke = cluster().agent.pid;
    await eventually(async () => (existsSync(dir) ? undefined : true), 'the cluster to be deleted');
    expect(isAlive(woke)).toBe(false);
  });
});
