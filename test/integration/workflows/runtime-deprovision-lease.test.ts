import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { runtimeWorkflowId } from '../../../domain/ids';
import { type Operation, OperationState, OperationType, Stage } from '../../../domain/provisioning';
import type { OperationRequest } from '../../../workflows/provisioning/messages';
import {
  heartbeatSignal,
  operationFinishedSignal,
  startOperationUpdate,
  type RuntimeHeartbeat,
} from '../../../workflows/runtime/messages';
import type { runtimeWorkflow } from '../../../workflows/runtime/workflow';
import { testEnv } from '../harness';
import { useTemporal } from './temporal-fixture';

const temporal = useTemporal();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Fakes of the runtime and provisioning workflows' activities. Recording an operation is slow,
 * a health transition fast: the two local activities a workflow task may start together end
 * in separate activations, as under load.
 */
function fixActivities() {
  const operations: Operation[] = [];
  return {
    operations,
    activities: {
      recordOperation: async (operation: Operation) => {
        await sleep(1500);
        operations.push(operation);
      },
      recordRuntimeHealthTransition: async () => undefined,
      readHeartbeatIntakeUpSince: async () => new Date(0).toISOString(),
      setRuntimeCondition: async () => undefined,
      deleteRuntime: async () => undefined,
      deleteObjectIdentities: async () => undefined,
      removeAgent: async () => undefined,
      deleteCluster: async () => undefined,
      awaitCluster: async () => undefined,
    },
  };
}

function fixHeartbeat(overrides: Partial<RuntimeHeartbeat> = {}): RuntimeHeartbeat {
  return {
    status: 'UP',
    checks: [{ name: 'connection', status: 'UP' }],
    receivedAt: new Date().toISOString(),
    graceMs: 60_000,
    ...overrides,
  };
}

const stageLimitsMs = Object.fromEntries(Object.values(Stage).map((s) => [s, 30_000])) as Record<
  Stage,
  number
>;

describe('runtime workflow deprovisioning while heartbeats arrive', () => {
  it('starts the queued deprovisioning and re-arms the lease in one task, and replays', async () => {
    const fake = fixActivities();
    const tenantId = 't1';
    const runtimeId = randomUUID();
    const workflowId = runtimeWorkflowId(tenantId, runtimeId);
    const running = { operationId: randomUUID(), type: OperationType.Provision };
    await temporal.withWorker(fake.activities, async (taskQueue) => {
      const handle = await temporal.client().workflow.start<typeof runtimeWorkflow>('runtimeWorkflow', {
        workflowId,
        taskQueue,
        args: [
          {
            tenantId,
            runtimeId,
            condition: 'CONNECTED',
            health: {
              status: 'HEALTHY',
              checks: [{ name: 'connection', status: 'UP' }],
              lastSeenMs: Date.now(),
              graceMs: 60_000,
            },
            operations: {
              current: {
                ...running,
                workflowId: `provision/${tenantId}/${runtimeId}/${running.operationId}`,
              },
            },
          },
        ],
      });
      const request: OperationRequest = {
        operationId: randomUUID(),
        type: OperationType.Deprovision,
        clusterConfig: { provider: 'local', providerSpecificConfig: {} },
        settings: { stageLimitsMs, pollMs: 100 },
        requestedAt: new Date().toISOString(),
      };
      // queued behind the running operation; its Pending record (slow) keeps the task busy, so
      // the operation's end and a heartbeat that is a transition reach the next task together
      const update = handle.executeUpdate(startOperationUpdate, { args: [{ request }] });
      await sleep(500);
      await handle.signal(
        heartbeatSignal,
        fixHeartbeat({ status: 'DOWN', checks: [{ name: 'connection', status: 'DOWN' }] }),
      );
      await handle.signal(operationFinishedSignal, {
        operationId: running.operationId,
        type: running.type,
        state: OperationState.Failed,
      });
      let timer: NodeJS.Timeout | undefined;
      try {
        expect((await update).state).toBe(OperationState.Pending);
        // a nondeterministic replay fails the workflow's tasks until it is terminated
        const stuck = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('the workflow did not complete')), 30_000);
        });
        await Promise.race([handle.result(), stuck]);
      } finally {
        clearTimeout(timer);
        await handle.terminate().catch(() => undefined);
      }
    });
    expect(fake.operations.map((o) => [o.type, o.state])).toContainEqual([
      OperationType.Deprovision,
      OperationState.Succeeded,
    ]);
    const history = await temporal.client().workflow.getHandle(workflowId).fetchHistory();
    await expect(
      Worker.runReplayHistory(
        { workflowBundle: { codePath: testEnv('COMPASS_TEST_WORKFLOW_BUNDLE') } },
        history,
        workflowId,
      ),
    ).resolves.toBeUndefined();
  });
});
