import {
  type FetchRequest,
  FetchMode,
  type FetchRequestStatus,
  type SpecOwnerKind,
} from '../domain/api-definitions';
import type { SpecFetchResult } from '../store/bundles';
import type { SpecFetchTarget } from '../workflows/spec-fetch/messages';
import { withDomainFailures } from './failures';
import { authorizeFetch } from './fetch-auth';
import { DEFAULT_FETCH_LIMITS, type FetchLimits, type FetchOutcome, fetchText } from './http-fetch';

/** The slice of the bundle repository a spec fetch reads its request from and writes to. */
export interface SpecResultStore {
  /**
   * The owner's fetch request as stored (with its auth, which never travels through workflow
   * history); undefined when the owner or its fetch request is gone.
   */
  getFetchRequest(kind: SpecOwnerKind, tenantId: string, id: string): Promise<FetchRequest | undefined>;
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

/**
 * Fetches what a stored fetch request names. Only SINGLE requests without a filter are
 * fetched; anything else fails with a message saying so, as Compass refuses them too.
 */
async function fetchRequested(request: FetchRequest, limits: FetchLimits): Promise<FetchOutcome> {
  if (request.mode !== FetchMode.SINGLE) {
    return { ok: false, message: `fetch mode ${request.mode} is not supported: only SINGLE fetches are` };
  }
  if (request.filter !== undefined) {
    return { ok: false, message: 'a filter is not supported: a SINGLE fetch has nothing to filter' };
  }
  const authorized = await authorizeFetch(request.url, request.auth, limits);
  if (!authorized.ok) return authorized;
  return fetchText(authorized.url, limits, { headers: authorized.headers });
}

/** Activities of the spec fetch workflow. */
export function createSpecFetchActivities({
  specs,
  fetchLimits = DEFAULT_FETCH_LIMITS,
}: SpecFetchActivityDeps) {
  return {
    /**
     * Fetches the spec as its stored fetch request says and stores its data with SUCCEEDED, or
     * FAILED with a message. An HTTP failure is a result, not an error; only a storage failure
     * makes the activity retry.
     */
    async fetchSpec(target: SpecFetchTarget): Promise<FetchRequestStatus> {
      const request = await withDomainFailures(() =>
        specs.getFetchRequest(target.kind, target.tenantId, target.ownerId),
      );
      const outcome: FetchOutcome = request
        ? await fetchRequested(request, fetchLimits)
        : { ok: false, message: 'the fetch request no longer exists' };
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
