import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isAlive } from '../../activities/provider/processes';
import { LOCAL_PROVIDER } from '../../domain/provisioning';
import { AGENT_MAIN } from '../../workers/provisioning';
import { FAST_RUNTIME_HEALTH, requireBuilt } from '../fixtures/agent-process';
import { provisionerGql } from '../fixtures/provisioning';
import { eventually, fixTenant, type Stack, startStack } from './harness';
import { mtlsGql } from './mtls-client';

let stack: Stack;

beforeAll(async () => {
  requireBuilt(AGENT_MAIN);
  stack = await startStack({
    runtimeHealth: FAST_RUNTIME_HEALTH,
    provisioning: { settings: { PROVISION_POLL_SECONDS: 0.2 } },
  });
});
afterAll(async () => {
  await stack?.close();
});

const prov = <T = Record<string, unknown>>(
  query: string,
  variables: Record<string, unknown>,
  tenant: string,
) => provisionerGql<T>(stack, query, variables, tenant);

const OPERATION = `id operation state message runtimeID lastError { errMessage reason component }
  stages { name state attempt message }`;
const PROVISION = `mutation($config: ProvisionRuntimeInput!) { provisionRuntime(config: $config) { ${OPERATION} } }`;
const OPERATION_STATUS = `query($id: String!) { runtimeOperationStatus(id: $id) { ${OPERATION} } }`;
const RUNTIME_STATUS = `query($id: String!) { runtimeStatus(id: $id) {
  lastOperationStatus { id operation state }
  runtimeConnectionStatus { status }
  runtimeConfiguration { clusterConfig { provider providerSpecificConfig } } } }`;

interface Op {
  id: string;
  operation: string;
  state: string;
  message: string | null;
  runtimeID: string;
  lastError: { errMessage: string; reason: string; component: string } | null;
  stages: Array<{ name: string; state: string; attempt: number }>;
}

const fast = { syncPeriodSeconds: 1, heartbeatIntervalSeconds: 0.5 };

