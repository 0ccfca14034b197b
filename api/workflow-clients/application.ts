import { WithStartWorkflowOperation } from '@temporalio/client';
import type { Application, ApplicationRegisterInput } from '../../domain/application';
import type { ApplicationUpdateInput } from '../../domain/application-update';
import { applicationWorkflowId } from '../../domain/ids';
import { ApplicationIdKey, CompassStatusKey, TenantIdKey } from '../../domain/search-attributes';
import { registerUpdate, unregisterUpdate, updateUpdate } from '../../workflows/application/messages';
import type { applicationWorkflow } from '../../workflows/application/workflow';
import { type WorkflowCaller, type WorkflowStarter, withDeadline } from './deadline';

/**
 * Starts the application's workflow (`application/<tenant>/<id>`) with an Update: `FAIL` for a
 * new application, `USE_EXISTING` to reach the running one or start it again to finish a job.
 * `status` is the CompassStatus a newly started workflow shows until it changes it.
 */
export function applicationStart(
  taskQueue: string,
  tenantId: string,
  applicationId: string,
  conflict: 'FAIL' | 'USE_EXISTING',
  status: string,
): WithStartWorkflowOperation<typeof applicationWorkflow> {
  return new WithStartWorkflowOperation<typeof applicationWorkflow>('applicationWorkflow', {
    workflowId: applicationWorkflowId(tenantId, applicationId),
    taskQueue,
    args: [{ tenantId, applicationId }],
    workflowIdConflictPolicy: conflict,
    typedSearchAttributes: [
      { key: TenantIdKey, value: tenantId },
      { key: ApplicationIdKey, value: applicationId },
      { key: CompassStatusKey, value: status },
    ],
  });
}

/** Starts a new application's workflow and registers it in one call; returns it as stored. */
export function registerApplication(
  deps: WorkflowStarter,
  tenantId: string,
  applicationId: string,
  input: ApplicationRegisterInput,
): Promise<Application> {
  const start = applicationStart(
    deps.taskQueue,
    tenantId,
    applicationId,
    'FAIL',
    input.statusCondition ?? 'INITIAL',
  );
  return withDeadline(deps.temporal, deps.requestTimeoutMs, () =>
    deps.temporal.workflow.executeUpdateWithStart(registerUpdate, {
      args: [input],
      startWorkflowOperation: start,
    }),
  );
}

/** Unregisters through the workflow, starting it again if it already ended (`status`: as stored). */
export async function unregisterApplication(
  deps: WorkflowStarter,
  tenantId: string,
  applicationId: string,
  status: string,
): Promise<void> {
  const start = applicationStart(deps.taskQueue, tenantId, applicationId, 'USE_EXISTING', status);
  await withDeadline(deps.temporal, deps.requestTimeoutMs, () =>
    deps.temporal.workflow.executeUpdateWithStart(unregisterUpdate, { startWorkflowOperation: start }),
  );
}

/** Applies an update in the application's running workflow; returns the application as stored. */
export function updateApplication(
  deps: WorkflowCaller,
  tenantId: string,
  applicationId: string,
  input: ApplicationUpdateInput,
): Promise<Application> {
  const handle = deps.temporal.workflow.getHandle(applicationWorkflowId(tenantId, applicationId));
  return withDeadline(deps.temporal, deps.requestTimeoutMs, () =>
    handle.executeUpdate(updateUpdate, { args: [input] }),
  );
}
