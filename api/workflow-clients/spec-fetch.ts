import type { FetchRequestStatus } from '../../domain/api-definitions';
import { specFetchWorkflowId } from '../../domain/ids';
import { ApplicationIdKey, TenantIdKey } from '../../domain/search-attributes';
import type { SpecFetchTarget } from '../../workflows/spec-fetch/messages';
import type { specFetchWorkflow } from '../../workflows/spec-fetch/workflow';
import { type WorkflowStarter, withDeadline } from './deadline';

/**
 * Runs one fetch through the spec fetch workflow (`specfetch/<tenant>/<ownerId>`) and waits for
 * the status it stored. A fetch already running for the same spec is joined, not duplicated.
 */
export function runSpecFetch(deps: WorkflowStarter, target: SpecFetchTarget): Promise<FetchRequestStatus> {
  return withDeadline(deps.temporal, deps.requestTimeoutMs, () =>
    deps.temporal.workflow.execute<typeof specFetchWorkflow>('specFetchWorkflow', {
      workflowId: specFetchWorkflowId(target.tenantId, target.ownerId),
      taskQueue: deps.taskQueue,
      args: [target],
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: [
        { key: TenantIdKey, value: target.tenantId },
        { key: ApplicationIdKey, value: target.applicationId },
      ],
    }),
  );
}
