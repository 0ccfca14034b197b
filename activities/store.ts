import type { Application } from '../domain/application';
import { withDomainFailures } from './failures';

/** The slice of the application repository these activities need. */
export interface ApplicationStore {
  put(app: Application): Promise<Application>;
  delete(tenantId: string, id: string): Promise<boolean>;
}

export interface StoreActivityDeps {
  readonly applications: ApplicationStore;
}

/** Activities that write the MongoDB read model. Each is idempotent, keyed by workflow-chosen IDs. */
export function createStoreActivities({ applications }: StoreActivityDeps) {
  return {
    /** Stores the application exactly as the workflow built it. */
    async putApplication(app: Application): Promise<Application> {
      return withDomainFailures(() => applications.put(app));
    },

    /** Removes the application's data; succeeds when it is already gone. */
    async deleteApplication(tenantId: string, applicationId: string): Promise<void> {
      await withDomainFailures(() => applications.delete(tenantId, applicationId));
    },
  };
}

export type StoreActivities = ReturnType<typeof createStoreActivities>;
