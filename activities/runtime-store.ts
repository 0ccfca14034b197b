import type { Runtime, RuntimeDraft } from '../domain/runtime';
import { newRuntime, replaceRuntime } from '../domain/runtime';
import { NotFoundError } from '../domain/errors';
import { withDomainFailures } from './failures';

/** The slice of the runtime repository these activities need. */
export interface RuntimeStore {
  get(tenantId: string, id: string): Promise<Runtime | undefined>;
  put(runtime: Runtime): Promise<Runtime>;
  delete(tenantId: string, id: string): Promise<boolean>;
}

/** The slice of the runtime context repository these activities need. */
export interface RuntimeContextStore {
  deleteForRuntime(tenantId: string, runtimeId: string): Promise<number>;
}

/** The slices of the runtime-health repositories unregistering needs. */
export interface RuntimeHealthRemoval {
  readonly runtimeHealth: { delete(tenantId: string, runtimeId: string): Promise<void> };
  readonly runtimeHealthRecords: { deleteForRuntime(tenantId: string, runtimeId: string): Promise<void> };
}

export interface RuntimeStoreActivityDeps extends RuntimeHealthRemoval {
  readonly runtimes: RuntimeStore;
  readonly runtimeContexts: RuntimeContextStore;
}

/** Activities that write runtimes to the MongoDB read model; each is idempotent. */
export function createRuntimeStoreActivities({
  runtimes,
  runtimeContexts,
  runtimeHealth,
  runtimeHealthRecords,
}: RuntimeStoreActivityDeps) {
  return {
    /** Stores a new runtime built from `draft`; a retry finds it stored and returns it. */
    async insertRuntime(
      tenantId: string,
      runtimeId: string,
      draft: RuntimeDraft,
      now: string,
    ): Promise<Runtime> {
      return withDomainFailures(async () => {
        const existing = await runtimes.get(tenantId, runtimeId);
        return existing ?? runtimes.put(newRuntime(tenantId, runtimeId, draft, now));
      });
    },

    /** Replaces the runtime with `draft`, keeping Director-managed labels and its creation time. */
    async replaceRuntime(
      tenantId: string,
      runtimeId: string,
      draft: RuntimeDraft,
      now: string,
    ): Promise<Runtime> {
      return withDomainFailures(async () => {
        const current = await runtimes.get(tenantId, runtimeId);
        if (!current) throw new NotFoundError('runtime', runtimeId);
        return runtimes.put(replaceRuntime(current, draft, now));
      });
    },

    /**
     * Removes the runtime, then its contexts, its health and its health-check records;
     * succeeds when they are already gone.
     */
    async deleteRuntime(tenantId: string, runtimeId: string): Promise<void> {
      await withDomainFailures(async () => {
        await runtimes.delete(tenantId, runtimeId);
        await runtimeContexts.deleteForRuntime(tenantId, runtimeId);
        await runtimeHealth.delete(tenantId, runtimeId);
        await runtimeHealthRecords.deleteForRuntime(tenantId, runtimeId);
      });
    },
  };
}

export type RuntimeStoreActivities = ReturnType<typeof createRuntimeStoreActivities>;
