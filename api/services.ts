import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import type { Config } from '../infra/config';
import { type CertificateCache, NO_CERTIFICATE_CACHE } from './auth/certificate-auth';
import { loadSecretBox } from '../infra/secret-box';
import { certificateSubject, dataDir, publicUrls, tokenLifetimesMs } from '../infra/trust';
import { BundleInstanceAuthRepository } from '../store/bundle-instance-auths';
import { BundleRepository } from '../store/bundles';
import { BundleInstanceAuthService } from './director/bundle-instance-auth-service';
import { CredentialRequestClient, credentialRequestSettings } from './workflow-clients/credential-request';
import { ApplicationTemplateRepository } from '../store/application-templates';
import { ApplicationRepository } from '../store/applications';
import { CertificateRepository } from '../store/certificates';
import { IntegrationSystemRepository } from '../store/integration-systems';
import { LabelDefinitionRepository } from '../store/label-definitions';
import { OneTimeTokenRepository } from '../store/one-time-tokens';
import { SystemAuthRepository } from '../store/system-auths';
import type { TenantRepository } from '../store/tenants';
import { WebhookRepository } from '../store/webhooks';
import { ConnectorService } from './connector/connector-service';
import type { Services } from './context';
import { ApplicationLabelService } from './director/application-label-service';
import { ApplicationService } from './director/application-service';
import { ApplicationTemplateService } from './director/application-template-service';
import { createBundleServices } from './director/bundle-services';
import { HealthCheckService } from './director/health-check-service';
import { IntegrationSystemService } from './director/integration-system-service';
import { LabelDefinitionService } from './director/label-definition-service';
import { createRuntimeServices } from './director/runtime-services';
import { TenantService } from './director/tenant-service';
import { WebhookService } from './director/webhook-service';
import { SystemAuthService } from './director/system-auth-service';
import { ClientCredentialRepository } from '../store/client-credentials';
import { RuntimeRepository } from '../store/runtimes';
import type { Probes } from './health';
import { RuntimeHealthService } from './director/runtime-health-service';
import { RuntimeHealthClient } from './workflow-clients/runtime-health';
import { RuntimeHealthRecordRepository, RuntimeHealthRepository } from '../store/runtime-health';
import { LOCAL_PROVIDER, type ProviderDescriptor } from '../domain/provisioning';
import { ProvisioningRepository } from '../store/provisioning';
import { ProvisionerService } from './provisioner/provisioner-service';
import { ProvisioningClient, provisioningSettings } from './workflow-clients/provisioning';

export interface ServiceDeps {
  readonly config: Config;
  readonly db: Db;
  readonly temporal: Client;
  readonly tenants: TenantRepository;
  readonly probes: Probes;
  /** The Provisioner's providers, as the worker runs them (default: the local provider). */
  readonly providers?: readonly ProviderDescriptor[];
  /** The mTLS listener's identities of certificates, told of revocations made here. */
  readonly certificateCache?: CertificateCache;
}

/** The gateway's composition root for services: each dependency is built once and shared. */
export function createServices({
  config,
  db,
  temporal,
  tenants,
  probes,
  providers,
  certificateCache = NO_CERTIFICATE_CACHE,
}: ServiceDeps): Services {
  const workflows = {
    temporal,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
  };
  const applicationRepository = new ApplicationRepository(db);
  const webhookRepository = new WebhookRepository(db);
  const systemAuthRepository = new SystemAuthRepository(db);
  const integrationSystemRepository = new IntegrationSystemRepository(db);
  const labelDefinitions = new LabelDefinitionService(new LabelDefinitionRepository(db));
  const urls = publicUrls(config);
  const healthChecks = new HealthCheckService(probes);
  const runtimeHealth = new RuntimeHealthService({
    client: new RuntimeHealthClient(temporal, config.REQUEST_TIMEOUT_MS),
    health: new RuntimeHealthRepository(db),
    records: new RuntimeHealthRecordRepository(db),
    runtimes: new RuntimeRepository(db),
    managementPlane: healthChecks,
    grace: {
      minimumMs: config.RUNTIME_HEALTH_MIN_GRACE_SECONDS * 1000,
      ...(config.RUNTIME_HEALTH_GRACE_SECONDS !== undefined && {
        configuredMs: config.RUNTIME_HEALTH_GRACE_SECONDS * 1000,
      }),
    },
  });
  const runtimeServices = createRuntimeServices({
    db,
    ...workflows,
    hideSelectors: config.APP_HIDE_SELECTORS,
    labelDefinitions,
  });
  const secretBox = loadSecretBox({ keyBase64: config.SECRET_ENCRYPTION_KEY, dataDir: dataDir(config) });
  const bundleInstanceAuths = new BundleInstanceAuthService({
    instanceAuths: new BundleInstanceAuthRepository(db),
    bundles: new BundleRepository(db).bundles,
    workflows: new CredentialRequestClient({
      ...workflows,
      settings: { ...credentialRequestSettings(config), pollsPerRun: config.WEBHOOK_POLLS_PER_RUN },
    }),
    secretBox,
  });
  return {
    applications: new ApplicationService({
      ...workflows,
      applications: applicationRepository,
      labelDefinitions,
      hideSelectors: config.APP_HIDE_SELECTORS,
      integrationSystems: integrationSystemRepository,
    }),
    applicationLabels: new ApplicationLabelService(applicationRepository, labelDefinitions),
    webhooks: new WebhookService(webhookRepository, applicationRepository, secretBox),
    bundleInstanceAuths,
    labelDefinitions,
    ...runtimeServices,
    provisioner: new ProvisionerService({
      client: new ProvisioningClient(workflows),
      settings: provisioningSettings(config),
      providers: providers ?? [LOCAL_PROVIDER],
      provisioning: new ProvisioningRepository(db),
      runtimes: new RuntimeRepository(db),
      runtimeService: runtimeServices.runtimes,
      health: new RuntimeHealthRepository(db),
    }),
    ...createBundleServices({ db, ...workflows, instanceAuths: bundleInstanceAuths }),
    applicationTemplates: new ApplicationTemplateService(new ApplicationTemplateRepository(db)),
    integrationSystems: new IntegrationSystemService(integrationSystemRepository),
    tenants: new TenantService(tenants),
    healthChecks,
    runtimeHealth,
    owners: {
      webhook: (tenantId, id) => webhookRepository.get(tenantId, id),
      systemAuth: (tenantId, id) => systemAuthRepository.get(tenantId, id),
    },
    systemAuths: new SystemAuthService({
      systemAuths: systemAuthRepository,
      credentials: new ClientCredentialRepository(db),
      applications: applicationRepository,
      runtimes: new RuntimeRepository(db),
      integrationSystems: { get: (id) => integrationSystemRepository.getGlobal(id) },
      tokenUrl: `${urls.http}/oauth/token`,
      secretBox,
      certificateCache,
    }),
    connector: new ConnectorService({
      ...workflows,
      tokens: new OneTimeTokenRepository(db),
      systemAuths: systemAuthRepository,
      certificates: new CertificateRepository(db),
      certificateCache,
      settings: {
        connectorUrl: `${urls.http}/connector/graphql`,
        certificateSecuredConnectorUrl: `${urls.mtls}/connector/graphql`,
        directorUrl: `${urls.http}/director/graphql`,
        certificateSecuredDirectorUrl: `${urls.mtls}/director/graphql`,
        subject: certificateSubject(config),
        ...tokenLifetimesMs(config),
        connectWindowMs: 24 * 3_600_000,
        certificateGraceMs: config.CERT_GRACE_SECONDS * 1000,
      },
    }),
  };
}
