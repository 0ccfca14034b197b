import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, openSync, closeSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { isAlive, stopProcessGroup } from '../activities/provider/processes';
import { provisioningWorkflowId } from '../domain/ids';
import { devAuthorization } from '../scripts/in-process-stack';
import { AGENT_MAIN } from '../workers/provisioning';
import { type BenchContext, startBenchStack } from './context';
import { type Comparison, combine, compare, measure, type Sample } from './measure';

const MIN_RUNTIMES = 20;
const MAX_RUNTIMES = 30;
const ROUNDS = 2;
/** How often both sides ask the Director whether a runtime is CONNECTED. */
const POLL_MS = 100;
/** The agents' periods, the same on both sides. */
const AGENT = { syncPeriodSeconds: 5, heartbeatIntervalSeconds: 5 };

const PROVISION = `mutation($c: ProvisionRuntimeInput!) { provisionRuntime(config: $c) { id runtimeID } }`;
const DEPROVISION = `mutation($id: String!) { deprovisionRuntime(id: $id) }`;
const REGISTER = `mutation($in: RuntimeInput!) { registerRuntime(in: $in) { id } }`;
const UNREGISTER = `mutation($id: ID!) { unregisterRuntime(id: $id) { id } }`;
const TOKEN = `mutation($id: ID!) { requestOneTimeTokenForRuntime(id: $id) { token connectorURL } }`;
const CONDITION = `query($id: ID!) { runtime(id: $id) { status { condition } } }`;
const OPERATION = `query($id: String!) { runtimeOperationStatus(id: $id) { state } }`;

/**
 * N runtimes (20 ≤ N ≤ 30, from `-n`) provisioned at once with the local provider, each timed
 * from provisionRuntime until the Director shows it CONNECTED (cluster directory, one-time
 * token, a real agent process, its pairing). Floor, in alternating rounds of the same run: the
 * same number of runtimes registered and paired directly (registerRuntime, a one-time token,
 * the same agent process started by hand), timed until CONNECTED. Both sides poll the Director
 * every 100 ms. Not timed: deprovisioning and unregistering after each round. Also printed: the
 * Temporal cost of one provisioning workflow (history events, workflow tasks).
 */
