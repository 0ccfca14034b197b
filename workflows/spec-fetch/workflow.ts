import { proxyActivities } from '@temporalio/workflow';
import type { SpecFetchActivities } from '../../activities/spec-fetch';
import type { FetchRequestStatus } from '../../domain/api-definitions';
import type { SpecFetchTarget } from './messages';

/**
 * The fetch answers within its own 5 s deadline; retries cover only a store that did not
 * answer, so a caller waiting on the result is never held long.
 */
const activities = proxyActivities<SpecFetchActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '2 seconds', maximumAttempts: 5 },
});

/**
 * Fetches one spec (or document) from its fetch request and stores data and status. One run
 * per fetch or refetch, under `specfetch/<tenant>/<ownerId>`, so concurrent refetches of the
 * same spec share a run. Returns the stored status.
 */
export async function specFetchWorkflow(target: SpecFetchTarget): Promise<FetchRequestStatus> {
  return activities.fetchSpec(target);
}
