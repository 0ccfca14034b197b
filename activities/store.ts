import type { Application } from '../domain/application';
import { NotFoundError } from '../domain/errors';
import { withDomainFailures } from './failures';

/** The slice of the application repository these activities need. */
export interface ApplicationStore {
  put(app: Application): Promise<Application>;
  update(
    tenantId: string,
    id: string,
    set: Readonly<Record<string, unknown>>,
    unset?: readonly string[],
  ): Promise<Application | undefined>;
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

    /** Sets and clears the given fields; NotFound when the application is gone. */
    async updateApplication(
      tenantId: string,
      applicationId: string,
      set: Readonly<Record<string, unknown>>,
      unset: readonly string[],
    ): Promise<Application> {
      return withDomainFailures(async () => {
        const app = await applications.update(tenantId, applicationId, set, unset);
        if (!app) throw new NotFoundError('application', applicationId);
        return app;
      });
    },

    /** Removes the application's data; succeeds when it is already gone. */
    async deleteApplication(tenantId: string, applicationId: string): Promise<void> {
      await withDomainFailures(() => applications.delete(tenantId, applicationId));
    },
  };
}

export type StoreActivities = ReturnType<typeof createStoreActivities>;
