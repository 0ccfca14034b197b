import { spawnTethered } from '../../scripts/servers/process';
import { supervise } from '../../scripts/supervisor';
import { childPids } from '../fixtures/process-tree';

const FAST = { initialDelayMs: 10, maxDelayMs: 40, maxCrashes: 3, windowMs: 60_000 };

/** A node process running `script`, tethered as the launcher runs the worker and the gateway. */
function node(script: string) {
  return () => spawnTethered('probe', process.execPath, ['-e', script]);
}

describe('supervise', () => {
  it('restarts a crashed process with a growing delay and gives up after repeated crashes', async () => {
    const lines: string[] = [];
    const proc = supervise('probe', node('process.exit(3)'), { policy: FAST, log: (l) => lines.push(l) });
    proc.arm();
    expect(await proc.exited).toBe(3);
    expect(proc.restarts()).toBe(2);
    expect(lines).toEqual([
      'probe exited unexpectedly (code 3); restarting it in 0.01 s',
      'probe restarted (restart 1)',
      'probe exited unexpectedly (code 3); restarting it in 0.02 s',
      'probe restarted (restart 2)',
      'probe exited 3 times within 60 s (last: code 3); giving up: read its log above, fix the cause, and run npm start again',
    ]);
    expect(proc.reason()).toBe(lines[4]);
  });

  it('does not restart a process that exits before the stack is up', async () => {
    const lines: string[] = [];
    const proc = supervise('probe', node('process.exit(2)'), { policy: FAST, log: (l) => lines.push(l) });
    expect(await proc.exited).toBe(2);
    expect(proc.reason()).toBe('probe exited (code 2) before the stack was up');
    expect(lines).toEqual([]);
  });

  it('restarts a process killed with SIGKILL, and stop ends it for good', async () => {
    const lines: string[] = [];
    const proc = supervise('probe', node('setInterval(() => {}, 1000)'), {
      policy: FAST,
      log: (l) => lines.push(l),
    });
    proc.arm();
    try {
      const first = proc.child;
      // The process itself, not the tether that runs it (killed, the tether would orphan it).
      let pid: number | undefined;
      while (!(pid = childPids(first.pid!)[0])) await new Promise((r) => setTimeout(r, 10));
      process.kill(pid, 'SIGKILL');
      while (proc.restarts() === 0) await new Promise((r) => setTimeout(r, 10));
      expect(proc.child).not.toBe(first);
      expect(lines[0]).toBe('probe exited unexpectedly (code 137); restarting it in 0.01 s');
    } finally {
      await proc.stop();
    }
    expect(proc.child.exitCode !== null || proc.child.signalCode !== null).toBe(true);
    expect(proc.reason()).toBeUndefined();
  });
});
