import { randomUUID } from 'node:crypto';
import { startInProcessStack } from '../../scripts/in-process-stack';
import type { BenchContext } from '../context';
import { type Comparison, combine, compare, measure, type Sample } from '../measure';
import { type DirectorQuery, directorQueries } from './queries';
import { prepareTenant, seedApplications } from './seed';
import { verifyQuery } from './verify';

/** One tenant size measured: applications seeded, operations per subject, warm-up operations. */
interface Size {
  readonly label: string;
  readonly apps: number;
  readonly ops: number;
  readonly warmUp: number;
}

/**
 * Sizes in seeding order (the larger grows the smaller). Counts are fixed rather than taken
 * from `--count`: FerretDB's SQLite backend scans whole collections, so one 10k query can
 * take hundreds of milliseconds and the whole benchmark must stay within a few minutes.
 */
const SIZES: readonly Size[] = [
  { label: '1k', apps: 1_000, ops: 40, warmUp: 4 },
  { label: '10k', apps: 10_000, ops: 16, warmUp: 2 },
];
/** Applications (with bundles) of the second tenant, which every query must filter out. */
const NOISY_APPS = 5_000;
/** Operations in flight; `--concurrency` can lower it, not raise it. */
const MAX_CONCURRENCY = 4;
/** Each subject's operations run in this many alternating rounds (floor first). */
const ROUNDS = 2;

/**
 * Director reads at two tenant sizes: `applications(first: 100)` with nested bundles, APIs and
 * events, a label-filtered list and `applicationsForRuntime`, each through GraphQL (the
 * in-process gateway) against its floor, the raw driver doing the same reads, in the same run
 * at the same concurrency. Data is seeded straight into MongoDB in the repositories' shapes.
 * Returns one comparison per query per size; the 10k notes give the flatness p50(10k)/p50(1k).
 */
export async function directorBenchmark(ctx: BenchContext): Promise<Comparison[]> {
  const concurrency = Math.min(ctx.concurrency, MAX_CONCURRENCY);
  const stack = await startInProcessStack({
    temporalAddress: ctx.temporalAddress,
    namespace: ctx.namespace,
    mongoUri: `${ctx.mongoBase}/bench_${randomUUID().slice(0, 8)}`,
    workflowBundle: ctx.workflowBundle,
    log: ctx.log,
    worker: false,
  });
  try {
    const db = stack.mongo.db;
    const suffix = randomUUID().slice(0, 8);
    const measured = await prepareTenant(db, `bench-director-${suffix}`);
    const noisy = await prepareTenant(db, `bench-noisy-${suffix}`);
    await timed(`seeding ${NOISY_APPS} applications in the noisy tenant`, () =>
      seedApplications(db, noisy, NOISY_APPS),
    );
    const queries = directorQueries({
      url: stack.url,
      db,
      tenantId: measured.tenantId,
      runtimeId: measured.runtimeId,
    });
    const bySize: Comparison[][] = [];
    for (const size of SIZES) {
      await timed(`seeding the measured tenant up to ${size.apps} applications`, () =>
        seedApplications(db, measured, size.apps),
      );
      const rows: Comparison[] = [];
      for (const query of queries) {
        await verifyQuery(query, size.apps);
        rows.push(await compareQuery(query, size, concurrency));
      }
      bySize.push(rows);
    }
    return withFlatness(bySize);
  } finally {
    await stack.close();
  }
}

/** Warm-up, then alternating rounds of floor and GraphQL; one comparison of the combined rounds. */
async function compareQuery(query: DirectorQuery, size: Size, concurrency: number): Promise<Comparison> {
  const benchmark = `director:${query.name}@${size.label}`;
  const graphql = async () => void (await query.graphql());
  const floor = async () => void (await query.floor());
  await measure('warm-up', floor, { count: size.warmUp, concurrency });
  await measure('warm-up', graphql, { count: size.warmUp, concurrency });
  const opts = { count: Math.ceil(size.ops / ROUNDS), concurrency };
  const projectRounds: Sample[] = [];
  const floorRounds: Sample[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    floorRounds.push(await measure(query.floorSubject, floor, opts));
    projectRounds.push(await measure(query.graphqlSubject, graphql, opts));
  }
  const result = compare(
    benchmark,
    combine(projectRounds),
    combine(floorRounds),
    `concurrency ${concurrency}, ${size.apps} apps + ${NOISY_APPS} in a noisy tenant`,
  );
  console.log(
    `  ${benchmark}: GraphQL p50 ${result.project.p50Ms.toFixed(1)} ms, ` +
      `driver p50 ${result.floor.p50Ms.toFixed(1)} ms (${result.p50Ratio.toFixed(2)}×)`,
  );
  return result;
}

/**
 * Adds to each comparison of the largest size the flatness of both sides, p50 at the largest
 * size ÷ p50 at the smallest, and returns every comparison, smallest size first.
 */
function withFlatness(bySize: readonly (readonly Comparison[])[]): Comparison[] {
  const smallest = bySize[0] ?? [];
  const largest = bySize[bySize.length - 1] ?? [];
  const flat = largest.map((row, i) => {
    const base = smallest[i];
    if (!base || base === row) return row;
    const graphql = row.project.p50Ms / base.project.p50Ms;
    const driver = row.floor.p50Ms / base.floor.p50Ms;
    const label = `${SIZES[SIZES.length - 1]!.label}/${SIZES[0]!.label}`;
    return {
      ...row,
      notes:
        `${row.notes ?? ''}; flatness p50(${label}): GraphQL ${graphql.toFixed(2)}×, ` +
        `driver ${driver.toFixed(2)}×`,
    };
  });
  return [...bySize.slice(0, -1).flat(), ...flat];
}

async function timed(what: string, fn: () => Promise<void>): Promise<void> {
  const started = performance.now();
  await fn();
  console.log(`  ${what}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
