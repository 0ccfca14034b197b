import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../../domain/errors';
import { type Webhook, newWebhook, validateWebhookInput } from '../../domain/webhook';
import type { ApplicationRepository } from '../../store/applications';
import type { ParentRef } from '../../store/owned-collection';
import type { WebhookRepository } from '../../store/webhooks';

/**
 * Application webhooks: plain metadata, written directly to MongoDB after validation. Their
 * `auth` carries credentials, so nothing here logs a webhook.
 */
export class WebhookService {
  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly applications: Pick<ApplicationRepository, 'get'>,
  ) {}

  /** The webhooks of each application, in the order of `applications` (for DataLoader). */
  async forApplications(tenantId: string, applications: readonly ParentRef[]): Promise<Webhook[][]> {
    const byApplication = await this.webhooks.listForApplications(tenantId, applications);
    return applications.map((app) => byApplication.get(app.id) ?? []);
  }

  /** Adds a webhook to an existing application of the tenant. */
  async add(tenantId: string, applicationId: string, rawInput: unknown): Promise<Webhook> {
    const input = validateWebhookInput(rawInput);
    if (!(await this.applications.get(tenantId, applicationId)))
      throw new NotFoundError('application', applicationId);
    return this.webhooks.add(newWebhook(tenantId, applicationId, randomUUID(), input));
  }

  /** Replaces a webhook's type, URL and auth. */
  async update(tenantId: string, id: string, rawInput: unknown): Promise<Webhook> {
    const input = validateWebhookInput(rawInput);
    const existing = await this.webhooks.get(tenantId, id);
    if (!existing) throw new NotFoundError('webhook', id);
    return this.webhooks.put(newWebhook(tenantId, existing.applicationId, id, input));
  }

  /** Removes a webhook and returns it as it was. */
  async delete(tenantId: string, id: string): Promise<Webhook> {
    const deleted = await this.webhooks.delete(tenantId, id);
    if (!deleted) throw new NotFoundError('webhook', id);
    return deleted;
  }
}
