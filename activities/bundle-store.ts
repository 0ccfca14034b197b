import type { BundleTree } from '../domain/bundle';
import { withDomainFailures } from './failures';

/** The slice of the bundle repository these activities need. */
export interface BundleTreeStore {
  putTree(tree: BundleTree): Promise<void>;
  deleteForApplication(tenantId: string, applicationId: string): Promise<void>;
}

export interface BundleStoreActivityDeps {
  readonly bundles: BundleTreeStore;
}

/** Activities that write an application's bundles and their content; each is idempotent. */
export function createBundleStoreActivities({ bundles }: BundleStoreActivityDeps) {
  return {
    /** Stores the bundles of a registration, before the application that makes them visible. */
    async putBundleTree(tree: BundleTree): Promise<void> {
      await withDomainFailures(() => bundles.putTree(tree));
    },

    /** Removes an application's bundles and their content, once the application itself is gone. */
    async deleteApplicationBundles(tenantId: string, applicationId: string): Promise<void> {
      await withDomainFailures(() => bundles.deleteForApplication(tenantId, applicationId));
    },
  };
}

export type BundleStoreActivities = ReturnType<typeof createBundleStoreActivities>;
