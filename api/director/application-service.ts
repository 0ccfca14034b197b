import { randomUUID } from 'node:crypto';
import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import {
  type Application,
  type ApplicationPage,
  validateApplicationRegisterInput,
} from '../../domain/application';
import { NotFoundError } from '../../domain/errors';
import { applicationWorkflowId } from '../../domain/ids';
import { type LabelFilterInput, parseLabelFilters } from '../../domain/label-filter';
import { parsePageRequest } from '../../domain/pagination';
import { ApplicationIdKey, CompassStatusKey, TenantIdKey } from '../../domain/search-attributes';
import type { ApplicationRepository } from '../../store/applications';
import { registerUpdate, unregisterUpdate } from '../../workflows/application/messages';
import type { applicationWorkflow } from '../../workflows/application/workflow';

export interface ApplicationServiceDeps {
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly applications: ApplicationRepository;
  /** How long a mutation waits for its workflow's answer. */
  readonly requestTimeoutMs: number;
}

/**
 * Applications: reads go to MongoDB; lifecycle changes go through the application's
 * workflow, which is the only writer of its lifecycle state.
 */
export class ApplicationService {
  constructor(private readonly deps: ApplicationServiceDeps) {}

  get(tenantId: string, id: string): Promise<Application | undefined> {
    return this.deps.applications.get(tenantId, id);
  }

  list(
    tenantId: string,
    filter: readonly LabelFilterInput[] | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<ApplicationPage> {
    const conditions = parseLabelFilters(filter);
    return this.deps.applications.list(tenantId, parsePageRequest(first, after), conditions);
  }

  /** Validates, then starts the application's workflow and registers it in one call. */
  async register(tenantId: string, rawInput: unknown): Promise<Application> {
    const input = validateApplicationRegisterInput(rawInput);
    const applicationId = randomUUID();
    const start = this.startOperation(tenantId, applicationId, 'FAIL', input.statusCondition ?? 'INITIAL');
    return this.withTimeout(() =>
      this.deps.temporal.workflow.executeUpdateWithStart(registerUpdate, {
        args: [input],
        startWorkflowOperation: start,
      }),
    );
  }

  /** Unregisters through the workflow; a workflow that already ended is started again to finish the job. */
  async unregister(tenantId: string, id: string): Promise<Application> {
    const existing = await this.deps.applications.get(tenantId, id);
    if (!existing) throw new NotFoundError('application', id);
    const start = this.startOperation(tenantId, id, 'USE_EXISTING', existing.status.condition);
    const removed = await this.withTimeout(() =>
      this.deps.temporal.workflow.executeUpdateWithStart(unregisterUpdate, { startWorkflowOperation: start }),
    );
    return removed ?? existing;
  }

  /** `status` is the CompassStatus a newly started workflow shows until it changes it. */
  private startOperation(
    tenantId: string,
    applicationId: string,
    conflict: 'FAIL' | 'USE_EXISTING',
    status: string,
  ) {
    return new WithStartWorkflowOperation<typeof applicationWorkflow>('applicationWorkflow', {
      workflowId: applicationWorkflowId(tenantId, applicationId),
      taskQueue: this.deps.taskQueue,
      args: [{ tenantId, applicationId }],
      workflowIdConflictPolicy: conflict,
      typedSearchAttributes: [
        { key: TenantIdKey, value: tenantId },
        { key: ApplicationIdKey, value: applicationId },
        { key: CompassStatusKey, value: status },
      ],
    });
  }

  private withTimeout<T>(fn: () => Promise<T>): Promise<T> {
    return this.deps.temporal.withDeadline(Date.now() + this.deps.requestTimeoutMs, fn);
  }
}
