import type { Document } from 'mongodb';
import { InvalidOperationError } from '../../domain/errors';
import {
  type HealthCheck,
  type HealthCheckPage,
  HealthCheckStatusCondition,
  HealthCheckType,
} from '../../domain/health-check';
import { type LabelFilterInput, parseLabelFilters } from '../../domain/label-filter';
import { countOf, decodeCursor, encodeCursor, parsePageRequest, type Page } from '../../domain/pagination';
import type { Runtime } from '../../domain/runtime';
import {
  type RuntimeHealth,
  type RuntimeHealthRecord,
  type RuntimeHealthStatus,
  RUNTIME_HEALTH_STATUSES,
  UNKNOWN_HEALTH,
  gracePeriodMs,
  validateRuntimeHealthInput,
} from '../../domain/runtime-health';
import type { Viewer } from '../../domain/viewer';
import type { RuntimeHealthRecordRepository, RuntimeHealthRepository } from '../../store/runtime-health';
import type { RuntimeRepository } from '../../store/runtimes';
import type { RuntimeHealthClient } from '../workflow-clients/runtime-health';
import type { HealthCheckService } from './health-check-service';

export interface RuntimeHealthServiceDeps {
  readonly client: RuntimeHealthClient;
  readonly health: RuntimeHealthRepository;
  readonly records: RuntimeHealthRecordRepository;
  readonly runtimes: RuntimeRepository;
  readonly managementPlane: HealthCheckService;
  readonly grace: { readonly configuredMs?: number; readonly minimumMs: number };
}

/** A runtime's health as the `RuntimeHealth` GraphQL type returns it. */
export interface RuntimeHealthView extends RuntimeHealth {
  readonly runtimeId: string;
  readonly tenantId: string;
}

/**
 * Runtime health: heartbeats go to the runtime's workflow as signals (never a write here);
 * reads come from the read model its workflow writes on transitions.
 */
export class RuntimeHealthService {
  constructor(private readonly deps: RuntimeHealthServiceDeps) {}

  /** A heartbeat from a runtime's agent. Only runtimes report (access rules: for themselves). */
  async report(tenantId: string, viewer: Viewer, rawInput: unknown): Promise<boolean> {
    if (viewer.type !== 'RUNTIME') throw new InvalidOperationError('only a runtime reports its health');
    const report = validateRuntimeHealthInput(rawInput);
    await this.deps.client.heartbeat(tenantId, report.runtimeId, {
      status: report.status,
      checks: report.checks,
      receivedAt: new Date().toISOString(),
      ...(report.sentAt && { sentAt: report.sentAt }),
      graceMs: gracePeriodMs(report.intervalSeconds, this.deps.grace),
    });
    return true;
  }

  /** The stored health of each runtime (UNKNOWN when it never reported), in the order given. */
  async forRuntimes(tenantId: string, runtimeIds: readonly string[]): Promise<RuntimeHealthView[]> {
    const stored = await this.deps.health.getMany(tenantId, runtimeIds);
    return runtimeIds.map((id) => ({ ...(stored.get(id) ?? UNKNOWN_HEALTH), runtimeId: id, tenantId }));
  }

  /** The last heartbeat as the runtime's workflow saw it, else as stored at the last transition. */
  async lastHeartbeat(view: RuntimeHealthView): Promise<string | null> {
    const state = await this.deps.client.state(view.tenantId, view.runtimeId);
    return state?.lastHeartbeatAt ?? view.lastHeartbeatAt ?? null;
  }

  /** `runtimes(filter, health, ...)`: label filters plus the runtimes in one of `statuses`. */
  async listRuntimes(
    tenantId: string,
    filter: readonly LabelFilterInput[] | null | undefined,
    statuses: readonly RuntimeHealthStatus[],
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Page<Runtime>> {
    const page = parsePageRequest(first, after);
    const conditions = parseLabelFilters(filter);
    let ids: Document;
    if (statuses.includes('UNKNOWN')) {
      const others = RUNTIME_HEALTH_STATUSES.filter((s) => !statuses.includes(s));
      ids = { _id: { $nin: await this.deps.health.idsWithStatus(tenantId, others) } };
    } else {
      ids = { _id: { $in: await this.deps.health.idsWithStatus(tenantId, statuses) } };
    }
    return this.deps.runtimes.list(tenantId, page, conditions, ids);
  }

  /**
   * `healthChecks`: the management plane's checks (ordered by origin), then the tenant's
   * runtime health transitions, newest first (origin = runtime ID).
   */
  async healthChecks(
    tenantId: string,
    types: readonly string[] | null | undefined,
    origin: string | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<HealthCheckPage> {
    const request = parsePageRequest(first, after);
    const wantsRuntime = !types || types.includes(HealthCheckType.RUNTIME_HEARTBEAT);
    const wantsManagement =
      !types || types.includes(HealthCheckType.MANAGEMENT_PLANE_APPLICATION_HEALTHCHECK);
    const inRuntimePhase = request.after?.startsWith(RUNTIME_PHASE) ?? false;
    const management = wantsManagement
      ? await this.deps.managementPlane.list(
          types?.filter((t) => t !== HealthCheckType.RUNTIME_HEARTBEAT) ?? null,
          origin,
          request.first,
          inRuntimePhase ? null : (after ?? null),
        )
      : undefined;
    const data: HealthCheck[] = inRuntimePhase ? [] : [...(management?.data ?? [])];
    const managementMore = !inRuntimePhase && (management?.pageInfo.hasNextPage ?? false);
    const countRuntime = () =>
      this.deps.records.list(tenantId, origin ?? undefined, { first: 1 }).then(countOf);
    const totalCount = async () =>
      (management ? await countOf(management) : 0) + (wantsRuntime ? await countRuntime() : 0);
    let endCursor = managementMore ? management!.pageInfo.endCursor : '';
    if (wantsRuntime && !managementMore && data.length < request.first) {
      const runtimeAfter = inRuntimePhase
        ? request.after!.slice(RUNTIME_PHASE.length) || undefined
        : undefined;
      const records = await this.deps.records.list(tenantId, origin ?? undefined, {
        first: request.first - data.length,
        ...(runtimeAfter !== undefined && { after: runtimeAfter }),
      });
      data.push(...records.data.map(toHealthCheck));
      if (records.pageInfo.hasNextPage)
        endCursor = encodeCursor(RUNTIME_PHASE + decodeCursor(records.pageInfo.endCursor));
    } else if (wantsRuntime && !managementMore && endCursor === '') {
      // The page ended with the management plane's checks: a next page exists only if runtime
      // records follow.
      const next = await this.deps.records.list(tenantId, origin ?? undefined, { first: 1 });
      if (next.data.length > 0) endCursor = encodeCursor(RUNTIME_PHASE);
    }
    return {
      data,
      totalCount,
      pageInfo: { startCursor: request.cursor ?? '', endCursor, hasNextPage: endCursor !== '' },
    };
  }
}

/** Cursors of the runtime records' part of `healthChecks` start with this. */
const RUNTIME_PHASE = 'runtime|';

function toHealthCheck(record: RuntimeHealthRecord): HealthCheck {
  return {
    type: HealthCheckType.RUNTIME_HEARTBEAT,
    condition:
      record.status === 'HEALTHY' ? HealthCheckStatusCondition.SUCCEEDED : HealthCheckStatusCondition.FAILED,
    origin: record.runtimeId,
    message: `${record.previous} → ${record.status}: ${record.message}`,
    timestamp: record.timestamp,
    runtimeHealth: record.status,
  };
}
