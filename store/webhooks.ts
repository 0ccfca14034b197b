import type { Db } from 'mongodb';
import type { Auth } from '../domain/auth';
import { type ApplicationWebhookType, WEBHOOK_TEMPLATE_FIELDS, type Webhook } from '../domain/webhook';
import { APPLICATIONS } from './applications';
import { type ListingParent, OwnedCollection, type ParentRef } from './owned-collection';
import { TenantCollection } from './tenant-collection';

/** How a webhook is stored: the domain type keyed by `_id`. `auth` holds secrets. */
export interface WebhookDocument {
  _id: string;
  tenantId: string;
  applicationId: string;
  type: ApplicationWebhookType;
  url: string;
  auth?: Auth;
  /** The signing secret, sealed by the secret box. */
  secretSealed?: string;
}

export const WEBHOOKS = 'webhooks';

/** Fields a replacement of a webhook may drop (then unset). */
const WEBHOOK_OPTIONAL_FIELDS = [
  'mode',
  'retryInterval',
  'timeout',
  'correlationIdKey',
  ...WEBHOOK_TEMPLATE_FIELDS,
];

/** Webhooks are read by ID and by application; both index paths lead with tenantId. */
export async function ensureWebhookIndexes(db: Db): Promise<void> {
  const col = db.collection<WebhookDocument>(WEBHOOKS);
  await col.createIndex({ tenantId: 1, applicationId: 1 }, { name: 'tenant_application' });
  await col.createIndex({ tenantId: 1, _id: 1 }, { name: 'tenant_id' });
}

/**
 * Tenant-scoped access to application webhooks, listed on their application (`webhookIds`,
 * see ChildList). Every method takes the tenant first.
 */
export class WebhookRepository {
  private readonly owned: OwnedCollection<Webhook>;

  constructor(db: Db) {
    const applications = new TenantCollection<ListingParent>(db, APPLICATIONS, 'Application');
    this.owned = new OwnedCollection<Webhook>(db, WEBHOOKS, 'Webhook', {
      parentField: 'applicationId',
      list: { parent: applications, field: 'webhookIds' },
      optionalFields: ['auth', 'secretSealed', ...WEBHOOK_OPTIONAL_FIELDS],
    });
  }

  get(tenantId: string, id: string): Promise<Webhook | undefined> {
    return this.owned.get(tenantId, id);
  }

  /** The webhooks of each application, by application ID. */
  listForApplications(tenantId: string, applications: readonly ParentRef[]): Promise<Map<string, Webhook[]>> {
    return this.owned.byParents(tenantId, applications);
  }

  /** Writes the webhook as given (idempotent: a retried write changes nothing). */
  async put(webhook: Webhook): Promise<Webhook> {
    return this.owned.put(webhook);
  }

  /** Adds a webhook to an existing application: written, then listed on the application. */
  add(webhook: Webhook): Promise<Webhook> {
    return this.owned.insert(webhook);
  }

  /** Removes one webhook (off its application's list first); returns it as it was. */
  delete(tenantId: string, id: string): Promise<Webhook | undefined> {
    return this.owned.delete(tenantId, id);
  }

  /** The application's first webhook of `type` (in the order it lists them), if any. */
  async firstOfType(
    tenantId: string,
    application: ParentRef,
    type: ApplicationWebhookType,
  ): Promise<Webhook | undefined> {
    const all = (await this.owned.byParents(tenantId, [application])).get(application.id) ?? [];
    return all.find((w) => w.type === type);
  }

  /** Removes every webhook of an application (after the application itself is gone). */
  deleteForApplication(tenantId: string, applicationId: string): Promise<number> {
    return this.owned.deleteWhere(tenantId, { applicationId });
  }
}
