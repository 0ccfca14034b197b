import type { Webhook } from '../domain/webhook';
import { withDomainFailures } from './failures';

/** The slice of the webhook repository these activities need. */
export interface WebhookStore {
  put(webhook: Webhook): Promise<Webhook>;
  deleteForApplication(tenantId: string, applicationId: string): Promise<number>;
}

export interface WebhookStoreActivityDeps {
  readonly webhooks: WebhookStore;
}

/** Activities that write application webhooks; each is idempotent (keyed by workflow-chosen IDs). */
export function createWebhookStoreActivities({ webhooks }: WebhookStoreActivityDeps) {
  return {
    /** Stores the webhooks of a registration, before the application that makes them visible. */
    async putWebhooks(items: readonly Webhook[]): Promise<void> {
      await withDomainFailures(async () => {
        for (const w of items) await webhooks.put(w);
      });
    },

    /** Removes an application's webhooks, once the application itself is gone. */
    async deleteApplicationWebhooks(tenantId: string, applicationId: string): Promise<void> {
      await withDomainFailures(() => webhooks.deleteForApplication(tenantId, applicationId));
    },
  };
}

export type WebhookStoreActivities = ReturnType<typeof createWebhookStoreActivities>;
