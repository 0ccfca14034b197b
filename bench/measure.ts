/** Load generation and statistics shared by every benchmark. */

export interface Sample {
  readonly subject: string;
  readonly ops: number;
  readonly seconds: number;
  readonly opsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** Runs `op(i)` `count` times with `concurrency` in flight; returns throughput and latency. */
export async function measure(
  subject: string,
  op: (i: number) => Promise<void>,
  { count, concurrency }: { count: number; concurrency: number },
): Promise<Sample> {
  const latencies: number[] = [];
  let next = 0;
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
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    subject,
    ops: count,
    seconds,
    opsPerSecond: count / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
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
    out.push(
      `${r.benchmark}: throughput ratio (project/floor) ${r.throughputRatio.toFixed(2)}×, ` +
        `p50 latency ratio ${r.p50Ratio.toFixed(2)}×${r.notes ? ` (${r.notes})` : ''}`,
    );
  }
  return out.join('\n');
}
