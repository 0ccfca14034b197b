import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import {
  type Application,
  type ApplicationPage,
  validateApplicationRegisterInput,
} from '../../domain/application';
import { registrationLabels } from '../../domain/application-labels';
import { validateApplicationUpdateInput } from '../../domain/application-update';
import { NotFoundError } from '../../domain/errors';
import { type LabelFilterInput, parseLabelFilters } from '../../domain/label-filter';
import { parsePageRequest } from '../../domain/pagination';
import type { ApplicationRepository } from '../../store/applications';
import type { HideSelectors } from '../../store/applications';
import type { IntegrationSystemRepository } from '../../store/integration-systems';
import {
  registerApplication,
  unregisterApplication,
  updateApplication,
} from '../workflow-clients/application';
import type { LabelDefinitionService } from './label-definition-service';

export interface ApplicationServiceDeps {
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly applications: ApplicationRepository;
  /** How long a mutation waits for its workflow's answer. */
  readonly requestTimeoutMs: number;
  /** Validates registration labels against the tenant's label definitions. */
  readonly labelDefinitions: Pick<LabelDefinitionService, 'validateLabels'>;
  /** Applications with these label values are left out of listings (APP_HIDE_SELECTORS). */
  readonly hideSelectors?: HideSelectors;
  /** The integration systems an application may name as its manager. */
  readonly integrationSystems: Pick<IntegrationSystemRepository, 'getGlobal'>;
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
    const page = parsePageRequest(first, after);
    return this.deps.applications.list(tenantId, page, conditions, this.deps.hideSelectors);
  }

  /** Validates, then starts the application's workflow and registers it in one call. */
  async register(tenantId: string, rawInput: unknown): Promise<Application> {
    const validated = validateApplicationRegisterInput(rawInput);
    await this.assertIntegrationSystemExists(validated.integrationSystemID);
    const input = { ...validated, labels: registrationLabels(validated) };
    await this.deps.labelDefinitions.validateLabels(tenantId, input.labels);
    return registerApplication(this.deps, tenantId, randomUUID(), input);
  }

  /** Unregisters through the workflow; a workflow that already ended is started again to finish the job. */
  async unregister(tenantId: string, id: string): Promise<Application> {
    const existing = await this.deps.applications.get(tenantId, id);
    if (!existing) throw new NotFoundError('application', id);
    await unregisterApplication(this.deps, tenantId, id, existing.status.condition);
    // As read before the removal: labels are edited outside the workflow, so its copy may be older.
    return existing;
  }

  /** Validates, then lets the application's workflow, the single writer of its lifecycle, apply it. */
  async update(tenantId: string, id: string, rawInput: unknown): Promise<Application> {
    const input = validateApplicationUpdateInput(rawInput);
    if (!(await this.deps.applications.get(tenantId, id))) throw new NotFoundError('application', id);
    await this.assertIntegrationSystemExists(input.integrationSystemID);
    return updateApplication(this.deps, tenantId, id, input);
  }

  /** An application may name only an integration system that exists (NotFound otherwise, as in Compass). */
  private async assertIntegrationSystemExists(id: string | undefined): Promise<void> {
    if (id !== undefined && !(await this.deps.integrationSystems.getGlobal(id))) {
      throw new NotFoundError('integrationSystem', id);
    }
  }
}
