import { FieldErrors, checkKnownKeys, checkOptionalString } from './validation';

/** A runtime's health as the control plane sees it. */
export const RuntimeHealthStatus = {
  /** Its last heartbeat reported every check passing. */
  HEALTHY: 'HEALTHY',
  /** Its last heartbeat reported some check failing. */
  DEGRADED: 'DEGRADED',
  /** No heartbeat within the grace period, while the control plane was receiving heartbeats. */
  UNREACHABLE: 'UNREACHABLE',
  /** Never reported, or the control plane could not tell (it was not receiving heartbeats). */
  UNKNOWN: 'UNKNOWN',
} as const;
export type RuntimeHealthStatus = (typeof RuntimeHealthStatus)[keyof typeof RuntimeHealthStatus];

export const RUNTIME_HEALTH_STATUSES = Object.values(RuntimeHealthStatus);

export const RuntimeCheckStatus = { UP: 'UP', DOWN: 'DOWN' } as const;
export type RuntimeCheckStatus = (typeof RuntimeCheckStatus)[keyof typeof RuntimeCheckStatus];

/** One named check an agent reports (connection, synchronisation, or one of its own). */
export interface RuntimeHealthCheck {
  readonly name: string;
  readonly status: RuntimeCheckStatus;
  readonly message?: string;
}

/** What an agent sends with each heartbeat (`reportRuntimeHealth`), validated. */
export interface RuntimeHealthReport {
  readonly runtimeId: string;
  readonly status: RuntimeCheckStatus;
  readonly checks: readonly RuntimeHealthCheck[];
  /** The agent's heartbeat interval; the grace period derives from it. */
  readonly intervalSeconds?: number;
  /** When the agent sent it (its clock), for latency measurements. */
  readonly sentAt?: string;
}

/** A runtime's health in the read model: written by its workflow on transitions only. */
export interface RuntimeHealth {
  readonly status: RuntimeHealthStatus;
  /** When the runtime entered this status; absent while it never reported. */
  readonly since?: string;
  /** The last heartbeat the workflow had seen at the transition. */
  readonly lastHeartbeatAt?: string;
  readonly checks: readonly RuntimeHealthCheck[];
}

export const UNKNOWN_HEALTH: RuntimeHealth = { status: RuntimeHealthStatus.UNKNOWN, checks: [] };

/** One health transition of one runtime, as `healthChecks` lists it. */
export interface RuntimeHealthRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly runtimeId: string;
  readonly status: RuntimeHealthStatus;
  readonly previous: RuntimeHealthStatus;
  readonly checks: readonly RuntimeHealthCheck[];
  readonly message: string;
  readonly timestamp: string;
}

/** Defaults of the agent and of the control plane's lease. */
export const DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 30;
export const MAX_CHECKS = 32;
const MAX_INTERVAL_SECONDS = 3600;

/**
 * The grace period of a runtime: `configured` when set, else 5 × the agent's interval, and
 * never below `minimumMs`.
 */
export function gracePeriodMs(
  intervalSeconds: number | undefined,
  settings: { readonly configuredMs?: number; readonly minimumMs: number },
): number {
  if (settings.configuredMs !== undefined) return settings.configuredMs;
  const interval = intervalSeconds ?? DEFAULT_HEARTBEAT_INTERVAL_SECONDS;
  return Math.max(settings.minimumMs, 5 * interval * 1000);
}

/** HEALTHY when the report and all its checks are UP, otherwise DEGRADED. */
export function statusOfReport(report: Pick<RuntimeHealthReport, 'status' | 'checks'>): RuntimeHealthStatus {
  const up = report.status === 'UP' && report.checks.every((c) => c.status === 'UP');
  return up ? RuntimeHealthStatus.HEALTHY : RuntimeHealthStatus.DEGRADED;
}

/** The failing checks' names, sorted: a change of it is a transition even within DEGRADED. */
export function failingChecksKey(checks: readonly RuntimeHealthCheck[]): string {
  return checks
    .filter((c) => c.status !== 'UP')
    .map((c) => c.name)
    .sort()
    .join(',');
}

const REPORT_KEYS = ['runtimeID', 'status', 'checks', 'intervalSeconds', 'sentAt'];
const CHECK_KEYS = ['name', 'status', 'message'];
const CHECK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Validates a RuntimeHealthInput completely (every problem in one InvalidData). */
export function validateRuntimeHealthInput(input: unknown): RuntimeHealthReport {
  const errors = new FieldErrors();
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    errors.add('input', 'must be an object');
    errors.throwIfAny('RuntimeHealthInput');
  }
  const raw = input as Record<string, unknown>;
  checkKnownKeys(errors, raw, REPORT_KEYS);
  if (typeof raw.runtimeID !== 'string' || raw.runtimeID.length === 0)
    errors.add('runtimeID', 'cannot be blank');
  if (raw.status !== 'UP' && raw.status !== 'DOWN') errors.add('status', 'must be one of UP, DOWN');
  const checks = raw.checks ?? [];
  if (!Array.isArray(checks)) errors.add('checks', 'must be a list');
  else if (checks.length > MAX_CHECKS) errors.add('checks', `at most ${MAX_CHECKS} checks`);
  else {
    const names = new Set<string>();
    checks.forEach((c: unknown, i) => {
      const field = `checks[${i}]`;
      if (typeof c !== 'object' || c === null) return errors.add(field, 'must be an object');
      const check = c as Record<string, unknown>;
      checkKnownKeys(errors, check, CHECK_KEYS);
      if (typeof check.name !== 'string' || !CHECK_NAME.test(check.name))
        errors.add(`${field}.name`, 'must be 1 to 64 letters, digits, ".", "_" or "-"');
      else if (names.has(check.name)) errors.add(`${field}.name`, 'is repeated');
      else names.add(check.name);
      if (check.status !== 'UP' && check.status !== 'DOWN')
        errors.add(`${field}.status`, 'must be one of UP, DOWN');
      checkOptionalString(errors, `${field}.message`, check.message, 512);
    });
  }
  const interval = raw.intervalSeconds;
  if (
    interval != null &&
    (typeof interval !== 'number' ||
      !Number.isInteger(interval) ||
      interval < 1 ||
      interval > MAX_INTERVAL_SECONDS)
  ) {
    errors.add('intervalSeconds', `must be an integer from 1 to ${MAX_INTERVAL_SECONDS}`);
  }
  if (raw.sentAt != null && (typeof raw.sentAt !== 'string' || Number.isNaN(Date.parse(raw.sentAt))))
    errors.add('sentAt', 'must be a timestamp');
  errors.throwIfAny('RuntimeHealthInput');
  return {
    runtimeId: raw.runtimeID as string,
    status: raw.status as RuntimeCheckStatus,
    checks: (checks as Array<Record<string, unknown>>).map((c) => ({
      name: c.name as string,
      status: c.status as RuntimeCheckStatus,
      ...(typeof c.message === 'string' && { message: c.message }),
    })),
    ...(typeof interval === 'number' && { intervalSeconds: interval }),
    ...(typeof raw.sentAt === 'string' && { sentAt: new Date(raw.sentAt).toISOString() }),
  };
}
