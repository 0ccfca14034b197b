import type { FetchRequestStatus } from '../domain/api-definitions';
import type { SpecFetchResult, SpecOwnerKind } from '../store/bundles';
import { withDomainFailures } from './failures';
import { DEFAULT_FETCH_LIMITS, type FetchLimits, fetchText } from './http-fetch';

/** Whose spec to fetch, and from where. */
export interface SpecFetchTarget {
  readonly kind: SpecOwnerKind;
  readonly tenantId: string;
  readonly applicationId: string;
  readonly ownerId: string;
  readonly url: string;
}

/** The slice of the bundle repository a spec fetch writes to. */
export interface SpecResultStore {
  setFetchResult(
    kind: SpecOwnerKind,
    tenantId: string,
    id: string,
    result: SpecFetchResult,
  ): Promise<boolean>;
}

export interface SpecFetchActivityDeps {
  readonly specs: SpecResultStore;
  /** Defaults to 5 s, 5 MiB and 5 redirects. */
  readonly fetchLimits?: FetchLimits;
}

/** Activities of the spec fetch workflow. */
export function createSpecFetchActivities({
  specs,
  fetchLimits = DEFAULT_FETCH_LIMITS,
}: SpecFetchActivityDeps) {
  return {
    /**
     * Fetches the spec and stores its data with SUCCEEDED, or FAILED with a message. An HTTP
     * failure is a result, not an error; only a storage failure makes the activity retry.
     */
    async fetchSpec(target: SpecFetchTarget): Promise<FetchRequestStatus> {
      const outcome = await fetchText(target.url, fetchLimits);
      const timestamp = new Date().toISOString();
      const result: SpecFetchResult = outcome.ok
        ? { data: outcome.data, status: { condition: 'SUCCEEDED', timestamp } }
        : { status: { condition: 'FAILED', message: outcome.message, timestamp } };
      await withDomainFailures(() =>
        specs.setFetchResult(target.kind, target.tenantId, target.ownerId, result),
      );
      return result.status;
    },
  };
}

export type SpecFetchActivities = ReturnType<typeof createSpecFetchActivities>;
