import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';

export interface HeartbeatIntakePulseDeps {
  readonly intake: {
    pulse(instanceId: string, upSince: string, now: string, pulseMs: number): Promise<void>;
    forgetBefore(before: string): Promise<void>;
  };
  /** Resolves when this gateway reaches Temporal (where heartbeats go). */
  readonly temporalUp: () => Promise<unknown>;
  readonly pulseMs: number;
  readonly log: Logger;
}

/**
 * Records, every pulse period, that this gateway's heartbeat intake is up and reaches Temporal
 * (one small write per gateway per period, however many heartbeats arrive). A runtime's
 * workflow reads it before calling the runtime UNREACHABLE: a silent control plane is not a
 * silent fleet.
 */
export function startHeartbeatIntakePulse(deps: HeartbeatIntakePulseDeps): { stop(): Promise<void> } {
  const instanceId = randomUUID();
  let upSince: string | undefined;
  let lastPulse = 0;
  let stopped = false;
  const beat = async () => {
    const now = Date.now();
    try {
      await deps.temporalUp();
      if (upSince === undefined || now - lastPulse > 2 * deps.pulseMs) upSince = new Date(now).toISOString();
      await deps.intake.pulse(instanceId, upSince, new Date(now).toISOString(), deps.pulseMs);
      lastPulse = now;
      await deps.intake.forgetBefore(new Date(now - 3_600_000).toISOString());
    } catch (err) {
      upSince = undefined;
      deps.log.warn({ err }, 'heartbeat intake pulse failed');
    }
  };
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const loop = () => {
    current = beat();
    void current.finally(() => {
      if (!stopped) timer = setTimeout(loop, deps.pulseMs);
    });
  };
  loop();
  return {
    /** Stops pulsing; resolves once a pulse in flight has finished. */
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
