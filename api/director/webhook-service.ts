import { randomBytes, randomUUID } from 'node:crypto';
import { NotFoundError } from '../../domain/errors';
import { SIGNED_WEBHOOK_TYPES, type Webhook, newWebhook, validateWebhookInput } from '../../domain/webhook';
import type { SecretBox } from '../../infra/secret-box';
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
    private readonly secretBox: SecretBox,
  ) {}

  /** A new Standard Webhooks secret for `webhook`: stored sealed, returned in plaintext this once. */
  private withSecret(webhook: Webhook): { stored: Webhook; secret: string } {
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    return { stored: { ...webhook, secretSealed: this.secretBox.seal(secret) }, secret };
  }

  /** The webhooks of each application, in the order of `applications` (for DataLoader). */
  async forApplications(tenantId: string, applications: readonly ParentRef[]): Promise<Webhook[][]> {
    const byApplication = await this.webhooks.listForApplications(tenantId, applications);
    return applications.map((app) => byApplication.get(app.id) ?? []);
  }

  /**
   * Adds a webhook to an existing application of the tenant, with its signing secret: the
   * answer carries the secret, the only time it is shown.
   */
  async add(
    tenantId: string,
    applicationId: string,
    rawInput: unknown,
  ): Promise<Webhook & { secret?: string }> {
    const input = validateWebhookInput(rawInput);
    if (!(await this.applications.get(tenantId, applicationId)))
      throw new NotFoundError('application', applicationId);
    const { stored, secret } = this.withSecret(newWebhook(tenantId, applicationId, randomUUID(), input));
    return { ...(await this.webhooks.add(stored)), secret };
  }

  /**
   * Replaces a webhook's type, URL, auth, mode and templates; its signing secret is kept (a
   * signed type without one gets one, shown in this answer).
   */
  async update(tenantId: string, id: string, rawInput: unknown): Promise<Webhook & { secret?: string }> {
    const input = validateWebhookInput(rawInput);
    const existing = await this.webhooks.get(tenantId, id);
    if (!existing) throw new NotFoundError('webhook', id);
    const replaced = newWebhook(tenantId, existing.applicationId, id, input);
    if (existing.secretSealed) return this.webhooks.put({ ...replaced, secretSealed: existing.secretSealed });
    if (!SIGNED_WEBHOOK_TYPES.includes(replaced.type)) return this.webhooks.put(replaced);
    const { stored, secret } = this.withSecret(replaced);
    return { ...(await this.webhooks.put(stored)), secret };
  }

  /** Removes a webhook and returns it as it was. */
  async delete(tenantId: string, id: string): Promise<Webhook> {
    const deleted = await this.webhooks.delete(tenantId, id);
    if (!deleted) throw new NotFoundError('webhook', id);
    return deleted;
  }
}
