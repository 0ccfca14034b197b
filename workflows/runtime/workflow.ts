import {
  allHandlersFinished,
  condition,
  continueAsNew,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  getRuntimeQuery,
  registerRuntimeUpdate,
  unregisterRuntimeUpdate,
  updateRuntimeUpdate,
  type RuntimeWorkflowArgs,
} from './messages';
import { RuntimeEntity } from './state';

/**
 * How long a started runtime workflow waits for its registration. Update-with-Start starts
 * the workflow even when the update then fails; such a workflow ends here.
 */
const REGISTRATION_WINDOW = '1 hour';

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

  const registered = await condition(() => entity.phase !== 'new', REGISTRATION_WINDOW);
  if (registered) {
    await condition(() => entity.finished || workflowInfo().continueAsNewSuggested);
  }
  await condition(allHandlersFinished);

  if (!entity.finished && registered) {
    await continueAsNew<typeof runtimeWorkflow>({
      tenantId: entity.tenantId,
      runtimeId: entity.runtimeId,
      ...(entity.condition && { condition: entity.condition }),
    });
  }
}
