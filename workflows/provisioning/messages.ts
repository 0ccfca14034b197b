import { defineQuery, defineSignal } from '@temporalio/workflow';
import type {
  ClusterConfig,
  LastError,
  Operation,
  OperationState,
  OperationType,
  Stage,
} from '../../domain/provisioning';

/** Time limits of each stage, counted from when the stage began, and the provider polling period. */
export interface ProvisioningSettings {
  readonly stageLimitsMs: Readonly<Record<Stage, number>>;
  /** How often a waiting activity asks the provider for the cluster's state (and heartbeats). */
  readonly pollMs: number;
}

/** Arguments of one operation: everything is decided by the API and the runtime workflow. */
export interface ProvisioningArgs {
  readonly tenantId: string;
  readonly runtimeId: string;
  readonly operationId: string;
  readonly type: OperationType;
  readonly clusterConfig: ClusterConfig;
  readonly settings: ProvisioningSettings;
  /** When the operation was accepted (the first stage, registration, may have happened then). */
  readonly startedAt: string;
}

/** Which cluster a provider call is about; providers are idempotent by `operationId`. */
export interface ClusterRef {
  readonly tenantId: string;
  readonly runtimeId: string;
  readonly operationId: string;
}

/** What an operation tells its runtime's workflow when it ends. */
export interface OperationOutcome {
  readonly operationId: string;
  readonly type: OperationType;
  readonly state: OperationState;
  readonly lastError?: LastError;
}

/** What the API asks the runtime workflow to start. */
export interface OperationRequest {
  readonly operationId: string;
  readonly type: OperationType;
  readonly clusterConfig: ClusterConfig;
  readonly settings: ProvisioningSettings;
  readonly requestedAt: string;
}

/**
 * Cancels the operation (its compensations run): sent by the runtime's workflow when a
 * deprovisioning arrives while the operation runs. A signal rather than an external
 * cancellation request, whose command the SDK cannot order against an Update's completion in
 * the same workflow task.
 */
export const cancelOperationSignal = defineSignal<[]>('cancelOperation');

/** The runtime's agent connected (first sync or heartbeat since the agent was installed). */
export const agentConnectedSignal = defineSignal<[]>('agentConnected');

/** For operators: the operation as the workflow holds it. Never on an API read path. */
export const getOperationQuery = defineQuery<Operation>('getOperation');
