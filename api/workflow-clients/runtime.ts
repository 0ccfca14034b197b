import { WithStartWorkflowOperation } from '@temporalio/client';
import { runtimeWorkflowId } from '../../domain/ids';
import type { Runtime, RuntimeDraft } from '../../domain/runtime';
import { CompassStatusKey, RuntimeIdKey, TenantIdKey } from '../../domain/search-attributes';
import {
  registerRuntimeUpdate,
  unregisterRuntimeUpdate,
  updateRuntimeUpdate,
} from '../../workflows/runtime/messages';
import type { runtimeWorkflow } from '../../workflows/runtime/workflow';
import { type WorkflowCaller, type WorkflowStarter, withDeadline } from './deadline';

/**
 * Starts the runtime's workflow (`runtime/<tenant>/<id>`) with an Update: `FAIL` for a new
 * runtime, `USE_EXISTING` to reach the running one or start it again to finish a job.
 * `status` is the CompassStatus a newly started workflow shows until it changes it.
 */
export function runtimeStart(
  taskQueue: string,
  tenantId: string,
  runtimeId: string,
  conflict: 'FAIL' | 'USE_EXISTING',
  status: string,
): WithStartWorkflowOperation<typeof runtimeWorkflow> {
  return new WithStartWorkflowOperation<typeof runtimeWorkflow>('runtimeWorkflow', {
    workflowId: runtimeWorkflowId(tenantId, runtimeId),
    taskQueue,
    args: [{ tenantId, runtimeId }],
    workflowIdConflictPolicy: conflict,
    typedSearchAttributes: [
      { key: TenantIdKey, value: tenantId },
      { key: RuntimeIdKey, value: runtimeId },
      { key: CompassStatusKey, value: status },
    ],
  });
}

/** Starts a new runtime's workflow and registers it in one call; returns it as stored. */
export function registerRuntime(
  deps: WorkflowStarter,
  tenantId: string,
  runtimeId: string,
  draft: RuntimeDraft,
): Promise<Runtime> {
  const start = runtimeStart(deps.taskQueue, tenantId, runtimeId, 'FAIL', draft.statusCondition ?? 'INITIAL');
  return withDeadline(deps.temporal, deps.requestTimeoutMs, () =>
    deps.temporal.workflow.executeUpdateWithStart(registerRuntimeUpdate, {
      args: [draft],
      startWorkflowOperation: start,
    }),
  );
}

/**
 * Replaces the runtime through its workflow, starting it again if it already ended (`status`:
 * the stored CompassStatus); returns the runtime as stored.
 */
export function replaceRuntime(
  deps: WorkflowStarter,
  tenantId: string,
  runtimeId: string,
  draft: RuntimeDraft,
  status: string,
): Promise<Runtime> {
  const start = runtimeStart(deps.taskQueue, tenantId, runtimeId, 'USE_EXISTING', status);
  return withDeadline(deps.temporal, deps.requestTimeoutMs, () =>
    deps.temporal.workflow.executeUpdateWithStart(updateRuntimeUpdate, {
      args: [draft],
      startWorkflowOperation: start,
    }),
  );
}

/** Replaces the runtime in its running workflow only (no workflow, no change). */
export async function replaceRunningRuntime(
  deps: WorkflowCaller,
  tenantId: string,
  runtimeId: string,
  draft: RuntimeDraft,
): Promise<void> {
  const handle = deps.temporal.workflow.getHandle(runtimeWorkflowId(tenantId, runtimeId));
  await withDeadline(deps.temporal, deps.requestTimeoutMs, () =>
    handle.executeUpdate(updateRuntimeUpdate, { args: [draft] }),
  );
}

/** Unregisters through the workflow (which removes the contexts too), starting it again if it ended. */
export async function unregisterRuntime(
  deps: WorkflowStarter,
  tenantId: string,
  runtimeId: string,
  status: string,
): Promise<void> {
  const start = runtimeStart(deps.taskQueue, tenantId, runtimeId, 'USE_EXISTING', status);
  await withDeadline(deps.temporal, deps.requestTimeoutMs, () =>
    deps.temporal.workflow.executeUpdateWithStart(unregisterRuntimeUpdate, { startWorkflowOperation: start }),
  );
}
