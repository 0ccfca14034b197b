import type DataLoader from 'dataloader';
import type { ConnectorService } from './connector/connector-service';
import type { Logger } from 'pino';
import type { ApplicationService } from './director/application-service';
import type { BundleContentService } from './director/bundle-content-service';
import type { BundleService } from './director/bundle-service';
import type { BundleInstanceAuthService } from './director/bundle-instance-auth-service';
import type { ApplicationLabelService } from './director/application-label-service';
import type { WebhookService } from './director/webhook-service';
import type { LabelDefinitionService } from './director/label-definition-service';
import type { EventingService } from './director/eventing-service';
import type { RuntimeApplicationsService } from './director/runtime-applications-service';
import type { RuntimeContextService } from './director/runtime-context-service';
import type { RuntimeService } from './director/runtime-service';
import type { RuntimeHealthService } from './director/runtime-health-service';
import type { ScenarioAssignmentService } from './director/scenario-assignment-service';
import type { ApplicationTemplateService } from './director/application-template-service';
import type { HealthCheckService } from './director/health-check-service';
import type { IntegrationSystemService } from './director/integration-system-service';
import type { TenantService } from './director/tenant-service';
import type { SystemAuthService } from './director/system-auth-service';
import type { ProvisionerService } from './provisioner/provisioner-service';
import type { OwnerLookup } from './director/access';
import { type Viewer, ViewerType } from '../domain/viewer';
import type { TenantResolver } from './tenants';
import { UnauthorizedError } from '../domain/errors';
import type { RequestIdentity } from './auth/request-identity';

/** Per-request state every resolver receives. */
export interface GatewayContext {
  /**
   * The caller's tenant; rejects with TenantRequired (24) when the request names none and
   * TenantNotFound (25) when it is unknown and may not be created.
   */
  tenant(): Promise<string>;
  /** Who is calling: the authenticated identity's ID and kind. */
  viewer(): Promise<Viewer>;
  /** The authenticated caller; set by the listener (bearer token or client certificate). */
  readonly identity?: RequestIdentity;
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
  readonly bundleInstanceAuths: BundleInstanceAuthService;
  readonly labelDefinitions: LabelDefinitionService;
  readonly applicationLabels: ApplicationLabelService;
  readonly webhooks: WebhookService;
  readonly runtimes: RuntimeService;
  readonly runtimeHealth: RuntimeHealthService;
  readonly runtimeContexts: RuntimeContextService;
  readonly runtimeApplications: RuntimeApplicationsService;
  readonly scenarioAssignments: ScenarioAssignmentService;
  readonly eventing: EventingService;
  readonly applicationTemplates: ApplicationTemplateService;
  readonly integrationSystems: IntegrationSystemService;
  readonly tenants: TenantService;
  readonly healthChecks: HealthCheckService;
  readonly connector: ConnectorService;
  readonly systemAuths: SystemAuthService;
  readonly provisioner: ProvisionerService;
  /** Owners of child objects, for the per-identity rules of director/access.ts. */
  readonly owners: OwnerLookup;
}

/**
 * The tenant a request acts in. Applications and runtimes act in the tenant of their
 * identity; users and integration systems name it in the `Tenant` header (or, for users, in
 * their token). A header that contradicts the identity's tenant is refused.
 */
function tenantHeader(identity: RequestIdentity | undefined, header: string | undefined): string | undefined {
  const named = header?.trim() || undefined;
  // Integration systems are global (Compass): they must name the tenant; their token's is not binding.
  if (identity?.kind === 'INTEGRATION_SYSTEM') return named;
  const claimed = identity?.tenant;
  if (claimed && named && claimed !== named) throw new UnauthorizedError('tenant mismatch');
  return named ?? claimed;
}

/** Builds the context of one request: the tenant is resolved once, on first use. */
export function createContext(
  headers: { tenant?: string | string[] },
  identity: RequestIdentity | undefined,
  services: Services,
  tenants: TenantResolver,
  log: Logger,
): GatewayContext {
  let tenant: Promise<string> | undefined;
  const loaders = new Map<string, unknown>();
  const raw = Array.isArray(headers.tenant) ? headers.tenant[0] : headers.tenant;
  const resolveTenant = () =>
    (tenant ??= Promise.resolve().then(() => tenants.resolve(tenantHeader(identity, raw))));
  return {
    tenant: resolveTenant,
    viewer: async () => {
      await resolveTenant();
      return { id: identity?.consumerId ?? 'anonymous', type: ViewerType[identity?.kind ?? 'USER'] };
    },
    ...(identity && { identity }),
    services,
    log,
    loader: <K, V>(name: string, create: () => DataLoader<K, V>) => {
      let existing = loaders.get(name) as DataLoader<K, V> | undefined;
      if (!existing) loaders.set(name, (existing = create()));
      return existing;
    },
  };
}
