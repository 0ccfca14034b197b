import { createStoreActivities, type StoreActivityDeps } from './store';

export type ActivityDeps = StoreActivityDeps;

/** Every activity the worker registers, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createStoreActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
