import { isDeepStrictEqual } from 'node:util';
import { type DirectorQuery, FILTER_REGION, PAGE_SIZE, type PageDigest } from './queries';
import { recordReads } from '../../infra/read-recorder';
import {
  APIS_PER_BUNDLE,
  BENCH_SCENARIO,
  BUNDLES_PER_APP,
  EVENTS_PER_BUNDLE,
  regionMatches,
  scenarioMatches,
} from './seed';

/** One request of one side, with nothing else in flight: the reads it sent and its latency. */
export interface SoloRun {
  /** `<collection>.<method>` per MongoDB read. */
  readonly reads: readonly string[];
  readonly ms: number;
}

/** Both sides of a verified query, one request each. */
export interface Verified {
  readonly graphql: SoloRun;
  readonly floor: SoloRun;
}

/**
 * Runs both sides of `query` once, one after the other, and fails unless they agree with each
 * other and with what was seeded for a tenant of `apps` applications, so no timing can measure
 * an error path or an empty answer. Returns each side's reads (DataLoader batching shows here:
 * a request that sends more reads than its floor has an N+1) and unloaded latency.
 */
export async function verifyQuery(query: DirectorQuery, apps: number): Promise<Verified> {
  const solo = async (run: () => Promise<PageDigest>) => {
    const started = performance.now();
    const { result, reads } = await recordReads(run);
    return { result, run: { reads: reads.map((r) => r.name), ms: performance.now() - started } };
  };
  const { result: graphql, run: graphqlRun } = await solo(() => query.graphql());
  const { result: floor, run: floorRun } = await solo(() => query.floor());
  const problems = [
    ...expectations(query.name, apps, graphql).map((p) => `GraphQL: ${p}`),
    ...expectations(query.name, apps, floor).map((p) => `driver: ${p}`),
  ];
  if (!isDeepStrictEqual(graphql, floor)) problems.push('GraphQL and driver answers differ');
  if (problems.length > 0) {
    throw new Error(`director:${query.name} with ${apps} applications: ${problems.join('; ')}`);
  }
  return { graphql: graphqlRun, floor: floorRun };
}

function expectations(name: DirectorQuery['name'], apps: number, page: PageDigest): string[] {
  const total = { 'apps-nested': apps, filtered: regionMatches(apps), 'for-runtime': scenarioMatches(apps) }[
    name
  ];
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  check(page.apps.length === Math.min(PAGE_SIZE, total), `page of ${page.apps.length}`);
  check(page.hasNextPage === total > PAGE_SIZE, `hasNextPage ${page.hasNextPage}`);
  for (const app of page.apps) {
    if (name === 'apps-nested') {
      const bundles = app.bundles;
      check(
        bundles?.totalCount === BUNDLES_PER_APP && bundles.data.length === BUNDLES_PER_APP,
        `${app.id}: bundles ${JSON.stringify(bundles?.totalCount)}`,
      );
      for (const b of bundles?.data ?? []) {
        check(
          b.apis === APIS_PER_BUNDLE && b.apisTotal === APIS_PER_BUNDLE,
          `bundle ${b.id}: ${b.apis} APIs`,
        );
        check(
          b.events === EVENTS_PER_BUNDLE && b.eventsTotal === EVENTS_PER_BUNDLE,
          `bundle ${b.id}: ${b.events} events`,
        );
      }
    }
    if (name === 'filtered') check(app.region === FILTER_REGION, `${app.id}: region ${String(app.region)}`);
    if (name === 'for-runtime') {
      check(
        Array.isArray(app.scenarios) && app.scenarios.includes(BENCH_SCENARIO),
        `${app.id}: not in ${BENCH_SCENARIO}`,
      );
      check(app.name.startsWith('mp-'), `${app.id}: name ${app.name} not normalized`);
    }
  }
  return [...new Set(problems)].slice(0, 5);
}
