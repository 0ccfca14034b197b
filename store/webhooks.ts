import type { Db } from 'mongodb';
import type { Auth } from '../domain/auth';
import type { ApplicationWebhookType, Webhook } from '../domain/webhook';
import { TenantCollection } from './tenant-collection';

/** How a webhook is stored: the domain type keyed by `_id`. `auth` holds secrets. */
export interface WebhookDocument {
  _id: string;
  tenantId: string;
  applicationId: string;
  type: ApplicationWebhookType;
  url: string;
  auth?: Auth;
}

export const WEBHOOKS = 'webhooks';

/** Webhooks are read by ID and by application; both index paths lead with tenantId. */
export async function ensureWebhookIndexes(db: Db): Promise<void> {
  const col = db.collection<WebhookDocument>(WEBHOOKS);
  await col.createIndex({ tenantId: 1, applicationId: 1 }, { name: 'tenant_application' });
  await col.createIndex({ tenantId: 1, _id: 1 }, { name: 'tenant_id' });
}

/** Tenant-scoped access to application webhooks. Every method takes the tenant first. */
export class WebhookRepository {
  private readonly col: TenantCollection<WebhookDocument>;

  constructor(db: Db) {
    this.col = new TenantCollection<WebhookDocument>(db, WEBHOOKS, 'Webhook');
  }

  async get(tenantId: string, id: string): Promise<Webhook | undefined> {
    const doc = await this.col.get(tenantId, id);
    return doc && toWebhook(doc);
  }

  /** The webhooks of the given applications, in ID order. */
  async listForApplications(tenantId: string, applicationIds: readonly string[]): Promise<Webhook[]> {
    const docs = await this.col.find(tenantId, { applicationId: { $in: [...applicationIds] } });
    return docs.map(toWebhook).sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Writes the webhook as given (idempotent: a retried write changes nothing). */
  async put(webhook: Webhook): Promise<Webhook> {
    await this.col.put(toDocument(webhook));
    return webhook;
  }

  /** Removes one webhook; true when it existed. */
  delete(tenantId: string, id: string): Promise<boolean> {
    return this.col.delete(tenantId, id);
  }

  /** Removes every webhook of an application (after the application itself is gone). */
  deleteForApplication(tenantId: string, applicationId: string): Promise<number> {
    return this.col.deleteMany(tenantId, { applicationId });
  }
}

function toDocument(w: Webhook): WebhookDocument {
  const { id, ...rest } = w;
  return { _id: id, ...rest };
}

function toWebhook(doc: WebhookDocument): Webhook {
  const { _id, ...rest } = doc;
  return { id: _id, ...rest };
}
