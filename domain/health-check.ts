import { type Page, type PageRequest, toPage } from './pagination';
import type { RuntimeHealthStatus } from './runtime-health';

export const HealthCheckType = {
  MANAGEMENT_PLANE_APPLICATION_HEALTHCHECK: 'MANAGEMENT_PLANE_APPLICATION_HEALTHCHECK',
  /** A transition of a runtime's health; origin is the runtime's ID. */
  RUNTIME_HEARTBEAT: 'RUNTIME_HEARTBEAT',
} as const;
export type HealthCheckType = (typeof HealthCheckType)[keyof typeof HealthCheckType];

export const HealthCheckStatusCondition = { SUCCEEDED: 'SUCCEEDED', FAILED: 'FAILED' } as const;
export type HealthCheckStatusCondition =
  (typeof HealthCheckStatusCondition)[keyof typeof HealthCheckStatusCondition];

/** The state of one dependency of the management plane, checked when asked. */
export interface HealthCheck {
  readonly type: HealthCheckType;
  readonly condition: HealthCheckStatusCondition;
  /** The dependency checked, e.g. `mongodb`. */
  readonly origin: string;
  readonly message: string;
  readonly timestamp: string;
  /** For RUNTIME_HEARTBEAT records: the runtime's status after the transition. */
  readonly runtimeHealth?: RuntimeHealthStatus;
}

export type HealthCheckPage = Page<HealthCheck>;

/** What a caller may narrow health checks by. */
export interface HealthCheckFilter {
  readonly types?: readonly string[] | null;
  readonly origin?: string | null;
}

/** Filters checks, orders them by origin and cuts the requested page (cursor = origin). */
export function pageHealthChecks(
  checks: readonly HealthCheck[],
  filter: HealthCheckFilter,
  page: PageRequest,
): HealthCheckPage {
  const matching = checks
    .filter((c) => !filter.types || filter.types.includes(c.type))
    .filter((c) => filter.origin == null || c.origin === filter.origin)
    .sort((a, b) => (a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : 0));
  const after = page.after;
  const rest = after === undefined ? matching : matching.filter((c) => c.origin > after);
  return toPage(rest.slice(0, page.first + 1), page, matching.length, (c) => c.origin);
}
