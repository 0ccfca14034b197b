import type { ClusterConfig, Operation } from '../domain/provisioning';
import type { RuntimeStatusCondition } from '../domain/runtime';
import type { ProvisioningRepository } from '../store/provisioning';
import { NotFoundError } from '../domain/errors';
import { withDomainFailures } from './failures';
import type { RuntimeStore } from './runtime-store';

export interface ProvisioningStoreActivityDeps {
  readonly provisioning: Pick<ProvisioningRepository, 'recordOperation'>;
  readonly runtimes: Pick<RuntimeStore, 'get' | 'put'>;
}

/** Writes of the Provisioner's read model and of the runtime status its outcomes decide; idempotent. */
export function createProvisioningStoreActivities({ provisioning, runtimes }: ProvisioningStoreActivityDeps) {
  return {
    /** Stores the operation as the workflow holds it and lists it under its runtime. */
    async recordOperation(operation: Operation, clusterConfig: ClusterConfig): Promise<void> {
      await withDomainFailures(() => provisioning.recordOperation(operation, clusterConfig));
    },

    /** Sets the runtime's status condition alone. */
    async setRuntimeCondition(
      tenantId: string,
      runtimeId: string,
      condition: RuntimeStatusCondition,
      now: string,
    ): Promise<void> {
      await withDomainFailures(async () => {
        const runtime = await runtimes.get(tenantId, runtimeId);
        if (!runtime) throw new NotFoundError('runtime', runtimeId);
        if (runtime.status.condition === condition) return;
        await runtimes.put({ ...runtime, status: { condition, timestamp: now } });
      });
    },
  };
}

export type ProvisioningStoreActivities = ReturnType<typeof createProvisioningStoreActivities>;
