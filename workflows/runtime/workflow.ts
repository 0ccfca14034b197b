import { continueAsNew, setHandler } from '@temporalio/workflow';
import { awaitLifecycle } from '../shared/lifecycle';
import {
  getRuntimeQuery,
  registerRuntimeUpdate,
  unregisterRuntimeUpdate,
  updateRuntimeUpdate,
  type RuntimeWorkflowArgs,
} from './messages';
import { RuntimeEntity } from './state';

/**
 * One workflow per runtime, for the runtime's whole life: the single writer of its lifecycle
 * (registration, status changes, unregistration). Each is an Update, so callers get the
 * stored result.
 */
export async function runtimeWorkflow(args: RuntimeWorkflowArgs): Promise<void> {
  const entity = new RuntimeEntity(args);

  setHandler(registerRuntimeUpdate, (draft) => entity.register(draft), {
    validator: (_draft) => entity.validateAlive(),
  });
  setHandler(updateRuntimeUpdate, (draft) => entity.update(draft), {
    validator: (_draft) => entity.validateAlive(),
  });
  setHandler(unregisterRuntimeUpdate, () => entity.unregister());
  setHandler(getRuntimeQuery, () => ({
    phase: entity.phase,
    ...(entity.condition && { condition: entity.condition }),
  }));

  if (await awaitLifecycle(entity)) {
    await continueAsNew<typeof runtimeWorkflow>({
      tenantId: entity.tenantId,
      runtimeId: entity.runtimeId,
      ...(entity.condition && { condition: entity.condition }),
    });
  }
}
