/** Load generation and statistics shared by every benchmark. */
import { readdirSync, readFileSync } from 'node:fs';

export interface Sample {
  readonly subject: string;
  readonly ops: number;
  readonly seconds: number;
  readonly opsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** CPU time per operation (ms) of this process and of each server process being watched. */
  readonly cpuMsPerOp?: Readonly<Record<string, number>>;
}

/** Server processes whose CPU time every measurement reports, by name. */
const watched = new Map<string, number>();

/**
 * Watches the processes whose command line contains `marker` (the runner's data directory),
 * named by the first of `names` their command line contains, so every sample reports the CPU
 * each of them spent per operation beside this process's own.
 */
export function watchServerProcesses(marker: string, names: readonly string[]): void {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue;
    }
    const name = names.find((n) => cmdline.includes(n));
    if (name && cmdline.includes(marker) && !cmdline.includes('tethered')) watched.set(name, Number(entry));
  }
}

/** Watches one more process by its PID (a gateway or worker the benchmark started). */
export function watchProcess(name: string, pid: number): void {
  watched.set(name, pid);
}

/** Stops watching a process the benchmark has stopped. */
export function unwatchProcess(name: string): void {
  watched.delete(name);
}

/** CPU time (ms) so far of this process and of each watched server process. */
function cpuTimes(): Map<string, number> {
  const usage = process.cpuUsage();
  const times = new Map([['node', (usage.user + usage.system) / 1000]]);
  const tick = 1000 / 100; // USER_HZ
  for (const [name, pid] of watched) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      times.set(name, (Number(fields[11]) + Number(fields[12])) * tick);
    } catch {
      // The process is gone (restarted): its share is not reported.
    }
  }
  return times;
}

/** CPU (ms per second, all watched processes) below which the stack counts as idle. */
let idleCpuMsPerSecond = 150;

/**
 * Waits until this process and the watched servers have been idle (combined CPU below the
 * idle level) for a 250 ms window: the work an operation left behind (signals still being
 * handled, say) is then done. Returns the length of that idle window (ms). `calibrate`
 * measures the idle level of a stack at rest instead.
 */
export async function settle({ calibrate = false } = {}): Promise<number> {
  const total = () => [...cpuTimes().values()].reduce((a, b) => a + b, 0);
  const windowMs = 250;
  for (;;) {
    const before = total();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, windowMs));
    const rate = ((total() - before) / (performance.now() - t0)) * 1000;
    if (calibrate) {
      idleCpuMsPerSecond = Math.max(rate * 1.5, 100);
      return 0;
    }
    if (rate < idleCpuMsPerSecond) return performance.now() - t0;
  }
}

/**
 * Runs `op(i)` `count` times with `concurrency` in flight; returns throughput and latency.
 * With `settled`, the clock (and the CPU count) stops only once the stack is idle again, so
 * throughput counts work completed, not just accepted.
 */
