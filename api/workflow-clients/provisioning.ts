import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { NotFoundError } from '../../domain/errors';
import { runtimeWorkflowId } from '../../domain/ids';
import { type Operation, Stage } from '../../domain/provisioning';
import type { RuntimeDraft } from '../../domain/runtime';
import type { Config } from '../../infra/config';
import type { OperationRequest, ProvisioningSettings } from '../../workflows/provisioning/messages';
import { startOperationUpdate } from '../../workflows/runtime/messages';
import { withDeadline } from './deadline';
import { runtimeStart } from './runtime';

export interface ProvisioningClientDeps {
  readonly temporal: Client;
  readonly taskQueue: string;
  /** How long a caller waits for the runtime workflow's answer (REQUEST_TIMEOUT_MS). */
  readonly requestTimeoutMs: number;
}

type ProvisioningConfig = Pick<
  Config,
  | 'PROVISION_CREATE_TIMEOUT_SECONDS'
  | 'PROVISION_INSTALL_TIMEOUT_SECONDS'
  | 'PROVISION_CONNECT_TIMEOUT_SECONDS'
  | 'PROVISION_DELETE_TIMEOUT_SECONDS'
  | 'PROVISION_STEP_TIMEOUT_SECONDS'
  | 'PROVISION_POLL_SECONDS'
>;

/** Each stage's time limit and the provider polling period, from the configuration. */
export function provisioningSettings(config: ProvisioningConfig): ProvisioningSettings {
  const s = (seconds: number) => seconds * 1000;
  const creation = s(config.PROVISION_CREATE_TIMEOUT_SECONDS);
  const install = s(config.PROVISION_INSTALL_TIMEOUT_SECONDS);
  const deletion = s(config.PROVISION_DELETE_TIMEOUT_SECONDS);
  const step = s(config.PROVISION_STEP_TIMEOUT_SECONDS);
  return {
    pollMs: s(config.PROVISION_POLL_SECONDS),
    stageLimitsMs: {
      [Stage.RegisterRuntime]: step,
      [Stage.CreateCluster]: creation,
      [Stage.WaitingForClusterCreation]: creation,
      [Stage.ConnectRuntimeAgent]: install,
      [Stage.WaitForAgentToConnect]: s(config.PROVISION_CONNECT_TIMEOUT_SECONDS),
      [Stage.RevokeCredentials]: step,
      [Stage.RemoveAgent]: install,
      [Stage.DeprovisionCluster]: deletion,
      [Stage.WaitForClusterDeletion]: deletion,
      [Stage.UnregisterRuntime]: step,
      [Stage.StartingUpgrade]: creation,
      [Stage.WaitForHibernation]: creation,
      [Stage.WaitForWakeUp]: creation,
    },
  };
}

/**
 * The API's one way to provisioning workflows: every operation is started by the runtime's
 * workflow (`runtime/<tenant>/<runtimeId>`), which runs one at a time and starts each as
 * `provision/<tenant>/<runtimeId>/<operationId>` with its search attributes. A new runtime's
 * workflow is started by the same call (Update-with-Start) with the runtime to register.
 */
export class ProvisioningClient {
  constructor(private readonly deps: ProvisioningClientDeps) {}

  /** Registers a new runtime (status PROVISIONING) and starts its provisioning. */
  provision(
    tenantId: string,
    runtimeId: string,
    request: OperationRequest,
    draft: RuntimeDraft,
  ): Promise<Operation> {
    const start = runtimeStart(this.deps.taskQueue, tenantId, runtimeId, 'FAIL', 'PROVISIONING');
    return withDeadline(this.deps.temporal, this.deps.requestTimeoutMs, () =>
      this.deps.temporal.workflow.executeUpdateWithStart(startOperationUpdate, {
        args: [{ request, draft }],
        startWorkflowOperation: start,
      }),
    );
  }

  /** Starts an operation on a runtime whose workflow runs; a gone workflow is NotFound. */
  async start(tenantId: string, runtimeId: string, request: OperationRequest): Promise<Operation> {
    const handle = this.deps.temporal.workflow.getHandle(runtimeWorkflowId(tenantId, runtimeId));
    try {
      return await withDeadline(this.deps.temporal, this.deps.requestTimeoutMs, () =>
        handle.executeUpdate(startOperationUpdate, { args: [{ request }] }),
      );
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new NotFoundError('runtime', runtimeId);
      throw err;
    }
  }
}
