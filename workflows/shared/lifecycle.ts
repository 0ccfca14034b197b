import { allHandlersFinished, condition, workflowInfo } from '@temporalio/workflow';

/**
 * How long a started entity workflow waits for its registration. Update-with-Start starts the
 * workflow even when the update is then rejected; such a workflow ends here.
 */
const REGISTRATION_WINDOW = '1 hour';

/** What the lifecycle of an application or runtime workflow watches. */
export interface LifecycleEntity {
  readonly phase: string;
  readonly finished: boolean;
}

/**
 * The life of one entity's workflow: waits for its registration (up to the window), then until
 * it is unregistered or Temporal suggests continuing as new, then for running handlers.
 * Resolves to whether the workflow should continue as new with the entity's state.
 */
export async function awaitLifecycle(entity: LifecycleEntity): Promise<boolean> {
  const registered = await condition(() => entity.phase !== 'new', REGISTRATION_WINDOW);
  if (registered) {
    await condition(() => entity.finished || workflowInfo().continueAsNewSuggested);
  }
  await condition(allHandlersFinished);
  return !entity.finished && registered;
}
