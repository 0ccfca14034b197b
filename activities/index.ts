import {
  createBundleInstanceAuthStoreActivities,
  type BundleInstanceAuthStoreActivityDeps,
} from './bundle-instance-auth-store';
import { createBundleStoreActivities, type BundleStoreActivityDeps } from './bundle-store';
import { createIdentityStoreActivities, type IdentityStoreActivityDeps } from './identity-store';
import { createProviderActivities, type ProviderActivityDeps } from './provider';
import { createProvisioningStoreActivities, type ProvisioningStoreActivityDeps } from './provisioning-store';
import { createRuntimeHealthActivities, type RuntimeHealthActivityDeps } from './runtime-health';
import { createRuntimeStoreActivities, type RuntimeStoreActivityDeps } from './runtime-store';
import { createSpecFetchActivities, type SpecFetchActivityDeps } from './spec-fetch';
import { createStoreActivities, type StoreActivityDeps } from './store';
import { createTrustActivities, type TrustActivityDeps } from './trust';
import { createWebhookStoreActivities, type WebhookStoreActivityDeps } from './webhook-store';
import { createWebhookActivities, type WebhookActivityDeps } from './webhooks';

export type ActivityDeps = StoreActivityDeps &
  RuntimeStoreActivityDeps &
  RuntimeHealthActivityDeps &
  WebhookStoreActivityDeps &
  BundleStoreActivityDeps &
  SpecFetchActivityDeps &
  IdentityStoreActivityDeps &
  TrustActivityDeps &
  WebhookActivityDeps &
  BundleInstanceAuthStoreActivityDeps &
  ProvisioningStoreActivityDeps &
  ProviderActivityDeps;

/** Every activity the worker registers, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createStoreActivities(deps),
    ...createBundleStoreActivities(deps),
    ...createSpecFetchActivities(deps),
    ...createRuntimeStoreActivities(deps),
    ...createRuntimeHealthActivities(deps),
    ...createWebhookStoreActivities(deps),
    ...createIdentityStoreActivities(deps),
    ...createTrustActivities(deps),
    ...createWebhookActivities(deps),
    ...createBundleInstanceAuthStoreActivities(deps),
    ...createProvisioningStoreActivities(deps),
    ...createProviderActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
