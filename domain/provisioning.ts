/**
 * The Runtime Provisioner's shapes, after Kyma's Provisioner API: operations with their type,
 * state and stages, the provider-neutral cluster configuration, and provider descriptors
 * (the JSON Schema of each provider's `providerSpecificConfig` and the operations it supports).
 */

export const OperationType = {
  Provision: 'Provision',
  Upgrade: 'Upgrade',
  Deprovision: 'Deprovision',
  ReconnectRuntime: 'ReconnectRuntime',
  Hibernate: 'Hibernate',
  WakeUp: 'WakeUp',
} as const;
export type OperationType = (typeof OperationType)[keyof typeof OperationType];

export const OperationState = {
  Pending: 'Pending',
  InProgress: 'InProgress',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
} as const;
export type OperationState = (typeof OperationState)[keyof typeof OperationState];

/** Stages, named after Kyma's where Kyma has one. */
export const Stage = {
  RegisterRuntime: 'RegisterRuntime',
  CreateCluster: 'CreateCluster',
  WaitingForClusterCreation: 'WaitingForClusterCreation',
  ConnectRuntimeAgent: 'ConnectRuntimeAgent',
  WaitForAgentToConnect: 'WaitForAgentToConnect',
  RevokeCredentials: 'RevokeCredentials',
  RemoveAgent: 'RemoveAgent',
  DeprovisionCluster: 'DeprovisionCluster',
  WaitForClusterDeletion: 'WaitForClusterDeletion',
  UnregisterRuntime: 'UnregisterRuntime',
  StartingUpgrade: 'StartingUpgrade',
  WaitForHibernation: 'WaitForHibernation',
  WaitForWakeUp: 'WaitForWakeUp',
} as const;
export type Stage = (typeof Stage)[keyof typeof Stage];

/** Kyma's LastError. */
export interface LastError {
  readonly errMessage: string;
  readonly reason: string;
  readonly component: string;
}

/** One stage of an operation (beyond Kyma: lets a client draw progress). */
export interface OperationStage {
  readonly name: string;
  readonly state: OperationState;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** How many times the stage was started (a reconnect with a fresh token starts it again). */
  readonly attempt: number;
  readonly message?: string;
}

/** One asynchronous operation on a runtime, as the read model keeps it. */
export interface Operation {
  readonly id: string;
  readonly tenantId: string;
  readonly runtimeId: string;
  readonly type: OperationType;
  readonly state: OperationState;
  readonly message?: string;
  readonly stages: readonly OperationStage[];
  readonly lastError?: LastError;
  readonly startedAt: string;
  readonly finishedAt?: string;
}

/** Provider-neutral cluster configuration; `providerSpecificConfig` follows the provider's schema. */
export interface ClusterConfig {
  readonly provider: string;
  readonly region?: string;
  readonly administrators?: readonly string[];
  readonly providerSpecificConfig: Readonly<Record<string, unknown>>;
}

/** What a provider declares: its name, its config schema, and the operations it supports. */
export interface ProviderDescriptor {
  readonly name: string;
  /** JSON Schema (draft 7) of `providerSpecificConfig`. */
  readonly configSchema: Readonly<Record<string, unknown>>;
  readonly operations: readonly OperationType[];
}

/** The default provider: a local directory and a real Runtime Agent process. */
export const LOCAL_PROVIDER: ProviderDescriptor = {
  name: 'local',
  operations: Object.values(OperationType),
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      syncPeriodSeconds: {
        type: 'number',
        minimum: 0.1,
        maximum: 3600,
        description: "How often the runtime's agent synchronises its applications (default 20).",
      },
      heartbeatIntervalSeconds: {
        type: 'number',
        minimum: 0.1,
        maximum: 3600,
        description: "How often the runtime's agent reports its health (default 30).",
      },
      readyAfterSeconds: {
        type: 'number',
        minimum: 0,
        maximum: 3600,
        description: 'Simulated cluster creation time: the cluster reports READY this long after creation.',
      },
      eventServiceUrl: {
        type: 'string',
        pattern: '^https?://',
        description: 'The eventing URL the agent reports for the runtime.',
      },
      consoleUrl: {
        type: 'string',
        pattern: '^https?://',
        description: "The runtime's console URL the agent reports.",
      },
    },
  },
};

/** Kyma's rule, word for word. */
export const ONE_OPERATION_AT_A_TIME =
  'only one asynchronous operation per RuntimeID can run at any given point in time';

/** Operations that end the runtime's provisioning history when they succeed. */
export function isTerminal(state: OperationState): boolean {
  return state === OperationState.Succeeded || state === OperationState.Failed;
}