async function provision(tenant: string, name: string, config: Record<string, unknown> = fast): Promise<Op> {
  const res = await prov<{ provisionRuntime: Op }>(
    PROVISION,
    {
      config: {
        runtimeInput: { name, labels: { team: 'blue' } },
        clusterConfig: { provider: 'local', providerSpecificConfig: config },
      },
    },
    tenant,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.provisionRuntime;
}

async function operation(tenant: string, id: string): Promise<Op> {
  const res = await prov<{ runtimeOperationStatus: Op }>(OPERATION_STATUS, { id }, tenant);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.runtimeOperationStatus;
}

const finished = (tenant: string, id: string) =>
  eventually(
    async () => {
      const op = await operation(tenant, id);
      return op.state === 'Succeeded' || op.state === 'Failed' ? op : undefined;
    },
    `operation ${id} to finish`,
    60_000,
  );

const directorRuntime = async (tenant: string, id: string) =>
  (
    await stack.gql<{
      runtime: {
        status: { condition: string };
        labels: Record<string, unknown>;
        health: { status: string };
      } | null;
    }>(
      `query($id: ID!) { runtime(id: $id) { status { condition } labels health { status } } }`,
      { id },
      tenant,
    )
  ).body.data!.runtime;

function cluster(tenant: string, runtimeId: string) {
  const dir = path.join(stack.runtimesDir, tenant, runtimeId);
  const read = () =>
    JSON.parse(readFileSync(path.join(dir, 'cluster.json'), 'utf8')) as { agent?: { pid: number } };
  const log = () =>
    readFileSync(path.join(stack.runtimesDir, tenant, `${runtimeId}.log`), 'utf8')
      .trim()
      .split('\n');
  return { dir, read, log };
}

describe('the Runtime Provisioner with the local provider', () => {
  it('provisions a runtime whose agent connects, then deprovisions it: agent gone, directory removed, certificate refused, runtime unregistered', async () => {
    const tenant = fixTenant();
    const started = await provision(tenant, 'local-one');
    expect(started).toMatchObject({ operation: 'Provision', state: 'InProgress' });
    const runtimeId = started.runtimeID;

    const done = await finished(tenant, started.id);
    expect(done.state).toBe('Succeeded');
    expect(done.stages.map((s) => [s.name, s.state])).toEqual([
      ['RegisterRuntime', 'Succeeded'],
      ['CreateCluster', 'Succeeded'],
      ['WaitingForClusterCreation', 'Succeeded'],
      ['ConnectRuntimeAgent', 'Succeeded'],
      ['WaitForAgentToConnect', 'Succeeded'],
    ]);
    const runtime = await eventually(async () => {
      const r = await directorRuntime(tenant, runtimeId);
      return r?.status.condition === 'CONNECTED' && r.health.status === 'HEALTHY' ? r : undefined;
    }, 'CONNECTED and HEALTHY');
    expect(runtime.labels).toMatchObject({ team: 'blue' });
    const status = await prov<{ runtimeStatus: Record<string, unknown> }>(
      RUNTIME_STATUS,
      { id: runtimeId },
      tenant,
    );
    expect(status.body.data!.runtimeStatus).toEqual({
      lastOperationStatus: { id: started.id, operation: 'Provision', state: 'Succeeded' },
      runtimeConnectionStatus: { status: 'Connected' },
      runtimeConfiguration: { clusterConfig: { provider: 'local', providerSpecificConfig: fast } },
    });

    // Operators find the operation by tenant and runtime.
    const listed: string[] = [];
    for await (const wf of stack.client.workflow.list({
      query: `TenantId = "${tenant}" AND RuntimeId = "${runtimeId}" AND OperationType = "Provision"`,
    })) {
      listed.push(wf.workflowId);
    }
    expect(listed).toEqual([`provision/${tenant}/${runtimeId}/${started.id}`]);

    const local = cluster(tenant, runtimeId);
    const pid = local.read().agent!.pid;
    expect(isAlive(pid)).toBe(true);
    const agentDir = path.join(local.dir, 'agent');
    const credentials = {
      cert: readFileSync(path.join(agentDir, 'client.crt'), 'utf8'),
      key: readFileSync(path.join(agentDir, 'client.key'), 'utf8'),
      ca: readFileSync(path.join(agentDir, 'ca.crt'), 'utf8'),
    };
    const VIEWER = `{ viewer { id type } }`;
    expect((await mtlsGql(stack, 'director', credentials, VIEWER)).status).toBe(200);

    const deprovision = await prov<{ deprovisionRuntime: string }>(
      `mutation($id: String!) { deprovisionRuntime(id: $id) }`,
      { id: runtimeId },
      tenant,
    );
    expect(deprovision.body.errors).toBeUndefined();
    const gone = await finished(tenant, deprovision.body.data!.deprovisionRuntime);
    expect(gone).toMatchObject({ operation: 'Deprovision', state: 'Succeeded' });
    expect(gone.stages.map((s) => s.name)).toEqual([
      'RevokeCredentials',
      'RemoveAgent',
      'DeprovisionCluster',
      'WaitForClusterDeletion',
      'UnregisterRuntime',
    ]);
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(local.dir)).toBe(false);
    expect(local.log().map((l) => l.split(' ')[0])).toEqual([
      'create',
      'installAgent',
      'removeAgent',
      'delete',
    ]);
    // Revoked by the worker: the gateway refuses it once it has read the revocation feed.
    await eventually(
      async () => ((await mtlsGql(stack, 'director', credentials, VIEWER)).status === 401 ? true : undefined),
      'the revoked certificate to be refused',
    );
    await eventually(
      async () => ((await directorRuntime(tenant, runtimeId)) === null ? true : undefined),
      'the runtime to be unregistered',
    );
  });

  it('refuses a second operation while one runs; deprovisioning cancels the running provisioning, compensates, and removes the runtime', async () => {
    const tenant = fixTenant();
    const started = await provision(tenant, 'slow', { ...fast, readyAfterSeconds: 3600 });
    await eventually(async () => {
      const op = await operation(tenant, started.id);
      return op.stages.some((s) => s.name === 'WaitingForClusterCreation') ? true : undefined;
    }, 'WaitingForClusterCreation');

    const second = await prov(
      `mutation($id: String!) { reconnectRuntimeAgent(id: $id) }`,
      { id: started.runtimeID },
      tenant,
    );
    expect(second.body.errors?.[0]?.extensions).toMatchObject({ error_code: 27 });
    expect(second.body.errors?.[0]?.message).toContain(
      'only one asynchronous operation per RuntimeID can run at any given point in time',
    );
    const unregister = await stack.gql(
      `mutation($id: ID!) { unregisterRuntime(id: $id) { id } }`,
      { id: started.runtimeID },
      tenant,
    );
    expect(unregister.body.errors?.[0]?.extensions).toMatchObject({ error_code: 27 });
    expect((await directorRuntime(tenant, started.runtimeID))?.status.condition).toBe('PROVISIONING');

    const deprovision = await prov<{ deprovisionRuntime: string }>(
      `mutation($id: String!) { deprovisionRuntime(id: $id) }`,
      { id: started.runtimeID },
      tenant,
    );
    expect(deprovision.body.errors).toBeUndefined();
    const cancelled = await finished(tenant, started.id);
    expect(cancelled).toMatchObject({ state: 'Failed', lastError: { reason: 'Cancelled' } });
    expect(cancelled.stages.map((s) => [s.name, s.state])).toEqual([
      ['RegisterRuntime', 'Succeeded'],
      ['CreateCluster', 'Succeeded'],
      ['WaitingForClusterCreation', 'Failed'],
      ['DeprovisionCluster', 'Succeeded'],
      ['WaitForClusterDeletion', 'Succeeded'],
    ]);
    expect((await finished(tenant, deprovision.body.data!.deprovisionRuntime)).state).toBe('Succeeded');
    await eventually(
      async () => ((await directorRuntime(tenant, started.runtimeID)) === null ? true : undefined),
      'the runtime to be gone',
    );
    expect(
      cluster(tenant, started.runtimeID)
        .log()
        .filter((l) => l.startsWith('create')),
    ).toHaveLength(1);
  });

  it('answers bad input with clear codes and starts nothing', async () => {
    const tenant = fixTenant();
    const other = fixTenant();
    const bad = async (
      clusterConfig: Record<string, unknown>,
      runtimeInput: Record<string, unknown> = { name: 'x' },
    ) => (await prov(PROVISION, { config: { runtimeInput, clusterConfig } }, tenant)).body.errors?.[0];
    expect((await bad({ provider: 'gardener' }))?.extensions).toMatchObject({ error_code: 22 });
    expect(
      (await bad({ provider: 'local', providerSpecificConfig: { syncPeriodSeconds: 'soon' } }))?.extensions,
    ).toMatchObject({
      error_code: 22,
    });
    expect(
      (await bad({ provider: 'local', providerSpecificConfig: { nodes: 3 } }))?.extensions,
    ).toMatchObject({
      error_code: 22,
    });
    expect((await bad({ provider: 'local' }, { name: '' }))?.extensions).toMatchObject({ error_code: 22 });
    const unknown = await prov(`mutation { deprovisionRuntime(id: "no-such-runtime") }`, {}, tenant);
    expect(unknown.body.errors?.[0]?.extensions).toMatchObject({ error_code: 20 });

    const mine = await provision(other, 'theirs');
    for (const doc of [
      `mutation($id: String!) { deprovisionRuntime(id: $id) }`,
      `query($id: String!) { runtimeStatus(id: $id) { runtimeConnectionStatus { status } } }`,
    ]) {
      const res = await prov(doc, { id: mine.runtimeID }, tenant);
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ error_code: 20 });
    }
    const op = await prov(OPERATION_STATUS, { id: mine.id }, tenant);
    expect(op.body.errors?.[0]?.extensions).toMatchObject({ error_code: 20 });

    const started: string[] = [];
    for await (const wf of stack.client.workflow.list({ query: `TenantId = "${tenant}"` }))
      started.push(wf.workflowId);
    expect(started).toEqual([]);
    expect(existsSync(path.join(stack.runtimesDir, tenant))).toBe(false);

    expect((await finished(other, mine.id)).state).toBe('Succeeded');
    const dep = await prov<{ deprovisionRuntime: string }>(
      `mutation($id: String!) { deprovisionRuntime(id: $id) }`,
      { id: mine.runtimeID },
      other,
    );
    expect((await finished(other, dep.body.data!.deprovisionRuntime)).state).toBe('Succeeded');
  });

  it('lists its providers with the JSON Schema of their config, for a client to build its form from', async () => {
    const res = await prov<{
      providers: Array<{ name: string; configSchema: unknown; operations: string[] }>;
    }>(`{ providers { name configSchema operations } }`, {}, fixTenant());
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.providers).toEqual([
      { name: 'local', configSchema: LOCAL_PROVIDER.configSchema, operations: LOCAL_PROVIDER.operations },
    ]);
  });
});
