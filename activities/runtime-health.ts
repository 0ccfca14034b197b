import type { RuntimeHealth, RuntimeHealthRecord } from '../domain/runtime-health';
import { withDomainFailures } from './failures';

/** The slices of the runtime-health repositories these activities need. */
export interface RuntimeHealthActivityDeps {
  readonly runtimeHealth: {
    put(tenantId: string, runtimeId: string, health: RuntimeHealth): Promise<void>;
  };
  readonly runtimeHealthRecords: { put(record: RuntimeHealthRecord): Promise<void> };
  readonly runtimes: { get(tenantId: string, runtimeId: string): Promise<unknown> };
  readonly heartbeatIntake: { upSince(now: number): Promise<string | undefined> };
}

/** Activities of the runtime workflow's health lease; each is idempotent. */
export function createRuntimeHealthActivities(deps: RuntimeHealthActivityDeps) {
  return {
    /**
     * Writes a health transition: the runtime's health, then its record. Nothing once the
     * runtime is unregistered (its health went with it).
     */
    async recordRuntimeHealthTransition(
      tenantId: string,
      runtimeId: string,
      health: RuntimeHealth,
      record: RuntimeHealthRecord,
    ): Promise<void> {
      await withDomainFailures(async () => {
        if (!(await deps.runtimes.get(tenantId, runtimeId))) return;
        await deps.runtimeHealth.put(tenantId, runtimeId, health);
        await deps.runtimeHealthRecords.put(record);
      });
    },

    /** Since when the gateways' heartbeat intake has been up without a gap; undefined when down. */
    async readHeartbeatIntakeUpSince(): Promise<string | undefined> {
      return deps.heartbeatIntake.upSince(Date.now());
    },
  };
}

export type RuntimeHealthActivities = ReturnType<typeof createRuntimeHealthActivities>;
