import type {
  BundleInstanceAuthRecord,
  BundleInstanceAuthStatusCondition,
} from '../domain/bundle-instance-auth';
import { NotFoundError } from '../domain/errors';
import { withDomainFailures } from './failures';

/** The slice of the bundle instance auth repository these activities need. */
export interface BundleInstanceAuthStore {
  put(record: BundleInstanceAuthRecord): Promise<BundleInstanceAuthRecord>;
  transition(
    from: readonly BundleInstanceAuthStatusCondition[],
    next: BundleInstanceAuthRecord,
  ): Promise<BundleInstanceAuthRecord | undefined>;
  delete(tenantId: string, id: string): Promise<BundleInstanceAuthRecord | undefined>;
  idsForApplication(tenantId: string, applicationId: string): Promise<string[]>;
}

export interface BundleInstanceAuthStoreActivityDeps {
  readonly instanceAuths: BundleInstanceAuthStore;
}

/** The credential-request workflow's writes; each idempotent (keyed by the request's ID and status). */
export function createBundleInstanceAuthStoreActivities({
  instanceAuths,
}: BundleInstanceAuthStoreActivityDeps) {
  return {
    /** Stores a new request. */
    async putBundleInstanceAuth(record: BundleInstanceAuthRecord): Promise<BundleInstanceAuthRecord> {
      return withDomainFailures(() => instanceAuths.put(record));
    },

    /** Moves a request on from one of `from` (InvalidOperation otherwise; NotFound when deleted). */
    async transitionBundleInstanceAuth(
      from: readonly BundleInstanceAuthStatusCondition[],
      next: BundleInstanceAuthRecord,
    ): Promise<BundleInstanceAuthRecord> {
      return withDomainFailures(async () => {
        const stored = await instanceAuths.transition(from, next);
        if (!stored) throw new NotFoundError('bundleInstanceAuth', next.id);
        return stored;
      });
    },

    /** The IDs of an application's requests, for its unregistration to end each one. */
    async listApplicationBundleInstanceAuthIds(tenantId: string, applicationId: string): Promise<string[]> {
      return withDomainFailures(() => instanceAuths.idsForApplication(tenantId, applicationId));
    },

    /** Removes a request (a repeated removal is a no-op). */
    async deleteBundleInstanceAuth(tenantId: string, id: string): Promise<void> {
      await withDomainFailures(() => instanceAuths.delete(tenantId, id));
    },
  };
}

export type BundleInstanceAuthStoreActivities = ReturnType<typeof createBundleInstanceAuthStoreActivities>;
