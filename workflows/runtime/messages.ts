import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Runtime, RuntimeDraft, RuntimeStatusCondition } from '../../domain/runtime';

/** Arguments the runtime workflow is started with. */
export interface RuntimeWorkflowArgs {
  readonly tenantId: string;
  readonly runtimeId: string;
  /** Carried across continue-as-new; absent on the first run. */
  readonly condition?: RuntimeStatusCondition;
}

export type RuntimePhase = 'new' | 'registered' | 'unregistered' | 'failed';

/** Registers the runtime (sent with Update-with-Start); returns it as stored. */
export const registerRuntimeUpdate = defineUpdate<Runtime, [RuntimeDraft]>('registerRuntime');

/** Replaces the runtime's name, description, labels and status; returns it as stored. */
export const updateRuntimeUpdate = defineUpdate<Runtime, [RuntimeDraft]>('updateRuntime');

/** Removes the runtime and its contexts, then ends the workflow. */
export const unregisterRuntimeUpdate = defineUpdate<void, []>('unregisterRuntime');

/** For operators: the workflow's view of the runtime. Never on an API read path. */
export const getRuntimeQuery = defineQuery<{ phase: RuntimePhase; condition?: RuntimeStatusCondition }>(
  'getRuntime',
);
