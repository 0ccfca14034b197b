import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import type { BundleInstanceAuthRecord } from '../../domain/bundle-instance-auth';
import { credentialRequestWorkflowId } from '../../domain/ids';
import {
  ApplicationIdKey,
  CompassStatusKey,
  RuntimeIdKey,
  TenantIdKey,
} from '../../domain/search-attributes';
import type { Config } from '../../infra/config';
import {
  type CreationRequest,
  type CredentialRequestSettings,
  type DeletionRequest,
  type DeletionResult,
  type SetAuthRequest,
  deleteUpdate,
  requestCreationUpdate,
  requestDeletionUpdate,
  setBundleInstanceAuthUpdate,
} from '../../workflows/credential-request/messages';
import type { credentialRequestWorkflow } from '../../workflows/credential-request/workflow';
import { withDeadline } from './deadline';

export interface CredentialRequestClientDeps {
  readonly temporal: Client;
  readonly taskQueue: string;
  /** How long a caller waits for the workflow's answer (REQUEST_TIMEOUT_MS). */
  readonly requestTimeoutMs: number;
  readonly settings: CredentialRequestSettings;
}

/** The workflow's timing, from the configuration. */
export function credentialRequestSettings(
  config: Pick<
    Config,
    | 'CREDENTIAL_REQUEST_TIMEOUT_SECONDS'
    | 'WEBHOOK_RETRY_SCHEDULE_MS'
    | 'WEBHOOK_ATTEMPT_TIMEOUT_MS'
    | 'WEBHOOK_POLL_INTERVAL_MS'
    | 'WEBHOOK_ASYNC_TIMEOUT_SECONDS'
  >,
): CredentialRequestSettings {
  return {
    pendingTimeoutMs: config.CREDENTIAL_REQUEST_TIMEOUT_SECONDS * 1000,
    retryScheduleMs: config.WEBHOOK_RETRY_SCHEDULE_MS,
    attemptTimeoutMs: config.WEBHOOK_ATTEMPT_TIMEOUT_MS,
    pollIntervalMs: config.WEBHOOK_POLL_INTERVAL_MS,
    asyncTimeoutMs: config.WEBHOOK_ASYNC_TIMEOUT_SECONDS * 1000,
  };
}

/** Which request an operation is about, and what the API read of it (for a new run). */
interface Target {
  readonly tenantId: string;
  readonly id: string;
  readonly applicationId: string;
  readonly runtimeId?: string;
  readonly record?: BundleInstanceAuthRecord;
}

/**
 * The API's one way to the credential-request workflow (`credentials/<tenant>/<id>`): every
 * operation is an Update-with-Start, so it reaches the running workflow or, once that has
 * ended, a new run that continues from the stored request. A new request's run is started
 * with its creation and opens it at once; the update carries it too, for workers that open a
 * request from requestCreation.
 */
export class CredentialRequestClient {
  constructor(private readonly deps: CredentialRequestClientDeps) {}

  requestCreation(target: Target, request: CreationRequest): Promise<BundleInstanceAuthRecord> {
    return this.send(target, () =>
      this.deps.temporal.workflow.executeUpdateWithStart(requestCreationUpdate, {
        args: [request],
        startWorkflowOperation: this.start(target, request),
      }),
    );
  }

  set(target: Target, request: SetAuthRequest): Promise<BundleInstanceAuthRecord> {
    return this.send(target, () =>
      this.deps.temporal.workflow.executeUpdateWithStart(setBundleInstanceAuthUpdate, {
        args: [request],
        startWorkflowOperation: this.start(target),
      }),
    );
  }

  requestDeletion(target: Target, request: DeletionRequest): Promise<DeletionResult> {
    return this.send(target, () =>
      this.deps.temporal.workflow.executeUpdateWithStart(requestDeletionUpdate, {
        args: [request],
        startWorkflowOperation: this.start(target),
      }),
    );
  }

  delete(target: Target): Promise<BundleInstanceAuthRecord> {
    return this.send(target, () =>
      this.deps.temporal.workflow.executeUpdateWithStart(deleteUpdate, {
        startWorkflowOperation: this.start(target),
      }),
    );
  }

  private send<T>(_target: Target, fn: () => Promise<T>): Promise<T> {
    return withDeadline(this.deps.temporal, this.deps.requestTimeoutMs, fn);
  }

  /** The start of the request's run; a new request's run is started with its creation. */
  private start(target: Target, creation?: CreationRequest) {
    return new WithStartWorkflowOperation<typeof credentialRequestWorkflow>('credentialRequestWorkflow', {
      workflowId: credentialRequestWorkflowId(target.tenantId, target.id),
      taskQueue: this.deps.taskQueue,
      args: [
        {
          tenantId: target.tenantId,
          bundleInstanceAuthId: target.id,
          settings: this.deps.settings,
          ...(target.record && { record: target.record }),
          ...(creation && { creation }),
        },
      ],
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: [
        { key: TenantIdKey, value: target.tenantId },
        { key: ApplicationIdKey, value: target.applicationId },
        ...(target.runtimeId ? [{ key: RuntimeIdKey, value: target.runtimeId }] : []),
        { key: CompassStatusKey, value: target.record?.status.condition ?? 'PENDING' },
      ],
    });
  }
}
