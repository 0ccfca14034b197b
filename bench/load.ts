import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Client, Connection } from '@temporalio/client';
import type { Db } from 'mongodb';
import { connectMongo } from '../store/mongo';
import { APPLICATIONS } from '../store/applications';
import type { BenchContext } from './context';
import { startNoopFloor } from './floor';
import { type Comparison, combine, compare, percentile, type Sample } from './measure';
import { heapUsedBytes, processStat, startStackProcesses, type StackProcesses } from './stack-processes';

/** Seconds of each measured phase (two rounds of the mix, two of the floors, alternating). */
const PHASE_SECONDS = 10;
const WARM_UP_SECONDS = 3;
/** Applications registered before the load, read and labelled by it. */
const SEEDED = 50;
const SOAK_SAMPLE_MS = 5_000;

/** One operation of the mix: its GraphQL request through the gateway, and its floor. */
interface Operation {
  readonly name: string;
  readonly floorName: string;
  /** The GraphQL request body of call `i`. */
  body(i: number): string;
  floor(i: number): Promise<unknown>;
}

/**
 * A mixed read/write load through the gateway, run as its own process beside a worker process:
 * autocannon drives every operation at once (`-c` connections each) for two rounds, alternating
 * with the operations' floors run at once at the same concurrency (the raw MongoDB read or write
 * on the same database; a no-op workflow for registration). Prints each operation's ratios and
 * the gateway's CPU and memory; with `soakMs`, then keeps the mix going that long and reports the
 * gateway's memory growth.
 */
export async function loadBenchmark(ctx: BenchContext, soakMs = 0): Promise<Comparison[]> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'compass-load-'));
  const stack = await startStackProcesses(ctx, dataDir);
  const mongo = await connectMongo(stack.mongoUri);
  const connection = await Connection.connect({ address: ctx.temporalAddress });
  const client = new Client({ connection, namespace: ctx.namespace });
  const noop = await startNoopFloor(ctx, client);
  try {
    const tenant = `load-${randomUUID()}`;
    const ids = await seed(stack, tenant);
    const ops = operations(mongo.db, tenant, ids, noop.op);

    await runMix(stack, tenant, ops, WARM_UP_SECONDS, ctx.concurrency);
    await runFloors(ops, WARM_UP_SECONDS, ctx.concurrency);
    const project: Sample[][] = [];
    const floors: Sample[][] = [];
    const usage: Usage[] = [];
    for (let round = 0; round < 2; round++) {
      floors.push(await runFloors(ops, PHASE_SECONDS, ctx.concurrency));
      const mix = await runMix(stack, tenant, ops, PHASE_SECONDS, ctx.concurrency);
      project.push(mix.samples);
      usage.push(mix.usage);
    }
    const notes = `mixed load, ${ops.length} operations × ${ctx.concurrency} connections`;
    const results = ops.map((op, i) =>
      compare(
        `load ${op.name}`,
        combine(project.map((r) => r[i]!)),
        combine(floors.map((r) => r[i]!)),
        notes,
      ),
    );
    console.log(`\n${formatLoad(results, usage)}`);
    if (soakMs > 0) await soak(stack, tenant, ops, soakMs, ctx.concurrency);
    return results;
  } finally {
    await noop.stop();
    await connection.close();
    await mongo.db.dropDatabase();
    await mongo.close();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The mix. Floors query as the store does on every server (FerretDB answers from an index only a
 * filter of `_id` alone): a tenant's first page in insertion order, one document by its ID.
 */
function operations(db: Db, tenant: string, ids: readonly string[], noop: () => Promise<void>): Operation[] {
  const apps = db.collection<{ _id: string; tenantId: string }>(APPLICATIONS);
  const pick = (i: number) => ids[i % ids.length]!;
  const run = process.pid.toString(36);
  return [
    {
      name: 'applications (list 20)',
      floorName: 'MongoDB find 20 (floor)',
      body: () => gql('{ applications(first: 20) { data { id name } } }'),
      floor: () => apps.find({ tenantId: tenant }).limit(20).toArray(),
    },
    {
      name: 'application (by ID)',
      floorName: 'MongoDB findOne (floor)',
      body: (i) => gql('query($id: ID!) { application(id: $id) { id name } }', { id: pick(i) }),
      floor: (i) => apps.findOne({ _id: pick(i) }),
    },
    {
      name: 'setApplicationLabel',
      floorName: 'MongoDB updateOne (floor)',
      body: (i) =>
        gql(
          'mutation($id: ID!, $v: Any!) { setApplicationLabel(applicationID: $id, key: "load", value: $v) { key } }',
          {
            id: pick(i),
            v: `v${i}`,
          },
        ),
      floor: (i) => apps.updateOne({ _id: pick(i) }, { $set: { 'labels.loadFloor': `v${i}` } }),
    },
    {
      name: 'registerApplication',
      floorName: 'no-op workflow start + result (floor)',
      // Compass limits names to 36 characters: a short prefix of this run and a counter.
      body: (i) =>
        gql('mutation($in: ApplicationRegisterInput!) { registerApplication(in: $in) { id } }', {
          in: { name: `l${run}-${i}-${Math.random().toString(36).slice(2, 8)}` },
        }),
      floor: () => noop(),
    },
  ];
}

const gql = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });

