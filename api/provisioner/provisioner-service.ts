import { randomUUID } from 'node:crypto';
import { InvalidDataError, InvalidOperationError, NotFoundError, NotUniqueError } from '../../domain/errors';
import {
  type ClusterConfig,
  type Operation,
  OperationType,
  type ProviderDescriptor,
} from '../../domain/provisioning';
import type { RuntimeHealthStatus } from '../../domain/runtime-health';
import type { ProvisionedRuntime, ProvisioningRepository } from '../../store/provisioning';
import type { RuntimeHealthRepository } from '../../store/runtime-health';
import type { RuntimeRepository } from '../../store/runtimes';
import type { ProvisioningSettings } from '../../workflows/provisioning/messages';
import type { ProvisioningClient } from '../workflow-clients/provisioning';
import { JsonSchemaValidator } from '../director/json-schema';
import type { RuntimeService } from '../director/runtime-service';

/** Kyma's RuntimeStatus, read from the Provisioner's read model and the runtime's health. */
export interface RuntimeStatusView {
  readonly lastOperationStatus: Operation | null;
  readonly runtimeConnectionStatus: {
    status: 'Pending' | 'Connected' | 'Disconnected';
    errors: { message: string }[] | null;
  };
  readonly runtimeConfiguration: { clusterConfig: ClusterConfig; kubeconfig: null };
}

export interface ProvisionerServiceDeps {
  readonly client: ProvisioningClient;
  readonly settings: ProvisioningSettings;
  readonly providers: readonly ProviderDescriptor[];
  readonly provisioning: ProvisioningRepository;
  readonly runtimes: Pick<RuntimeRepository, 'findByName'>;
  readonly runtimeService: Pick<RuntimeService, 'registrationDraft'>;
  readonly health: Pick<RuntimeHealthRepository, 'getMany'>;
}

const CONNECTION: Record<RuntimeHealthStatus, RuntimeStatusView['runtimeConnectionStatus']['status']> = {
  HEALTHY: 'Connected',
  DEGRADED: 'Connected',
  UNREACHABLE: 'Disconnected',
  UNKNOWN: 'Pending',
};

/**
 * The Runtime Provisioner: validates everything (runtime input, provider, its config schema)
 * before anything starts, then asks the runtime's workflow to run the operation. Reads come
 * from MongoDB only.
 */
export class ProvisionerService {
  private readonly schemas = new JsonSchemaValidator();

  constructor(private readonly deps: ProvisionerServiceDeps) {}

  async provision(
    tenantId: string,
    input: { runtimeInput: unknown; clusterConfig: unknown },
  ): Promise<Operation> {
    const clusterConfig = this.clusterConfig(input.clusterConfig, OperationType.Provision);
    const draft = await this.deps.runtimeService.registrationDraft(tenantId, input.runtimeInput);
    if (await this.deps.runtimes.findByName(tenantId, draft.name)) throw new NotUniqueError('Runtime');
    const runtimeId = randomUUID();
    return this.deps.client.provision(
      tenantId,
      runtimeId,
      this.request(OperationType.Provision, clusterConfig),
      { ...draft, statusCondition: 'PROVISIONING' },
    );
  }

  async upgrade(tenantId: string, id: string, input: { clusterConfig: unknown }): Promise<Operation> {
    const runtime = await this.provisioned(tenantId, id);
    const clusterConfig = this.clusterConfig(input.clusterConfig, OperationType.Upgrade);
    if (clusterConfig.provider !== runtime.clusterConfig.provider) {
      throw new InvalidDataError('', { provider: `must stay ${runtime.clusterConfig.provider}` });
    }
    return this.deps.client.start(tenantId, id, this.request(OperationType.Upgrade, clusterConfig));
  }

  /** Deprovision, ReconnectRuntime, Hibernate or WakeUp, on the runtime's own configuration. */
  async run(tenantId: string, id: string, type: OperationType): Promise<Operation> {
    const runtime = await this.provisioned(tenantId, id);
    this.supporting(runtime.clusterConfig.provider, type);
    return this.deps.client.start(tenantId, id, this.request(type, runtime.clusterConfig));
  }

  async operation(tenantId: string, operationId: string): Promise<Operation> {
    const operation = await this.deps.provisioning.operation(tenantId, operationId);
    if (!operation) throw new NotFoundError('operation', operationId);
    return operation;
  }

  async operations(tenantId: string, runtimeId: string): Promise<Operation[]> {
    const runtime = await this.provisioned(tenantId, runtimeId);
    return this.deps.provisioning.operationsOf(tenantId, runtime.operationIds);
  }

  /** The providers operations can run on, each with its config schema (for a client's form). */
  providers(): readonly ProviderDescriptor[] {
    return this.deps.providers;
  }

  async status(tenantId: string, runtimeId: string): Promise<RuntimeStatusView> {
    const runtime = await this.provisioned(tenantId, runtimeId);
    const [last, health] = await Promise.all([
      this.deps.provisioning.operation(tenantId, runtime.lastOperationId),
      this.deps.health.getMany(tenantId, [runtimeId]).then((m) => m.get(runtimeId)),
    ]);
    const failing = (health?.checks ?? []).filter((c) => c.status !== 'UP');
    return {
      lastOperationStatus: last ?? null,
      runtimeConnectionStatus: {
        status: CONNECTION[health?.status ?? 'UNKNOWN'],
        errors: failing.length ? failing.map((c) => ({ message: `${c.name} is ${c.status}` })) : null,
      },
      runtimeConfiguration: { clusterConfig: runtime.clusterConfig, kubeconfig: null },
    };
  }

  private async provisioned(tenantId: string, runtimeId: string): Promise<ProvisionedRuntime> {
    const runtime = await this.deps.provisioning.runtime(tenantId, runtimeId);
    if (!runtime) throw new NotFoundError('runtime', runtimeId);
    return runtime;
  }

  private request(type: OperationType, clusterConfig: ClusterConfig) {
    return {
      operationId: randomUUID(),
      type,
      clusterConfig,
      settings: this.deps.settings,
      requestedAt: new Date().toISOString(),
    };
  }

  private supporting(name: string, type: OperationType): ProviderDescriptor {
    const provider = this.deps.providers.find((p) => p.name === name);
    if (!provider) throw new InvalidDataError('', { provider: `unknown provider ${name}` });
    if (!provider.operations.includes(type)) {
      throw new InvalidOperationError(`provider ${name} does not support ${type}`);
    }
    return provider;
  }

  /** The provider-neutral config, its provider part checked against the provider's JSON Schema. */
  private clusterConfig(raw: unknown, type: OperationType): ClusterConfig {
    const input = (raw ?? {}) as Record<string, unknown>;
    const name = typeof input.provider === 'string' ? input.provider.trim() : '';
    if (!name) throw new InvalidDataError('', { provider: 'cannot be blank' });
    const provider = this.supporting(name, type);
    const specific = input.providerSpecificConfig ?? {};
    if (typeof specific !== 'object' || specific === null || Array.isArray(specific)) {
      throw new InvalidDataError('', { providerSpecificConfig: 'must be an object' });
    }
    const problems = this.schemas.problems(provider.configSchema, specific);
    if (problems) throw new InvalidDataError('', { providerSpecificConfig: problems });
    return {
      provider: name,
      ...(typeof input.region === 'string' && { region: input.region }),
      ...(Array.isArray(input.administrators) && { administrators: input.administrators as string[] }),
      providerSpecificConfig: specific as Record<string, unknown>,
    };
  }
}
