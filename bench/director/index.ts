import { randomUUID } from 'node:crypto';
import { devAuthorization } from '../../scripts/in-process-stack';
import { type BenchContext, startBenchStack } from '../context';
import { type Comparison, combine, compare, measure, type Sample } from '../measure';
import { type DirectorQuery, directorQueries } from './queries';
import { prepareTenant, seedApplications } from './seed';
import { type Verified, verifyQuery } from './verify';

/**
 * Operations per subject, split over alternating rounds (floor first), after `warmUp`
 * operations per subject (on top of the one per subject that verification runs).
 */
interface Plan {
  readonly ops: number;
  readonly rounds: number;
  readonly warmUp: number;
}

/** One tenant size: applications seeded, and the plans of the nested query and the lists. */
interface Size {
  readonly label: string;
  readonly apps: number;
  readonly nested: Plan;
  readonly list: Plan;
}

/**
 * Sizes in seeding order (the larger grows the smaller), measured with the same plans so
 * their latencies compare. Rounds hold at least {@link MAX_CONCURRENCY} operations, so every
 * round reaches full concurrency.
 */
const SIZES: readonly Size[] = [
  {
    label: '1k',
    apps: 1_000,
    nested: { ops: 24, rounds: 2, warmUp: 4 },
    list: { ops: 60, rounds: 2, warmUp: 4 },
  },
  {
    label: '10k',
    apps: 10_000,
    nested: { ops: 24, rounds: 2, warmUp: 4 },
    list: { ops: 60, rounds: 2, warmUp: 4 },
  },
];
/**
 * Applications (with bundles) of the second tenant, which every query must filter out: twice
 * the measured tenant at 1k, a fifth of it at 10k.
 */
const NOISY_APPS = 2_000;
/** Operations in flight; `--concurrency` can lower it, not raise it. */
const MAX_CONCURRENCY = 4;

/**
 * Director reads at two tenant sizes: `applications(first: 100)` with nested bundles, APIs and
 * events, a label-filtered list and `applicationsForRuntime`, each through GraphQL (the
 * in-process gateway) against its floor, the raw driver doing the same reads, in the same run
 * at the same concurrency. Data is seeded straight into MongoDB in the repositories' shapes.
 * Returns one comparison per query per size; the 10k notes give the flatness p50(10k)/p50(1k).
 */
export async function directorBenchmark(ctx: BenchContext): Promise<Comparison[]> {
  const started = performance.now();
  const concurrency = Math.min(ctx.concurrency, MAX_CONCURRENCY);
  const stack = await startBenchStack(ctx, { worker: false });
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
      authorization: await devAuthorization(),
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
        const solo = await verifyQuery(query, size.apps);
        rows.push(await compareQuery(query, size, concurrency, solo));
      }
      bySize.push(rows);
    }
    console.log(`  director: done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return withFlatness(bySize);
  } finally {
    await stack.close();
  }
}

/** Warm-up, then alternating rounds of floor and GraphQL; one comparison of the combined rounds. */
async function compareQuery(
  query: DirectorQuery,
  size: Size,
  concurrency: number,
  solo: Verified,
): Promise<Comparison> {
  const benchmark = `director:${query.name}@${size.label}`;
  const plan = query.name === 'apps-nested' ? size.nested : size.list;
  const graphql = async () => void (await query.graphql());
  const floor = async () => void (await query.floor());
  if (plan.warmUp > 0) {
    await measure('warm-up', floor, { count: plan.warmUp, concurrency });
    await measure('warm-up', graphql, { count: plan.warmUp, concurrency });
  }
  const opts = { count: Math.ceil(plan.ops / plan.rounds), concurrency };
  const projectRounds: Sample[] = [];
  const floorRounds: Sample[] = [];
  for (let round = 0; round < plan.rounds; round++) {
    floorRounds.push(await measure(query.floorSubject, floor, opts));
    projectRounds.push(await measure(query.graphqlSubject, graphql, opts));
  }
  const result = compare(
    benchmark,
    combine(projectRounds),
    combine(floorRounds),
    `concurrency ${concurrency}, ${size.apps} apps + ${NOISY_APPS} in a noisy tenant, ` +
      `reads/request GraphQL ${solo.graphql.reads.length}, driver ${solo.floor.reads.length}; ` +
      `alone ${solo.graphql.ms.toFixed(0)} vs ${solo.floor.ms.toFixed(0)} ms`,
  );
  console.log(
    `  ${benchmark}: GraphQL p50 ${result.project.p50Ms.toFixed(1)} ms, ` +
      `driver p50 ${result.floor.p50Ms.toFixed(1)} ms (${result.p50Ratio.toFixed(2)}×); ` +
      `alone (verification) GraphQL ${solo.graphql.ms.toFixed(0)} ms, driver ${solo.floor.ms.toFixed(0)} ms; ` +
      `reads GraphQL ${tally(solo.graphql.reads)}, driver ${tally(solo.floor.reads)}`,
  );
  return result;
}

/** Reads per collection and command, e.g. `applications.find ×1, bundles.find ×300`. */
function tally(reads: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const read of reads) counts.set(read, (counts.get(read) ?? 0) + 1);
  return `[${[...counts].map(([read, n]) => `${read} ×${n}`).join(', ')}]`;
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
