import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Operation } from '../../domain/provisioning';
import type { Runtime, RuntimeDraft, RuntimeStatusCondition } from '../../domain/runtime';
import type { OperationOutcome, OperationRequest } from '../provisioning/messages';
import type {
  RuntimeCheckStatus,
  RuntimeHealthCheck,
  RuntimeHealthStatus,
} from '../../domain/runtime-health';

/** Arguments the runtime workflow is started with. */
export interface RuntimeWorkflowArgs {
  readonly tenantId: string;
  readonly runtimeId: string;
  /** Carried across continue-as-new; absent on the first run. */
  readonly condition?: RuntimeStatusCondition;
  /** Carried across continue-as-new: the health lease. */
  readonly health?: RuntimeHealthState;
  /** Carried across continue-as-new: the provisioning operation running, if any. */
  readonly operations?: RuntimeOperationsState;
}

/** The runtime workflow's provisioning state, carried across continue-as-new. */
export interface RuntimeOperationsState {
  readonly current?: { readonly operationId: string; readonly type: string; readonly workflowId: string };
  /** A deprovisioning waiting for the cancelled operation to finish its compensations. */
  readonly queued?: OperationRequest;
  /** The operation waiting for the agent, and since when (workflow ms) a connection counts. */
  readonly awaiting?: { readonly operationId: string; readonly sinceMs: number };
  /** When (workflow ms) the agent last heartbeated or reported CONNECTED. */
  readonly agentSeenMs?: number;
}

/**
 * Starts a provisioning operation (sent with Update-with-Start for a new runtime, with the
 * draft to register). Refused while another operation runs, except a Deprovision, which
 * cancels the running one first. Returns the operation as first recorded.
 */
export const startOperationUpdate = defineUpdate<
  Operation,
  [{ request: OperationRequest; draft?: RuntimeDraft }]
>('startOperation');

/** An operation ended (sent by the provisioning workflow). */
export const operationFinishedSignal = defineSignal<[OperationOutcome]>('operationFinished');

/** An operation waits for the agent: the workflow signals it at the next sign of life after `sinceMs`. */
export const awaitAgentSignal = defineSignal<[{ operationId: string; sinceMs: number }]>('awaitAgent');

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

/** The runtime's health as its workflow keeps it; carried across continue-as-new. */
export interface RuntimeHealthState {
  readonly status: RuntimeHealthStatus;
  readonly since?: string;
  /** Gateway time of the last heartbeat. */
  readonly lastHeartbeatAt?: string;
  /** Workflow time (ms) the last heartbeat was handled at: the lease runs from it. */
  readonly lastSeenMs?: number;
  readonly checks: readonly RuntimeHealthCheck[];
  readonly graceMs?: number;
  /** While UNKNOWN because the control plane could not tell: when to look again. */
  readonly recheckAtMs?: number;
  /** A heartbeat that arrived as the run ended, applied first by the next run. */
  readonly pending?: RuntimeHeartbeat;
}

/** One heartbeat as the gateway hands it to the workflow. */
export interface RuntimeHeartbeat {
  readonly status: RuntimeCheckStatus;
  readonly checks: readonly RuntimeHealthCheck[];
  /** When the gateway received it. */
  readonly receivedAt: string;
  /** When the agent sent it (its clock), if it said. */
  readonly sentAt?: string;
  /** The runtime's grace period, computed by the gateway from its settings and the agent's interval. */
  readonly graceMs: number;
}

/**
 * A heartbeat of the runtime's agent: resets the health lease. Fire-and-forget; a burst is
 * coalesced (only the latest report is applied).
 */
export const heartbeatSignal = defineSignal<[RuntimeHeartbeat]>('heartbeat');

/** The workflow's current view of the runtime's health, with the last heartbeat. */
export const getRuntimeHealthQuery = defineQuery<RuntimeHealthState & { signalsThisRun: number }>(
  'getRuntimeHealth',
);
