import { continueAsNew, setHandler } from '@temporalio/workflow';
import { awaitLifecycle } from '../shared/lifecycle';
import {
  getApplicationQuery,
  registerUpdate,
  unregisterUpdate,
  updateUpdate,
  type ApplicationWorkflowArgs,
} from './messages';
import { ApplicationEntity } from './state';

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

  if (await awaitLifecycle(entity)) {
    await continueAsNew<typeof applicationWorkflow>({
      tenantId: entity.tenantId,
      applicationId: entity.applicationId,
      ...(entity.application && { application: entity.application }),
    });
  }
}
