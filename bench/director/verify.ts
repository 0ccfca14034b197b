import { isDeepStrictEqual } from 'node:util';
import { type DirectorQuery, FILTER_REGION, PAGE_SIZE, type PageDigest } from './queries';
import { countReads } from './reads';
import {
  APIS_PER_BUNDLE,
  BENCH_SCENARIO,
  BUNDLES_PER_APP,
  EVENTS_PER_BUNDLE,
  regionMatches,
  scenarioMatches,
} from './seed';

/** How many MongoDB reads one request of each side sent, by `<collection>.<method>`. */
export interface ReadCounts {
  readonly graphql: readonly string[];
  readonly floor: readonly string[];
}

/**
 * Runs both sides of `query` once, one after the other, and fails unless they agree with each
 * other and with what was seeded for a tenant of `apps` applications, so no timing can measure
 * an error path or an empty answer. Returns the reads each side sent (DataLoader batching
 * shows here: a request that sends more reads than its floor has an N+1).
 */
export async function verifyQuery(query: DirectorQuery, apps: number): Promise<ReadCounts> {
  const { result: graphql, reads: graphqlReads } = await countReads(() => query.graphql());
  const { result: floor, reads: floorReads } = await countReads(() => query.floor());
  const problems = [
    ...expectations(query.name, apps, graphql).map((p) => `GraphQL: ${p}`),
    ...expectations(query.name, apps, floor).map((p) => `driver: ${p}`),
  ];
  if (!isDeepStrictEqual(graphql, floor)) problems.push('GraphQL and driver answers differ');
  if (problems.length > 0) {
    throw new Error(`director:${query.name} with ${apps} applications: ${problems.join('; ')}`);
  }
  return { graphql: graphqlReads, floor: floorReads };
}

function expectations(name: DirectorQuery['name'], apps: number, page: PageDigest): string[] {
  const total = { 'apps-nested': apps, filtered: regionMatches(apps), 'for-runtime': scenarioMatches(apps) }[
    name
  ];
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  check(page.totalCount === total, `totalCount ${page.totalCount}, seeded ${total}`);
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
