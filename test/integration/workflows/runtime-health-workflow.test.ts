import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { runtimeWorkflowId } from '../../../domain/ids';
import type { Runtime, RuntimeDraft } from '../../../domain/runtime';
import type { RuntimeHealth, RuntimeHealthRecord } from '../../../domain/runtime-health';
import {
  getRuntimeHealthQuery,
  heartbeatSignal,
  registerRuntimeUpdate,
  unregisterRuntimeUpdate,
  type RuntimeHeartbeat,
} from '../../../workflows/runtime/messages';
import type { runtimeWorkflow } from '../../../workflows/runtime/workflow';
import { eventually } from '../harness';
import { useTemporal } from './temporal-fixture';

const temporal = useTemporal();

/** Fakes of the runtime workflow's activities; the intake is up since `intakeUpSince`. */
function fixActivities() {
  const records: RuntimeHealthRecord[] = [];
  const health = new Map<string, RuntimeHealth>();
  const intake: { upSince: string | undefined } = { upSince: new Date(0).toISOString() };
  const runtime = (tenantId: string, id: string, draft: RuntimeDraft): Runtime => ({
    id,
    tenantId,
    name: draft.name,
    labels: draft.labels,
    scenariosFromAssignments: [],
    status: { condition: 'INITIAL', timestamp: new Date().toISOString() },
    createdAt: new Date().toISOString(),
  });
  const activities = {
    insertRuntime: async (tenantId: string, id: string, draft: RuntimeDraft) => runtime(tenantId, id, draft),
    replaceRuntime: async (tenantId: string, id: string, draft: RuntimeDraft) => runtime(tenantId, id, draft),
    deleteRuntime: async () => undefined,
    deleteObjectIdentities: async () => undefined,
    recordRuntimeHealthTransition: async (
      _tenantId: string,
      runtimeId: string,
      h: RuntimeHealth,
      record: RuntimeHealthRecord,
    ) => {
      health.set(runtimeId, h);
      if (!records.some((r) => r.id === record.id)) records.push(record);
    },
    readHeartbeatIntakeUpSince: async () => intake.upSince,
  };
  return { activities, records, health, intake };
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

async function registered(taskQueue: string) {
  const tenantId = 't1';
  const runtimeId = randomUUID();
  const workflowId = runtimeWorkflowId(tenantId, runtimeId);
  await temporal.client().workflow.executeUpdateWithStart(registerRuntimeUpdate, {
    args: [{ name: 'rt', labels: {}, scenariosFromAssignments: [] }],
    startWorkflowOperation: new WithStartWorkflowOperation<typeof runtimeWorkflow>('runtimeWorkflow', {
      workflowId,
      taskQueue,
      args: [{ tenantId, runtimeId }],
      workflowIdConflictPolicy: 'FAIL',
    }),
  });
  return { runtimeId, handle: temporal.client().workflow.getHandle(workflowId) };
}

describe('runtime workflow health lease', () => {
  it('takes thousands of heartbeats across continue-as-new runs, writing only the transitions', async () => {
    const fake = fixActivities();
    await temporal.withWorker(fake.activities, async (taskQueue) => {
      const { handle } = await registered(taskQueue);
      const firstRun = (await handle.describe()).runId;
      const total = 2500;
      let last = '';
      for (let i = 0; i < total; i += 50) {
        await Promise.all(
          Array.from({ length: 50 }, (_, j) => {
            const hb = fixHeartbeat({
              receivedAt: new Date(Date.UTC(2030, 0, 1, 0, 0, 0, i + j)).toISOString(),
            });
            if (i + j === total - 1) last = hb.receivedAt;
            return handle.signal(heartbeatSignal, hb);
          }),
        );
      }
      await handle.signal(heartbeatSignal, fixHeartbeat({ receivedAt: last }));
      const state = await eventually(async () => {
        const s = await handle.query(getRuntimeHealthQuery).catch(() => undefined);
        return s?.status === 'HEALTHY' && s.lastHeartbeatAt === last ? s : undefined;
      }, 'the last heartbeat');
      expect(state.checks).toEqual([{ name: 'connection', status: 'UP' }]);
      const description = await handle.describe();
      expect(description.runId).not.toBe(firstRun);
      expect(description.historyLength).toBeLessThan(10_000);
      expect(fake.records.map((r) => [r.previous, r.status])).toEqual([['UNKNOWN', 'HEALTHY']]);
      await handle.executeUpdate(unregisterRuntimeUpdate);
    });
  });

  it('records DEGRADED when a check fails and HEALTHY again when it passes', async () => {
    const fake = fixActivities();
    await temporal.withWorker(fake.activities, async (taskQueue) => {
      const { handle, runtimeId } = await registered(taskQueue);
      await handle.signal(heartbeatSignal, fixHeartbeat());
      await handle.signal(
        heartbeatSignal,
        fixHeartbeat({ checks: [{ name: 'synchronization', status: 'DOWN', message: 'x' }] }),
      );
      await handle.signal(
        heartbeatSignal,
        fixHeartbeat({ checks: [{ name: 'synchronization', status: 'DOWN', message: 'y' }] }),
      );
      await eventually(
        async () => (fake.health.get(runtimeId)?.status === 'DEGRADED' ? true : undefined),
        'DEGRADED',
      );
      await handle.signal(heartbeatSignal, fixHeartbeat());
      await eventually(
        async () =>
          fake.health.get(runtimeId)?.status === 'HEALTHY' && fake.records.length >= 3 ? true : undefined,
        'HEALTHY again',
      );
      expect(fake.records.map((r) => r.status)).toEqual(['HEALTHY', 'DEGRADED', 'HEALTHY']);
      expect(fake.records[1]!.message).toBe('failing: synchronization');
      await handle.executeUpdate(unregisterRuntimeUpdate);
    });
  });

  it('turns UNREACHABLE when the lease runs out while the intake is up', async () => {
    const fake = fixActivities();
    await temporal.withWorker(fake.activities, async (taskQueue) => {
      const { handle, runtimeId } = await registered(taskQueue);
      await handle.signal(heartbeatSignal, fixHeartbeat({ graceMs: 1000 }));
      await eventually(
        async () => (fake.health.get(runtimeId)?.status === 'UNREACHABLE' ? true : undefined),
        'UNREACHABLE',
      );
      expect(fake.records.map((r) => r.status)).toEqual(['HEALTHY', 'UNREACHABLE']);
      await handle.signal(heartbeatSignal, fixHeartbeat({ graceMs: 60_000 }));
      await eventually(
        async () => (fake.health.get(runtimeId)?.status === 'HEALTHY' ? true : undefined),
        'HEALTHY',
      );
      await handle.executeUpdate(unregisterRuntimeUpdate);
    });
  });

  it('turns UNKNOWN, not UNREACHABLE, when the heartbeat intake was down, and looks again later', async () => {
    const fake = fixActivities();
    fake.intake.upSince = undefined;
    await temporal.withWorker(fake.activities, async (taskQueue) => {
      const { handle, runtimeId } = await registered(taskQueue);
      await handle.signal(heartbeatSignal, fixHeartbeat({ graceMs: 1000 }));
      await eventually(
        async () => (fake.records.length === 2 ? true : undefined),
        'a transition after HEALTHY',
      );
      expect(fake.health.get(runtimeId)?.status).toBe('UNKNOWN');
      fake.intake.upSince = new Date().toISOString();
      await eventually(
        async () => (fake.health.get(runtimeId)?.status === 'UNREACHABLE' ? true : undefined),
        'UNREACHABLE once the intake was up a whole grace period',
      );
      expect(fake.records.map((r) => r.status)).toEqual(['HEALTHY', 'UNKNOWN', 'UNREACHABLE']);
      await handle.executeUpdate(unregisterRuntimeUpdate);
    });
  });
});
