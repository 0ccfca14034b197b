import {
  getExternalWorkflowHandle,
  ParentClosePolicy,
  patched,
  proxyLocalActivities,
  startChild,
} from '@temporalio/workflow';
import type { ProvisioningStoreActivities } from '../../activities/provisioning-store';
import { InvalidOperationError } from '../../domain/errors';
import { provisioningWorkflowId } from '../../domain/ids';
import {
  ONE_OPERATION_AT_A_TIME,
  type Operation,
  OperationState,
  OperationType,
} from '../../domain/provisioning';
import type { RuntimeDraft } from '../../domain/runtime';
import {
  CompassStatusKey,
  OperationTypeKey,
  RuntimeIdKey,
  TenantIdKey,
} from '../../domain/search-attributes';
import { toApplicationFailure } from '../shared/failures';
import { STORE_WRITES } from '../shared/local-activities';
import type { HandlerLock } from '../shared/lock';
import {
  agentConnectedSignal,
  cancelOperationSignal,
  type OperationOutcome,
  type OperationRequest,
} from '../provisioning/messages';
import type { provisioningWorkflow } from '../provisioning/workflow';
import type { RuntimeOperationsState } from './messages';
import type { RuntimeEntity } from './state';

const store = proxyLocalActivities<ProvisioningStoreActivities>(STORE_WRITES);

/** Runtime workflows that run provisioning operations; histories before it never did. */
export const RUNTIME_OPERATIONS = 'runtime-provisioning-operations';

/** A running operation is cancelled by a signal; histories before it requested an external cancellation. */
export const CANCEL_OPERATION_BY_SIGNAL = 'cancel-operation-by-signal';

const refuse = (message: string, id: string) =>
  toApplicationFailure(new InvalidOperationError(message, { ID: id }));

/**
 * The runtime's provisioning operations: one at a time, each a child workflow
 * (`provision/<tenant>/<runtimeId>/<operationId>`) that outlives continue-as-new. A
 * Deprovision while another operation runs cancels it and starts once its compensations
 * have run. The agent's first sign of life (heartbeat or CONNECTED) is passed to the
 * operation waiting for it; outcomes become the runtime's status or its unregistration.
 */
export class RuntimeOperations {
  current?: RuntimeOperationsState['current'];
  queued?: OperationRequest;
  awaiting?: RuntimeOperationsState['awaiting'];
  agentSeenMs?: number;

  /** `writes`: the workflow's lock for its store writes (none: they run as they come). */
  constructor(
    private readonly entity: RuntimeEntity,
    carried?: RuntimeOperationsState,
    private readonly writes?: HandlerLock,
  ) {
    this.current = carried?.current;
    this.queued = carried?.queued;
    this.awaiting = carried?.awaiting;
    this.agentSeenMs = carried?.agentSeenMs;
  }

  get busy(): boolean {
    return this.current !== undefined || this.queued !== undefined;
  }

  state(): RuntimeOperationsState {
    return {
      ...(this.current && { current: this.current }),
      ...(this.queued && { queued: this.queued }),
      ...(this.awaiting && { awaiting: this.awaiting }),
      ...(this.agentSeenMs !== undefined && { agentSeenMs: this.agentSeenMs }),
    };
  }

  /** Rejects, before it reaches history, an operation the rule or the runtime's phase forbids. */
  validateStart({ request, draft }: { request: OperationRequest; draft?: RuntimeDraft }): void {
    const id = this.entity.runtimeId;
    if (this.isRepeat(request)) return;
    if (draft ? this.entity.phase !== 'new' : this.entity.phase !== 'registered') {
      throw refuse(draft ? 'runtime already exists' : 'runtime is not registered', id);
    }
    const deprovisioning = this.current?.type === OperationType.Deprovision || this.queued;
    if (this.current && (request.type !== OperationType.Deprovision || deprovisioning)) {
      throw refuse(ONE_OPERATION_AT_A_TIME, id);
    }
  }

  /** Director's unregisterRuntime is refused while an operation runs. */
  validateUnregister(): void {
    if (this.busy) {
      throw refuse(
        'the runtime has a provisioning operation in progress; deprovision it with the Provisioner',
        this.entity.runtimeId,
      );
    }
  }

  async start({ request, draft }: { request: OperationRequest; draft?: RuntimeDraft }): Promise<Operation> {
    if (this.isRepeat(request)) return this.initial(request, OperationState.InProgress);
    if (this.current) {
      this.queued = request;
      const pending = this.initial(request, OperationState.Pending);
      if (this.writes) {
        const runningId = this.current.workflowId;
        const { cancelled } = await this.writes.run(async () => {
          await store.recordOperation(pending, request.clusterConfig);
          return { cancelled: this.cancel(runningId) };
        });
        await cancelled;
        return pending;
      }
      await store.recordOperation(pending, request.clusterConfig);
      await this.cancel(this.current.workflowId);
      return pending;
    }
    this.reserve(request);
    if (draft) await this.entity.register(draft);
    return this.launch(request);
  }

