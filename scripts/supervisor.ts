import type { ChildProcess } from 'node:child_process';
import type { Running } from './servers/process';

/** How a supervised process is restarted, and when the supervisor gives up. */
export interface RestartPolicy {
  /** Delay before the first restart; doubled after each crash, up to `maxDelayMs`. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** This many crashes within `windowMs` stop the stack instead of another restart. */
  readonly maxCrashes: number;
  readonly windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxCrashes: 5,
  windowMs: 60_000,
};

/**
 * A process kept running by the launcher. Until `arm()` (the stack is up), an exit is final, so
 * a process that cannot start fails `npm start` at once; afterwards an unexpected exit is
 * logged and the process is started again after a growing delay, while the rest of the stack
 * keeps running. `exited` resolves only when the supervisor gives up (or after `stop`).
 */
export interface Supervised extends Running {
  /** From now on an unexpected exit restarts the process. */
  arm(): void;
  /** Why the supervisor gave up, once it has. */
  readonly reason: () => string | undefined;
  /** How many times the process was started again. */
  readonly restarts: () => number;
}

/**
 * Supervises the process `start` spawns (a new one for every restart). `log` receives one
 * line per exit and restart.
 */
export function supervise(
  name: string,
  start: () => Running,
  opts: { policy?: RestartPolicy; log?: (line: string) => void } = {},
): Supervised {
  const policy = opts.policy ?? DEFAULT_RESTART_POLICY;
  const log = opts.log ?? ((line: string) => console.error(line));
  let current = start();
  let armed = false;
  let stopping = false;
  let restarts = 0;
  let reason: string | undefined;
  let delayMs = policy.initialDelayMs;
  let timer: NodeJS.Timeout | undefined;
  const crashes: number[] = [];
  let finish!: (code: number | null) => void;
  const exited = new Promise<number | null>((resolve) => (finish = resolve));

  const watch = (proc: Running): void => {
    void proc.exited.then((code) => {
      if (stopping) return finish(code);
      const how = code === null ? `signal ${proc.child.signalCode ?? 'unknown'}` : `code ${code}`;
      if (!armed) {
        reason = `${name} exited (${how}) before the stack was up`;
        return finish(code);
      }
      const now = Date.now();
      crashes.push(now);
      while (crashes.length > 0 && crashes[0]! < now - policy.windowMs) crashes.shift();
      if (crashes.length >= policy.maxCrashes) {
        reason =
          `${name} exited ${crashes.length} times within ${policy.windowMs / 1000} s (last: ${how}); ` +
          'giving up: read its log above, fix the cause, and run npm start again';
        log(reason);
        return finish(code);
      }
      log(`${name} exited unexpectedly (${how}); restarting it in ${delayMs / 1000} s`);
      timer = setTimeout(() => {
        timer = undefined;
        if (stopping) return finish(code);
        restarts += 1;
        current = start();
        log(`${name} restarted (restart ${restarts})`);
        watch(current);
      }, delayMs);
      delayMs = Math.min(delayMs * 2, policy.maxDelayMs);
    });
  };
  watch(current);
  // A process that stays up a whole window has recovered: its next crash starts the backoff anew.
  const calm = setInterval(() => {
    if (crashes.length === 0 || crashes[crashes.length - 1]! < Date.now() - policy.windowMs) {
      delayMs = policy.initialDelayMs;
    }
  }, policy.windowMs);
  calm.unref();
  void exited.then(() => clearInterval(calm));

  return {
    name,
    get child(): ChildProcess {
      return current.child;
    },
    ...(current.logFile && { logFile: current.logFile }),
    exited,
    arm: () => {
      armed = true;
    },
    reason: () => reason,
    restarts: () => restarts,
    stop: async () => {
      stopping = true;
      if (timer) {
        clearTimeout(timer);
        timer = undefined;
        finish(null);
      }
      await current.stop();
      await exited;
    },
  };
}