export async function provisionBenchmark(ctx: BenchContext): Promise<Comparison> {
  const n = Math.max(MIN_RUNTIMES, Math.min(ctx.count, MAX_RUNTIMES));
  const opts = { count: n, concurrency: n };
  const warm = { count: 4, concurrency: 4 };
  const stack = await startBenchStack(ctx);
  const authorization = await devAuthorization();
  const floorDir = mkdtempSync(path.join(os.tmpdir(), 'compass-bench-agents-'));
  const post = async <T>(api: string, tenant: string, query: string, variables: object): Promise<T> => {
    const res = await fetch(`${stack.url}/${api}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', tenant, authorization },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: unknown[] };
    if (body.errors || !body.data) throw new Error(`${api} failed: ${JSON.stringify(body.errors)}`);
    return body.data;
  };
  const condition = async (tenant: string, id: string) =>
    (await post<{ runtime: { status: { condition: string } } | null }>('director', tenant, CONDITION, { id }))
      .runtime?.status.condition;
  const untilConnected = async (tenant: string, id: string, alive: () => boolean = () => true) => {
    for (;;) {
      if (!alive()) throw new Error(`the agent of runtime ${id} exited before it connected`);
      const c = await condition(tenant, id);
      if (c === 'CONNECTED') return;
      if (c === 'FAILED') throw new Error(`runtime ${id} FAILED`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  };

  /** One round of the project: provisioned runtimes of a fresh tenant, then deprovisioned untimed. */
  const provisioned: Array<{ tenant: string; runtimeId: string; operationId: string }> = [];
  const projectRound = async (subject: string, o: { count: number; concurrency: number }) => {
    const tenant = `bench-${randomUUID()}`;
    const round: typeof provisioned = [];
    const sample = await measure(
      subject,
      async (i) => {
        const op = await post<{ provisionRuntime: { id: string; runtimeID: string } }>(
          'provisioner',
          tenant,
          PROVISION,
          {
            c: {
              runtimeInput: { name: `prov-${i}` },
              clusterConfig: { provider: 'local', providerSpecificConfig: AGENT },
            },
          },
        );
        round.push({ tenant, runtimeId: op.provisionRuntime.runtimeID, operationId: op.provisionRuntime.id });
        await untilConnected(tenant, op.provisionRuntime.runtimeID);
      },
      o,
    );
    provisioned.push(...round);
    await Promise.all(
      round.map(async ({ runtimeId, operationId }) => {
        // CONNECTED comes with the agent's pairing; the operation ends a moment later
        const ended = async () =>
          (
            await post<{ runtimeOperationStatus: { state: string } }>('provisioner', tenant, OPERATION, {
              id: operationId,
            })
          ).runtimeOperationStatus.state;
        while (!['Succeeded', 'Failed'].includes(await ended()))
          await new Promise((r) => setTimeout(r, POLL_MS));
        await post('provisioner', tenant, DEPROVISION, { id: runtimeId });
        while ((await condition(tenant, runtimeId)) !== undefined)
          await new Promise((r) => setTimeout(r, POLL_MS));
      }),
    );
    return sample;
  };

  /** One round of the floor: runtimes registered and paired by an agent started by hand. */
  const floorRound = async (subject: string, o: { count: number; concurrency: number }) => {
    const tenant = `bench-${randomUUID()}`;
    const started: Array<{ id: string; pid: number }> = [];
    const sample = await measure(
      subject,
      async (i) => {
        const { registerRuntime } = await post<{ registerRuntime: { id: string } }>(
          'director',
          tenant,
          REGISTER,
          { in: { name: `floor-${i}` } },
        );
        const { requestOneTimeTokenForRuntime: token } = await post<{
          requestOneTimeTokenForRuntime: { token: string; connectorURL: string };
        }>('director', tenant, TOKEN, { id: registerRuntime.id });
        const pid = startAgent(floorDir, registerRuntime.id, {
          CONNECTOR_URL: token.connectorURL,
          TOKEN: token.token,
          RUNTIME_ID: registerRuntime.id,
          TENANT: tenant,
        });
        started.push({ id: registerRuntime.id, pid });
        await untilConnected(tenant, registerRuntime.id, () => isAlive(pid));
      },
      o,
    );
    await Promise.all(
      started.map(async ({ id, pid }) => {
        await stopProcessGroup(pid);
        await post('director', tenant, UNREGISTER, { id });
      }),
    );
    return sample;
  };

  try {
    await projectRound('warm-up', warm);
    await floorRound('warm-up', warm);
    provisioned.length = 0;
    const projectRounds: Sample[] = [];
    const floorRounds: Sample[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      floorRounds.push(await floorRound('register + token + agent, to CONNECTED (floor)', opts));
      projectRounds.push(await projectRound('provisionRuntime (local), to CONNECTED', opts));
    }
    const project = combine(projectRounds);
    const floor = combine(floorRounds);
    const cost = await temporalCost(stack.client, provisioned);
    return compare(
      'provision',
      project,
      floor,
      `${n} runtimes at once; ${(project.opsPerSecond * 60).toFixed(0)} operations/min vs ` +
        `${(floor.opsPerSecond * 60).toFixed(0)} pairings/min; time to CONNECTED p50 ratio ` +
        `${(project.p50Ms / floor.p50Ms).toFixed(2)}×, p99 ratio ${(project.p99Ms / floor.p99Ms).toFixed(2)}× ` +
        `(target ≤ 1.3×); per provisioning workflow: ${cost.events.toFixed(1)} history events, ` +
        `${cost.workflowTasks.toFixed(1)} workflow tasks, ${cost.activities.toFixed(1)} activities ` +
        `(${cost.localActivities.toFixed(1)} local); both sides poll the Director every ${POLL_MS} ms`,
    );
  } finally {
    await stack.close();
    rmSync(floorDir, { recursive: true, force: true });
  }
}

/** Starts the built agent as the local provider does, detached, with the Provisioner's variables. */
function startAgent(root: string, runtimeId: string, env: Record<string, string>): number {
  const log = openSync(path.join(root, `${runtimeId}.log`), 'a');
  const child = spawn(
    process.execPath,
    [
      AGENT_MAIN,
      'run',
      '--state-dir',
      path.join(root, runtimeId),
      '--status-port',
      '0',
      '--runtime-id',
      runtimeId,
      '--sync-period',
      String(AGENT.syncPeriodSeconds),
      '--heartbeat-interval',
      String(AGENT.heartbeatIntervalSeconds),
      '--allow-short-periods',
    ],
    { detached: true, stdio: ['ignore', log, log], env: { PATH: process.env.PATH ?? '', ...env } },
  );
  closeSync(log);
  child.unref();
  if (child.pid === undefined) throw new Error('the agent process did not start');
  return child.pid;
}

/** Mean history events, workflow tasks and activities of the provisioning workflows. */
async function temporalCost(
  client: Awaited<ReturnType<typeof startBenchStack>>['client'],
  ops: ReadonlyArray<{ tenant: string; runtimeId: string; operationId: string }>,
) {
  const T = temporal.api.enums.v1.EventType;
  const totals = { events: 0, workflowTasks: 0, activities: 0, localActivities: 0 };
  for (const op of ops) {
    const history = await client.workflow
      .getHandle(provisioningWorkflowId(op.tenant, op.runtimeId, op.operationId))
      .fetchHistory();
    const events = history.events ?? [];
    totals.events += events.length;
    totals.workflowTasks += events.filter((e) => e.eventType === T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).length;
    totals.activities += events.filter((e) => e.eventType === T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).length;
    totals.localActivities += events.filter(
      (e) =>
        e.eventType === T.EVENT_TYPE_MARKER_RECORDED &&
        e.markerRecordedEventAttributes?.markerName === 'core_local_activity',
    ).length;
  }
  const per = Math.max(ops.length, 1);
  return {
    events: totals.events / per,
    workflowTasks: totals.workflowTasks / per,
    activities: totals.activities / per,
    localActivities: totals.localActivities / per,
  };
}