async function seed(stack: StackProcesses, tenant: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < SEEDED; i++) {
    const res = await fetch(`${stack.url}/director/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: stack.authorization, tenant },
      body: gql('mutation($in: ApplicationRegisterInput!) { registerApplication(in: $in) { id } }', {
        in: { name: `seed-${i}` },
      }),
    });
    const body = (await res.json()) as { data?: { registerApplication: { id: string } } };
    if (!body.data) throw new Error(`seeding failed: ${JSON.stringify(body)}`);
    ids.push(body.data.registerApplication.id);
  }
  return ids;
}

/** The gateway's CPU (percent of one core) and resident memory during a phase. */
interface Usage {
  readonly cpuPercent: number;
  readonly rssStartBytes: number;
  readonly rssPeakBytes: number;
}

/** Every operation at once through the gateway, `connections` each, for `seconds`. */
async function runMix(
  stack: StackProcesses,
  tenant: string,
  ops: readonly Operation[],
  seconds: number,
  connections: number,
): Promise<{ samples: Sample[]; usage: Usage }> {
  const start = processStat(stack.gatewayPid);
  let peak = start.rssBytes;
  const sampler = setInterval(() => (peak = Math.max(peak, processStat(stack.gatewayPid).rssBytes)), 250);
  const t0 = performance.now();
  try {
    const samples = await Promise.all(ops.map((op) => drive(stack, tenant, op, seconds, connections)));
    const end = processStat(stack.gatewayPid);
    const elapsedMs = performance.now() - t0;
    return {
      samples,
      usage: {
        cpuPercent: ((end.cpuMs - start.cpuMs) / elapsedMs) * 100,
        rssStartBytes: start.rssBytes,
        rssPeakBytes: Math.max(peak, end.rssBytes),
      },
    };
  } finally {
    clearInterval(sampler);
  }
}

/** One autocannon instance for `op`; a call answered with a GraphQL error or non-200 fails the run. */
async function drive(
  stack: StackProcesses,
  tenant: string,
  op: Operation,
  seconds: number,
  connections: number,
): Promise<Sample> {
  let i = 0;
  let failed = 0;
  let firstFailure = '';
  const result = await autocannon({
    url: `${stack.url}/director/graphql`,
    connections,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: stack.authorization, tenant },
    requests: [
      {
        setupRequest: (req) => ({ ...req, body: op.body(i++) }),
        onResponse: (status, body) => {
          if (status === 200 && !body.includes('"errors"')) return;
          failed++;
          firstFailure ||= `${status} ${body.slice(0, 300)}`;
        },
      },
    ],
  });
  if (failed > 0 || result.errors > 0) {
    throw new Error(
      `${op.name}: ${failed} failed answers, ${result.errors} connection errors; first: ${firstFailure}`,
    );
  }
  const ops = result.requests.total;
  return {
    subject: `${op.name} via gateway`,
    ops,
    seconds: result.duration,
    opsPerSecond: ops / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

/** Every floor at once, `concurrency` in flight each, for `seconds`. */
function runFloors(ops: readonly Operation[], seconds: number, concurrency: number): Promise<Sample[]> {
  return Promise.all(
    ops.map(async (op) => {
      const latencies: number[] = [];
      const t0 = performance.now();
      const deadline = t0 + seconds * 1000;
      let n = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (performance.now() < deadline) {
            const started = performance.now();
            await op.floor(n++);
            latencies.push(performance.now() - started);
          }
        }),
      );
      const elapsed = (performance.now() - t0) / 1000;
      latencies.sort((a, b) => a - b);
      return {
        subject: op.floorName,
        ops: latencies.length,
        seconds: elapsed,
        opsPerSecond: latencies.length / elapsed,
        p50Ms: percentile(latencies, 0.5),
        p99Ms: percentile(latencies, 0.99),
      };
    }),
  );
}

/** Keeps the mix going for `ms`, sampling the gateway's memory, and reports its growth. */
async function soak(
  stack: StackProcesses,
  tenant: string,
  ops: readonly Operation[],
  ms: number,
  connections: number,
): Promise<void> {
  console.log(
    `\nsoak: the mix for ${(ms / 60_000).toFixed(1)} min, gateway memory sampled every ${SOAK_SAMPLE_MS / 1000} s`,
  );
  const samples: Array<{ t: number; rss: number; heap: number }> = [];
  const t0 = performance.now();
  const sample = async () => {
    const heap = await heapUsedBytes(stack.url).catch(() => NaN);
    samples.push({ t: (performance.now() - t0) / 60_000, rss: processStat(stack.gatewayPid).rssBytes, heap });
    const last = samples.at(-1)!;
    if (samples.length % 12 === 1) {
      console.log(`  ${last.t.toFixed(1)} min  rss ${mb(last.rss)}  heap used ${mb(last.heap)}`);
    }
  };
  await sample();
  const sampler = setInterval(() => void sample(), SOAK_SAMPLE_MS);
  try {
    const results = await Promise.all(ops.map((op) => drive(stack, tenant, op, ms / 1000, connections)));
    const total = results.reduce((n, r) => n + r.ops, 0);
    console.log(`  ${total} calls, ${(total / (ms / 1000)).toFixed(0)}/s, none failed`);
  } finally {
    clearInterval(sampler);
  }
  await sample();
  console.log(formatSoak(samples));
}

function formatSoak(samples: ReadonlyArray<{ t: number; rss: number; heap: number }>): string {
  // Growth compares the second fifth of the samples (the first is warm-up) with the last: RSS by
  // its median, the heap by its lowest value (what survives collections; in use it saw-tooths).
  const fifth = Math.max(1, Math.floor(samples.length / 5));
  const median = (xs: number[]) =>
    percentile(
      [...xs].sort((a, b) => a - b),
      0.5,
    );
  const measures = [
    { label: 'RSS, median', key: 'rss', of: median },
    { label: 'heap used, low', key: 'heap', of: (xs: number[]) => Math.min(...xs) },
  ] as const;
  const rows = [['soak: gateway memory', '2nd fifth', 'last fifth', 'growth', 'slope, 2nd half']];
  for (const { label, key, of } of measures) {
    const first = of(samples.slice(fifth, 2 * fifth).map((s) => s[key]));
    const last = of(samples.slice(-fifth).map((s) => s[key]));
    const half = samples.slice(Math.floor(samples.length / 2));
    rows.push([
      label,
      mb(first),
      mb(last),
      `${(((last - first) / first) * 100).toFixed(1)} %`,
      `${(slope(half, key) / 2 ** 20).toFixed(2)} MB/min`,
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '),
    )
    .join('\n');
}

/** Least-squares slope of `key` over time (bytes per minute). */
function slope(
  samples: ReadonlyArray<{ t: number; rss: number; heap: number }>,
  key: 'rss' | 'heap',
): number {
  const n = samples.length;
  if (n < 2) return NaN;
  const mt = samples.reduce((s, x) => s + x.t, 0) / n;
  const my = samples.reduce((s, x) => s + x[key], 0) / n;
  const num = samples.reduce((s, x) => s + (x.t - mt) * (x[key] - my), 0);
  const den = samples.reduce((s, x) => s + (x.t - mt) ** 2, 0);
  return num / den;
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

function formatLoad(rows: readonly Comparison[], usage: readonly Usage[]): string {
  const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
  const table = [
    ['operation', 'ops/s', 'floor ops/s', 'ratio', 'p50 ms', 'floor', 'ratio', 'p99 ms', 'floor', 'ratio'],
  ];
  for (const r of rows) {
    const p = r.project;
    const f = r.floor;
    table.push([
      r.benchmark.replace(/^load /, ''),
      fmt(p.opsPerSecond),
      fmt(f.opsPerSecond),
      `${r.throughputRatio.toFixed(2)}×`,
      fmt(p.p50Ms),
      fmt(f.p50Ms),
      `${r.p50Ratio.toFixed(1)}×`,
      fmt(p.p99Ms),
      fmt(f.p99Ms),
      `${(p.p99Ms / f.p99Ms).toFixed(1)}×`,
    ]);
  }
  const widths = table[0]!.map((_, c) => Math.max(...table.map((l) => l[c]!.length)));
  const out = table.map((l) =>
    l.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '),
  );
  out.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const total = rows.reduce((n, r) => n + r.project.opsPerSecond, 0);
  const cpu = usage.reduce((n, u) => n + u.cpuPercent, 0) / usage.length;
  const peak = Math.max(...usage.map((u) => u.rssPeakBytes));
  out.push(
    `gateway process under the mix: ${fmt(total)} calls/s in all, CPU ${cpu.toFixed(0)} % of one core ` +
      `(${((cpu * 10) / total).toFixed(2)} ms per call), RSS ${mb(usage[0]!.rssStartBytes)} at start, peak ${mb(peak)}`,
  );
  return out.join('\n');
}

/** `10m`, `90s`, `1h` or plain seconds, in milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (!m) throw new Error(`--soak: "${text}" is not a duration like 10m, 90s or 1h`);
  return Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 's' | 'm' | 'h'];
}
