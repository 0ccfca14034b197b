import { execFile } from 'node:child_process';
import type { Logger } from 'pino';
import type { GatewayClient } from './graphql';

/** A check the operator configured: a command (exit code 0 = UP) or a local URL (2xx = UP). */
export interface ConfiguredCheck {
  readonly name: string;
  readonly command?: string;
  readonly url?: string;
}

export interface HealthCheckResult {
  readonly name: string;
  readonly status: 'UP' | 'DOWN';
  readonly message?: string;
}

/** Parses `name=cmd:<command>` or `name=http://...`. */
export function parseCheck(spec: string): ConfiguredCheck {
  const at = spec.indexOf('=');
  const name = spec.slice(0, at);
  const target = spec.slice(at + 1);
  if (at < 1 || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name) || !target)
    throw new Error(`--check must be name=cmd:<command> or name=<http URL>: ${spec}`);
  if (target.startsWith('cmd:')) return { name, command: target.slice(4) };
  if (/^https?:\/\//.test(target)) return { name, url: target };
  throw new Error(`--check must be name=cmd:<command> or name=<http URL>: ${spec}`);
}

export async function runCheck(check: ConfiguredCheck, timeoutMs: number): Promise<HealthCheckResult> {
  if (check.command) {
    return new Promise((resolve) => {
      execFile('/bin/sh', ['-c', check.command!], { timeout: timeoutMs }, (err) =>
        resolve(
          err
            ? { name: check.name, status: 'DOWN', message: `exit ${String(err.code ?? err.signal)}` }
            : { name: check.name, status: 'UP' },
        ),
      );
    });
  }
  try {
    const res = await fetch(check.url!, { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok
      ? { name: check.name, status: 'UP' }
      : { name: check.name, status: 'DOWN', message: `HTTP ${res.status}` };
  } catch (err) {
    return { name: check.name, status: 'DOWN', message: (err as Error).message.slice(0, 200) };
  }
}

const REPORT = `mutation($in: RuntimeHealthInput!) { reportRuntimeHealth(in: $in) }`;

export interface HeartbeatDeps {
  readonly intervalMs: number;
  readonly client: () => GatewayClient | undefined;
  readonly directorUrl: () => string | undefined;
  readonly runtimeId: () => string | undefined;
  readonly checks: () => Promise<HealthCheckResult[]>;
  readonly log: Logger;
}

/**
 * Sends a heartbeat every interval ±25 %; a failed send is retried with backoff (up to the
 * interval). Runs on its own: nothing else waits for it.
 */
export function startHeartbeats(deps: HeartbeatDeps): { stop(): void; sent: () => number } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let sent = 0;
  let failures = 0;
  const schedule = (ms: number) => {
    if (!stopped) timer = setTimeout(() => void beat(), ms);
  };
  const jittered = () => deps.intervalMs * (0.75 + 0.5 * Math.random());
  const beat = async () => {
    const client = deps.client();
    const url = deps.directorUrl();
    const runtimeId = deps.runtimeId();
    // Not connected yet: look again soon, so the first heartbeat follows the first sync.
    if (!client || !url || !runtimeId) return schedule(Math.min(1000, jittered()));
    try {
      const checks = await deps.checks();
      await client.query(url, REPORT, {
        in: {
          runtimeID: runtimeId,
          status: checks.every((c) => c.status === 'UP') ? 'UP' : 'DOWN',
          checks,
          intervalSeconds: Math.max(1, Math.round(deps.intervalMs / 1000)),
          sentAt: new Date().toISOString(),
        },
      });
      sent += 1;
      failures = 0;
      schedule(jittered());
    } catch (err) {
      failures += 1;
      const backoff = Math.min(deps.intervalMs, 500 * 2 ** Math.min(failures, 10));
      deps.log.warn({ err: (err as Error).message, retryInMs: backoff }, 'heartbeat failed');
      schedule(backoff);
    }
  };
  schedule(0);
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
    sent: () => sent,
  };
}