  /** Asks the running operation to stop (its compensations run). */
  private cancel(workflowId: string): Promise<void> {
    const running = getExternalWorkflowHandle(workflowId);
    // the operation may have just ended: its outcome signal is then on its way
    if (patched(CANCEL_OPERATION_BY_SIGNAL))
      return running.signal(cancelOperationSignal).catch(() => undefined);
    return running.cancel();
  }

  /** The operation ended: start the queued deprovisioning, or apply the outcome to the runtime. */
  async finished(outcome: OperationOutcome): Promise<void> {
    if (this.current?.operationId !== outcome.operationId) return;
    this.current = undefined;
    this.awaiting = undefined;
    if (this.queued) {
      const next = this.queued;
      this.queued = undefined;
      this.reserve(next);
      await this.launch(next);
      return;
    }
    const ok = outcome.state === OperationState.Succeeded;
    if (ok && outcome.type === OperationType.Deprovision) {
      await this.entity.unregister();
    } else if (!ok) {
      await this.entity.setCondition('FAILED');
    } else if (outcome.type === OperationType.Provision && this.entity.condition !== 'CONNECTED') {
      await this.entity.setCondition('CONNECTED');
    }
  }

  /** The agent heartbeated or reported CONNECTED. */
  agentSeen(): void {
    this.agentSeenMs = Date.now();
    this.notifyAgent();
  }

  awaitAgent(wait: { operationId: string; sinceMs: number }): void {
    if (this.current?.operationId !== wait.operationId) return;
    this.awaiting = wait;
    this.notifyAgent();
  }

  private notifyAgent(): void {
    const wait = this.awaiting;
    if (!wait || this.agentSeenMs === undefined || this.agentSeenMs < wait.sinceMs) return;
    if (!patched(RUNTIME_OPERATIONS) || !this.current) return;
    this.awaiting = undefined;
    void getExternalWorkflowHandle(this.current.workflowId)
      .signal(agentConnectedSignal)
      .catch(() => undefined);
  }

  private isRepeat(request: OperationRequest): boolean {
    return (
      this.current?.operationId === request.operationId || this.queued?.operationId === request.operationId
    );
  }

  private workflowId(request: OperationRequest): string {
    return provisioningWorkflowId(this.entity.tenantId, this.entity.runtimeId, request.operationId);
  }

  /** Marks the operation as running before anything is awaited, so a concurrent one is refused. */
  private reserve(request: OperationRequest): void {
    this.current = {
      operationId: request.operationId,
      type: request.type,
      workflowId: this.workflowId(request),
    };
  }

  private async launch(request: OperationRequest): Promise<Operation> {
    const operation = this.initial(request, OperationState.InProgress);
    if (this.writes) {
      const { started } = await this.writes.run(async () => {
        await store.recordOperation(operation, request.clusterConfig);
        return { started: this.startChild(request, operation) };
      });
      await started;
      return operation;
    }
    await store.recordOperation(operation, request.clusterConfig);
    await this.startChild(request, operation);
    return operation;
  }

  /** Starts the operation's workflow: a child that outlives this run (and is abandoned by it). */
  private startChild(request: OperationRequest, operation: Operation): Promise<unknown> {
    patched(RUNTIME_OPERATIONS);
    return startChild<typeof provisioningWorkflow>('provisioningWorkflow', {
      workflowId: this.workflowId(request),
      args: [
        {
          tenantId: this.entity.tenantId,
          runtimeId: this.entity.runtimeId,
          operationId: request.operationId,
          type: request.type,
          clusterConfig: request.clusterConfig,
          settings: request.settings,
          startedAt: operation.startedAt,
        },
      ],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: [
        { key: TenantIdKey, value: this.entity.tenantId },
        { key: RuntimeIdKey, value: this.entity.runtimeId },
        { key: OperationTypeKey, value: request.type },
        { key: CompassStatusKey, value: OperationState.InProgress },
      ],
    });
  }

  private initial(request: OperationRequest, state: OperationState): Operation {
    return {
      id: request.operationId,
      tenantId: this.entity.tenantId,
      runtimeId: this.entity.runtimeId,
      type: request.type,
      state,
      stages: [],
      startedAt: request.requestedAt,
    };
  }
}
