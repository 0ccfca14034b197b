import type DataLoader from 'dataloader';
import type { ConnectorService } from './connector/connector-service';
import type { Logger } from 'pino';
import type { ApplicationService } from './director/application-service';
import type { BundleContentService } from './director/bundle-content-service';
import type { BundleService } from './director/bundle-service';
import type { ApplicationLabelService } from './director/application-label-service';
import type { WebhookService } from './director/webhook-service';
import type { LabelDefinitionService } from './director/label-definition-service';
import type { EventingService } from './director/eventing-service';
import type { RuntimeApplicationsService } from './director/runtime-applications-service';
import type { RuntimeContextService } from './director/runtime-context-service';
import type { RuntimeService } from './director/runtime-service';
import type { ScenarioAssignmentService } from './director/scenario-assignment-service';
import type { ApplicationTemplateService } from './director/application-template-service';
import type { HealthCheckService } from './director/health-check-service';
import type { IntegrationSystemService } from './director/integration-system-service';
import type { TenantService } from './director/tenant-service';
import { type Viewer, ViewerType } from '../domain/viewer';
import type { TenantResolver } from './tenants';

/** Per-request state every resolver receives. */
export interface GatewayContext {
  /**
   * The caller's tenant; rejects with TenantRequired (24) when the request names none and
   * TenantNotFound (25) when it is unknown and may not be created.
   */
  tenant(): Promise<string>;
  /**
   * Who is calling. Until callers are authenticated this is the anonymous USER of the tenant
   * (id = the tenant's ID); authentication replaces the source here and nowhere else.
   */
  viewer(): Promise<Viewer>;
  readonly services: Services;
  readonly log: Logger;
  /**
   * A DataLoader for this request, created on first use under `name`: nested fields load in
   * batches (no N+1) and each key is read once per request.
   */
  loader<K, V>(name: string, create: () => DataLoader<K, V>): DataLoader<K, V>;
}

export interface Services {
  readonly applications: ApplicationService;
  readonly bundles: BundleService;
  readonly bundleContent: BundleContentService;
  readonly labelDefinitions: LabelDefinitionService;
  readonly applicationLabels: ApplicationLabelService;
  readonly webhooks: WebhookService;
  readonly runtimes: RuntimeService;
  readonly runtimeContexts: RuntimeContextService;
  readonly runtimeApplications: RuntimeApplicationsService;
  readonly scenarioAssignments: ScenarioAssignmentService;
  readonly eventing: EventingService;
  readonly applicationTemplates: ApplicationTemplateService;
  readonly integrationSystems: IntegrationSystemService;
  readonly tenants: TenantService;
  readonly healthChecks: HealthCheckService;
  readonly connector: ConnectorService;
}

/** Builds the context from a request's headers: the tenant is checked once, on first use. */
export function createContext(
  headers: { tenant?: string | string[] },
  services: Services,
  tenants: TenantResolver,
  log: Logger,
): GatewayContext {
  let tenant: Promise<string> | undefined;
  const loaders = new Map<string, unknown>();
  const raw = Array.isArray(headers.tenant) ? headers.tenant[0] : headers.tenant;
  return {
    tenant: () => (tenant ??= tenants.resolve(raw)),
    viewer: async () => ({ id: await (tenant ??= tenants.resolve(raw)), type: ViewerType.USER }),
    services,
    log,
    loader: <K, V>(name: string, create: () => DataLoader<K, V>) => {
      let existing = loaders.get(name) as DataLoader<K, V> | undefined;
      if (!existing) loaders.set(name, (existing = create()));
      return existing;
    },
  };
}
