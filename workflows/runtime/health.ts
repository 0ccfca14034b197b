import {
  condition,
  proxyLocalActivities,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { RuntimeHealthActivities } from '../../activities/runtime-health';
import {
  type RuntimeHealthCheck,
  RuntimeHealthStatus,
  failingChecksKey,
  statusOfReport,
} from '../../domain/runtime-health';
import { RuntimeHealthKey } from '../../domain/search-attributes';
import { STORE_WRITES } from '../shared/local-activities';
import { type HandlerLock, NO_LOCK } from '../shared/lock';
import type { RuntimeHealthState, RuntimeHeartbeat } from './messages';

const store = proxyLocalActivities<RuntimeHealthActivities>(STORE_WRITES);

/**
 * Signals one run takes before continuing as new (Temporal refuses more than 2,000 pending
 * signals per run and 51,200 events per history; each handled heartbeat costs about four).
 */
export const HEARTBEATS_PER_RUN = 1000;

/** A lease timer that fires this much later than set means the worker or Temporal was away. */
function lateToleranceMs(graceMs: number): number {
  return Math.max(5_000, graceMs / 4);
}

/**
 * The runtime's health lease. Heartbeats (signals) only record themselves; the workflow wakes
 * on a transition or when the lease runs out, so a steady stream of heartbeats adds no timers
 * and no writes. MongoDB, the RuntimeHealth search attribute and the health-check records
 * change only on transitions.
 *
 * The sick-control-plane rule: a runtime becomes UNREACHABLE only if the lease timer fired on
 * time (the worker and Temporal were running) and some gateway's heartbeat intake was up and
 * connected to Temporal for the whole grace period. Otherwise it becomes UNKNOWN and the lease
 * looks again one grace period later; the next heartbeat makes it HEALTHY or DEGRADED.
 */
export class HealthLease {
  status: RuntimeHealthStatus;
  since?: string;
  lastHeartbeatAt?: string;
  lastSeenMs?: number;
  checks: readonly RuntimeHealthCheck[];
  graceMs?: number;
  recheckAtMs?: number;
  /** Heartbeats received in this run. */
  signals = 0;
  private failing: string;
  private pending?: RuntimeHeartbeat;

  /** `writes`: the workflow's lock for its store writes (none: they run as they come). */
  constructor(
    private readonly tenantId: string,
    private readonly runtimeId: string,
    carried?: RuntimeHealthState,
    private readonly writes?: HandlerLock,
  ) {
    this.status = carried?.status ?? RuntimeHealthStatus.UNKNOWN;
    this.checks = carried?.checks ?? [];
    this.failing = failingChecksKey(this.checks);
    if (carried?.since) this.since = carried.since;
    if (carried?.lastHeartbeatAt) this.lastHeartbeatAt = carried.lastHeartbeatAt;
    if (carried?.lastSeenMs !== undefined) this.lastSeenMs = carried.lastSeenMs;
    if (carried?.graceMs !== undefined) this.graceMs = carried.graceMs;
    if (carried?.recheckAtMs !== undefined) this.recheckAtMs = carried.recheckAtMs;
    if (carried?.pending) this.pending = carried.pending;
  }

  /** The signal handler: records the heartbeat; only the latest one of a burst is applied. */
  heartbeat(hb: RuntimeHeartbeat): void {
    this.signals += 1;
    this.pending = hb;
    this.lastSeenMs = Date.now();
    this.lastHeartbeatAt = hb.receivedAt;
    this.graceMs = hb.graceMs;
    this.recheckAtMs = undefined;
  }

  /** Whether the latest heartbeat changes the status or the set of failing checks. */
  get transitionPending(): boolean {
    const hb = this.pending;
    if (!hb) return false;
    return statusOfReport(hb) !== this.status || failingChecksKey(hb.checks) !== this.failing;
  }

  /** The state to carry into the next run. */
  state(): RuntimeHealthState {
    return {
      status: this.status,
      checks: this.checks,
      ...(this.since && { since: this.since }),
      ...(this.lastHeartbeatAt && { lastHeartbeatAt: this.lastHeartbeatAt }),
      ...(this.lastSeenMs !== undefined && { lastSeenMs: this.lastSeenMs }),
      ...(this.graceMs !== undefined && { graceMs: this.graceMs }),
      ...(this.recheckAtMs !== undefined && { recheckAtMs: this.recheckAtMs }),
      ...(this.transitionPending && { pending: this.pending }),
    };
  }

  /** When the lease runs out (or the control plane is looked at again); undefined: nothing to wait for. */
  private deadline(): number | undefined {
    if (this.recheckAtMs !== undefined) return this.recheckAtMs;
    const live = this.status === RuntimeHealthStatus.HEALTHY || this.status === RuntimeHealthStatus.DEGRADED;
    if (!live || this.lastSeenMs === undefined || this.graceMs === undefined) return undefined;
    return this.lastSeenMs + this.graceMs;
  }

  /**
   * Keeps the lease until `stop()` holds (unregistered, or time to continue as new). A pending
   * transition is applied before returning, so nothing carried is left unwritten.
   */
  async keep(stop: () => boolean): Promise<void> {
    if (workflowInfo().typedSearchAttributes.get(RuntimeHealthKey) !== this.status) {
      upsertSearchAttributes([{ key: RuntimeHealthKey, value: this.status }]);
    }
    for (;;) {
      if (this.transitionPending) {
        await this.applyPending();
        continue;
      }
      if (stop()) return;
      const deadline = this.deadline();
      const wake = () => stop() || this.transitionPending;
      if (deadline === undefined) {
        await condition(wake);
        continue;
      }
      const woke = await condition(wake, Math.max(deadline - Date.now(), 1));
      if (!woke) await this.expire(deadline);
    }
  }

  private async applyPending(): Promise<void> {
    const hb = this.pending!;
    this.pending = undefined;
    const status = statusOfReport(hb);
    const failing = failingChecksKey(hb.checks);
    const message =
      status === RuntimeHealthStatus.HEALTHY
        ? 'every check passed'
        : `failing: ${failing || 'overall status'}`;
    await this.transition(status, hb.checks, message);
    this.failing = failing;
  }

  /** The lease ran out at `deadline`: UNREACHABLE or UNKNOWN, by the sick-control-plane rule. */
  private async expire(deadline: number): Promise<void> {
    const now = Date.now();
    const grace = this.graceMs ?? 0;
    if (this.lastSeenMs !== undefined && now < this.lastSeenMs + grace && this.recheckAtMs === undefined)
      return;
    const late = now - deadline > lateToleranceMs(grace);
    const upSince = late
      ? undefined
      : await (this.writes ?? NO_LOCK).run(() => store.readHeartbeatIntakeUpSince());
    const intakeUp = upSince !== undefined && Date.parse(upSince) <= now - grace;
    if (this.pending) return; // a heartbeat arrived meanwhile; the loop applies it
    const since = this.lastHeartbeatAt ?? 'never';
    if (intakeUp) {
      this.recheckAtMs = undefined;
      if (this.status !== RuntimeHealthStatus.UNREACHABLE) {
        await this.transition(RuntimeHealthStatus.UNREACHABLE, this.checks, `no heartbeat since ${since}`);
      }
      return;
    }
    this.recheckAtMs = now + grace;
    if (this.status !== RuntimeHealthStatus.UNKNOWN) {
      const why = late ? 'the control plane was not processing' : 'the heartbeat intake was down';
      await this.transition(RuntimeHealthStatus.UNKNOWN, this.checks, `no heartbeat since ${since}; ${why}`);
    }
  }

  private async transition(
    status: RuntimeHealthStatus,
    checks: readonly RuntimeHealthCheck[],
    message: string,
  ): Promise<void> {
    const previous = this.status;
    const now = new Date().toISOString();
    this.status = status;
    this.since = now;
    this.checks = checks;
    const health = {
      status,
      since: now,
      checks,
      ...(this.lastHeartbeatAt && { lastHeartbeatAt: this.lastHeartbeatAt }),
    };
    const entry = {
      id: uuid4(),
      tenantId: this.tenantId,
      runtimeId: this.runtimeId,
      status,
      previous,
      checks,
      message,
      timestamp: now,
    };
    const record = () => store.recordRuntimeHealthTransition(this.tenantId, this.runtimeId, health, entry);
    const show = () => upsertSearchAttributes([{ key: RuntimeHealthKey, value: status }]);
    if (!this.writes) {
      await record();
      show();
      return;
    }
    await this.writes.run(async () => {
      await record();
      show();
    });
  }
}
