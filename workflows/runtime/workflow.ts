import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { HEARTBEATS_PER_RUN, HealthLease } from './health';
import {
  awaitAgentSignal,
  getRuntimeHealthQuery,
  getRuntimeQuery,
  heartbeatSignal,
  operationFinishedSignal,
  registerRuntimeUpdate,
  startOperationUpdate,
  unregisterRuntimeUpdate,
  updateRuntimeUpdate,
  type RuntimeWorkflowArgs,
} from './messages';
import { RuntimeOperations } from './operations';
import { HandlerLock } from '../shared/lock';
import { RuntimeEntity } from './state';

/**
 * How long a started workflow waits for its registration (as the shared lifecycle does):
 * Update-with-Start starts the workflow even when the update is then rejected.
 */
const REGISTRATION_WINDOW = '1 hour';

/** Registered runtimes keep a health lease; runs from before it only wait for their end. */
const HEALTH_LEASE = 'runtime-health-lease';

/**
 * Store writes (local activities) and the commands that follow them run one at a time, the
 * lifecycle's, the health lease's and the operations': replay resolves the local activities of
 * one workflow task together, so two in flight at once could replay their following commands
 * (a lease timer, a child's start) in another order. Runs from before it keep them concurrent.
 */
export const SERIAL_STORE_WRITES = 'runtime-serial-store-writes';

/**
 * One workflow per runtime, for the runtime's whole life: the single writer of its lifecycle
 * (registration, status changes, unregistration; each an Update, so callers get the stored
 * result), the keeper of its health lease, reset by the agent's heartbeat signals, and the
 * starter of its provisioning operations, one at a time (see {@link RuntimeOperations}). It
 * continues as new when Temporal suggests it or after {@link HEARTBEATS_PER_RUN} heartbeats,
 * carrying its condition and health.
 */
export async function runtimeWorkflow(args: RuntimeWorkflowArgs): Promise<void> {
  const writes = patched(SERIAL_STORE_WRITES) ? new HandlerLock() : undefined;
  const entity = new RuntimeEntity(args, writes);
  const health = new HealthLease(args.tenantId, args.runtimeId, args.health, writes);
  const operations = new RuntimeOperations(entity, args.operations, writes);

  setHandler(registerRuntimeUpdate, (draft) => entity.register(draft), {
    validator: (_draft) => entity.validateAlive(),
  });
  setHandler(
    updateRuntimeUpdate,
    async (draft) => {
      const runtime = await entity.update(draft);
      if (draft.statusCondition === 'CONNECTED') operations.agentSeen();
      return runtime;
    },
    { validator: (_draft) => entity.validateAlive() },
  );
  setHandler(unregisterRuntimeUpdate, () => entity.unregister(), {
    validator: () => operations.validateUnregister(),
  });
  setHandler(startOperationUpdate, (input) => operations.start(input), {
    validator: (input) => operations.validateStart(input),
  });
  setHandler(operationFinishedSignal, (outcome) => operations.finished(outcome));
  setHandler(awaitAgentSignal, (wait) => operations.awaitAgent(wait));
  setHandler(getRuntimeQuery, () => ({
    phase: entity.phase,
    ...(entity.condition && { condition: entity.condition }),
  }));
  setHandler(heartbeatSignal, (hb) => {
    if (entity.finished) return;
    health.heartbeat(hb);
    operations.agentSeen();
  });
  setHandler(getRuntimeHealthQuery, () => ({ ...health.state(), signalsThisRun: health.signals }));

  const timeToContinue = () => workflowInfo().continueAsNewSuggested || health.signals >= HEARTBEATS_PER_RUN;
  const registered = await condition(() => entity.phase !== 'new', REGISTRATION_WINDOW);
  if (registered) {
    if (patched(HEALTH_LEASE)) {
      await health.keep(() => entity.finished || timeToContinue());
    } else {
      // A run from before the lease: the first heartbeat moves it to a run that keeps one.
      await condition(() => entity.finished || timeToContinue() || health.signals > 0);
    }
  }
  await condition(allHandlersFinished);
  if (!entity.finished && registered) {
    await continueAsNew<typeof runtimeWorkflow>({
      tenantId: entity.tenantId,
      runtimeId: entity.runtimeId,
      ...(entity.condition && { condition: entity.condition }),
      health: health.state(),
      ...(operations.busy && { operations: operations.state() }),
    });
  }
}