export async function measure(
  subject: string,
  op: (i: number) => Promise<void>,
  { count, concurrency, settled = false }: { count: number; concurrency: number; settled?: boolean },
): Promise<Sample> {
  const latencies: number[] = [];
  let next = 0;
  const cpuBefore = cpuTimes();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        await op(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const idleMs = settled ? await settle() : 0;
  const seconds = (performance.now() - started - idleMs) / 1000;
  const cpuMsPerOp: Record<string, number> = {};
  for (const [name, after] of cpuTimes()) {
    const before = cpuBefore.get(name);
    if (before !== undefined) cpuMsPerOp[name] = (after - before) / count;
  }
  latencies.sort((a, b) => a - b);
  return {
    subject,
    ops: count,
    seconds,
    opsPerSecond: count / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    cpuMsPerOp,
  };
}

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** Merges rounds of the same subject into one sample (latencies weighted by op count). */
export function combine(samples: readonly Sample[]): Sample {
  const ops = samples.reduce((n, s) => n + s.ops, 0);
  const seconds = samples.reduce((n, s) => n + s.seconds, 0);
  const weighted = (f: (s: Sample) => number) => samples.reduce((n, s) => n + f(s) * s.ops, 0) / ops;
  return {
    subject: samples[0]!.subject,
    ops,
    seconds,
    opsPerSecond: ops / seconds,
    p50Ms: weighted((s) => s.p50Ms),
    p99Ms: Math.max(...samples.map((s) => s.p99Ms)),
    cpuMsPerOp: Object.fromEntries(
      Object.keys(samples[0]!.cpuMsPerOp ?? {}).map((name) => [
        name,
        weighted((s) => s.cpuMsPerOp?.[name] ?? 0),
      ]),
    ),
  };
}

/** What one benchmark measures: a named operation. */
export interface Subject {
  readonly name: string;
  readonly op: (i: number) => Promise<void>;
}

/**
 * Warms both subjects up (at most 40 ops each), measures them in two alternating rounds (floor
 * first) of `count` ops at `concurrency`, and compares the merged rounds; `beforeProject` runs
 * between a floor round and the following project round.
 */
export async function compareInRounds(
  benchmark: string,
  project: Subject,
  floor: Subject,
  { count, concurrency }: { count: number; concurrency: number },
  beforeProject?: () => void,
): Promise<Comparison> {
  const opts = { count, concurrency };
  const warm = { count: Math.min(40, count), concurrency };
  await measure('warm-up', project.op, warm);
  await measure('warm-up', floor.op, warm);
  const projectRounds: Sample[] = [];
  const floorRounds: Sample[] = [];
  for (let round = 0; round < 2; round++) {
    floorRounds.push(await measure(floor.name, floor.op, opts));
    beforeProject?.();
    projectRounds.push(await measure(project.name, project.op, opts));
  }
  return compare(benchmark, combine(projectRounds), combine(floorRounds), `concurrency ${concurrency}`);
}

/** A comparison of the project with its floor, measured in the same run. */
export interface Comparison {
  readonly benchmark: string;
  readonly project: Sample;
  readonly floor: Sample;
  /** project ops/s ÷ floor ops/s (1 = as fast as the floor). */
  readonly throughputRatio: number;
  /** project p50 ÷ floor p50 (1 = no added latency). */
  readonly p50Ratio: number;
  readonly notes?: string;
}

export function compare(benchmark: string, project: Sample, floor: Sample, notes?: string): Comparison {
  return {
    benchmark,
    project,
    floor,
    throughputRatio: project.opsPerSecond / floor.opsPerSecond,
    p50Ratio: project.p50Ms / floor.p50Ms,
    ...(notes && { notes }),
  };
}

export function formatTable(rows: readonly Comparison[]): string {
  const lines = [['benchmark', 'subject', 'ops', 'ops/s', 'p50 ms', 'p99 ms']];
  const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
  for (const r of rows) {
    for (const s of [r.project, r.floor]) {
      lines.push([r.benchmark, s.subject, String(s.ops), fmt(s.opsPerSecond), fmt(s.p50Ms), fmt(s.p99Ms)]);
    }
  }
  const widths = lines[0]!.map((_, c) => Math.max(...lines.map((l) => l[c]!.length)));
  const out = lines.map((l) =>
    l.map((cell, c) => (c >= 2 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  '),
  );
  out.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) {
    for (const s of [r.project, r.floor]) {
      const cpu = Object.entries(s.cpuMsPerOp ?? {});
      if (cpu.length > 0)
        out.push(
          `${r.benchmark} CPU per op, ${s.subject}: ` +
            cpu.map(([name, ms]) => `${name} ${ms.toFixed(1)} ms`).join(', '),
        );
    }
  }
  for (const r of rows) {
    out.push(
      `${r.benchmark}: throughput ratio (project/floor) ${r.throughputRatio.toFixed(2)}×, ` +
        `p50 latency ratio ${r.p50Ratio.toFixed(2)}×${r.notes ? ` (${r.notes})` : ''}`,
    );
  }
  return out.join('\n');
}
