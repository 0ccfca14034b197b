import type { ClusterConfig, ProviderDescriptor } from '../../domain/provisioning';
import type { ClusterRef } from '../../workflows/provisioning/messages';

/** What a provider reports of a runtime's cluster. */
export type ClusterState = 'CREATING' | 'READY' | 'HIBERNATED' | 'GONE';

/** What the Runtime Agent needs to pair, as Kyma's Provisioner hands it to the runtime. */
export interface AgentEnvironment {
  readonly CONNECTOR_URL: string;
  readonly TOKEN: string;
  readonly RUNTIME_ID: string;
  readonly TENANT: string;
}

export interface InstallAgentOptions {
  /** Reinstall with a fresh token even if this operation installed the agent already. */
  readonly fresh: boolean;
  /** Issues a runtime one-time token; call it only when an agent is really (re)installed. */
  readonly issueToken: () => Promise<AgentEnvironment>;
}

/**
 * An infrastructure provider. Every method is idempotent: Temporal retries a step after a
 * failure, a timeout or a worker restart, so a call repeated with the same `ref.operationId`
 * must find its earlier effect and not create a second cluster or agent. Throw
 * {@link ProviderError} for a permanent failure; any other error is retried with backoff.
 */
export interface Provider {
  readonly descriptor: ProviderDescriptor;
  create(ref: ClusterRef, config: ClusterConfig): Promise<void>;
  status(ref: ClusterRef): Promise<ClusterState>;
  installAgent(ref: ClusterRef, config: ClusterConfig, options: InstallAgentOptions): Promise<void>;
  removeAgent(ref: ClusterRef): Promise<void>;
  /** Starts the deletion; `status` reports GONE once it is done. */
  delete(ref: ClusterRef): Promise<void>;
  upgrade?(ref: ClusterRef, config: ClusterConfig): Promise<void>;
  hibernate?(ref: ClusterRef): Promise<void>;
  wakeUp?(ref: ClusterRef): Promise<void>;
}

/** Thrown by a provider for a failure retrying cannot fix; fails the operation at once. */
export class ProviderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderError';
  }
}
