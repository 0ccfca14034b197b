import {
  allHandlersFinished,
  condition,
  continueAsNew,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  getApplicationQuery,
  registerUpdate,
  unregisterUpdate,
  updateUpdate,
  type ApplicationWorkflowArgs,
} from './messages';
import { ApplicationEntity } from './state';

/**
 * How long a started application workflow waits for its registration. Update-with-Start
 * starts the workflow even when the update is then rejected; such a workflow ends here.
 */
const REGISTRATION_WINDOW = '1 hour';

/**
 * One workflow per application, for the application's whole life: the single writer of its
 * lifecycle. Registration and unregistration are Updates so callers get the stored result.
 */
export async function applicationWorkflow(args: ApplicationWorkflowArgs): Promise<void> {
  const entity = new ApplicationEntity(args);

  setHandler(registerUpdate, (input) => entity.register(input), {
    validator: (input) => entity.validateRegister(input),
  });
  setHandler(updateUpdate, (input) => entity.update(input), {
    validator: (input) => entity.validateUpdate(input),
  });
  setHandler(unregisterUpdate, () => entity.unregister());
  setHandler(getApplicationQuery, () => ({
    phase: entity.phase,
    ...(entity.application && { application: entity.application }),
  }));

  const registered = await condition(() => entity.phase !== 'new', REGISTRATION_WINDOW);
  if (registered) {
    await condition(() => entity.finished || workflowInfo().continueAsNewSuggested);
  }
  await condition(allHandlersFinished);

  if (!entity.finished && registered) {
    await continueAsNew<typeof applicationWorkflow>({
      tenantId: entity.tenantId,
      applicationId: entity.applicationId,
      ...(entity.application && { application: entity.application }),
    });
  }
}
