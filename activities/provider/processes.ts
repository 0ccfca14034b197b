import { heartbeat } from '@temporalio/activity';

/** Whether a process with this ID runs (signal 0 checks without signalling). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

/**
 * Stops a detached process and its group: SIGTERM, then SIGKILL after `graceMs`; returns once
 * it is gone. Heartbeats while it waits, when run in an activity.
 */
export async function stopProcessGroup(pid: number, graceMs = 10_000): Promise<void> {
  if (!isAlive(pid)) return;
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) signal(pid, 'SIGKILL');
    beat();
    await pause(50);
  }
}

function beat(): void {
  try {
    heartbeat();
  } catch {
    // not in an activity
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
