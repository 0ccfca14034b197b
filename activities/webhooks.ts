import { Context } from '@temporalio/activity';
import { Webhook as Signer } from 'standardwebhooks';
import type { Auth } from '../domain/auth';
import {
  type IncomingAnswer,
  type OutgoingRequest,
  type WebhookVerdict,
  buildCreationRequest,
  readCreationAnswer,
  readStatusAnswer,
} from '../domain/webhook-contract';
import { ApplicationWebhookType, type Webhook } from '../domain/webhook';
import { TemplateError } from '../domain/webhook-template';
import type { SecretBox } from '../infra/secret-box';
import type {
  CredentialWebhookRef,
  DeliveryAttempt,
  DeliveryOutcome,
} from '../workflows/credential-request/messages';
import { applyAuth } from './webhook-auth';
import { sendWebhookRequest } from './webhook-http';

/** The slices of the webhook and application repositories these activities read. */
export interface WebhookReader {
  get(tenantId: string, id: string): Promise<Webhook | undefined>;
  firstOfType(
    tenantId: string,
    application: { id: string } & Readonly<Record<string, unknown>>,
    type: ApplicationWebhookType,
  ): Promise<Webhook | undefined>;
}

export interface WebhookActivityDeps {
  readonly webhooks: WebhookReader;
  readonly applications: {
    get(tenantId: string, id: string): Promise<({ id: string } & object) | undefined>;
  };
  /** Opens webhook secrets and seals the credentials an application answers. */
  readonly secretBox: SecretBox;
  /** Whether webhooks may be on loopback, private and link-local addresses (WEBHOOK_ALLOW_PRIVATE_NETWORKS). */
  readonly webhookAllowPrivateNetworks?: boolean;
}

/**
 * Calls of application webhooks for credential requests. One attempt per activity execution
 * (the workflow schedules the retries, so every attempt is in its history); every request
 * signed per Standard Webhooks; credentials sealed before they leave the activity, and
 * never logged.
 */
export function createWebhookActivities({
  webhooks,
  applications,
  secretBox,
  webhookAllowPrivateNetworks = false,
}: WebhookActivityDeps) {
  async function send(
    attempt: DeliveryAttempt,
    build: (webhook: Webhook) => OutgoingRequest,
    read: (webhook: Webhook, answer: IncomingAnswer) => WebhookVerdict,
  ): Promise<DeliveryOutcome> {
    const webhook = await webhooks.get(attempt.record.tenantId, attempt.webhookId);
    if (!webhook) return { kind: 'failed', reason: 'WebhookFailed', message: 'the webhook was removed' };
    let request: OutgoingRequest;
    try {
      request = await applyAuth(build(webhook), webhook.auth, {
        timeoutMs: attempt.timeoutMs,
        allowPrivateNetworks: webhookAllowPrivateNetworks,
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // A template that does not render is the webhook's configuration; a token endpoint may recover.
      if (err instanceof TemplateError) return { kind: 'failed', reason: 'InvalidResponse', message };
      return { kind: 'retry', message };
    }
    const signed = sign(webhook, attempt.messageId, request);
    const result = await sendWebhookRequest(
      signed,
      { timeoutMs: attempt.timeoutMs, allowPrivateNetworks: webhookAllowPrivateNetworks },
      Context.current().cancellationSignal,
    );
    if (!result.ok) {
      if (result.failure.kind === 'refused') return { kind: 'refused', message: result.failure.message };
      return { kind: 'retry', message: result.failure.message };
    }
    const verdict = read(webhook, result.answer);
    Context.current().log.info('webhook answered', {
      webhookId: webhook.id,
      status: result.answer.status,
      outcome: verdict.kind,
    });
    if (verdict.kind !== 'succeeded') return verdict;
    return {
      kind: 'succeeded',
      ...(verdict.auth && { authSealed: secretBox.sealJson(verdict.auth satisfies Auth) }),
    };
  }

  function sign(webhook: Webhook, messageId: string, request: OutgoingRequest): OutgoingRequest {
    if (!webhook.secretSealed) return request;
    const signer = new Signer(secretBox.open(webhook.secretSealed));
    const timestamp = new Date();
    return {
      ...request,
      headers: {
        ...request.headers,
        'webhook-id': messageId,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': signer.sign(messageId, timestamp, request.body ?? ''),
      },
    };
  }

  return {
    /** The application's credential-request webhook, without its secrets; undefined when it has none. */
    async findCredentialWebhook(
      tenantId: string,
      applicationId: string,
    ): Promise<CredentialWebhookRef | undefined> {
      const app = await applications.get(tenantId, applicationId);
      if (!app) return undefined;
      const hook = await webhooks.firstOfType(
        tenantId,
        app,
        ApplicationWebhookType.BUNDLE_INSTANCE_AUTH_CREATION,
      );
      if (!hook) return undefined;
      return {
        webhookId: hook.id,
        mode: hook.mode ?? 'SYNC',
        ...(hook.retryInterval !== undefined && { retryIntervalMs: hook.retryInterval * 1000 }),
        ...(hook.timeout !== undefined && { timeoutMs: hook.timeout * 1000 }),
      };
    },

    /** One attempt to deliver a credential request to the application's webhook. */
    async callWebhook(attempt: DeliveryAttempt): Promise<DeliveryOutcome> {
      return send(
        attempt,
        (webhook) => buildCreationRequest(webhook, attempt.record),
        (webhook, answer) => readCreationAnswer(webhook, answer, Date.now()),
      );
    },

    /** One poll of the location an ASYNC webhook answered. */
    async pollWebhookStatus(attempt: DeliveryAttempt): Promise<DeliveryOutcome> {
      return send(
        attempt,
        (webhook) => ({
          method: 'GET',
          url: new URL(attempt.location ?? '', webhook.url).toString(),
          headers: { accept: 'application/json' },
        }),
        (webhook, answer) => readStatusAnswer(webhook, answer, Date.now()),
      );
    },
  };
}

export type WebhookActivities = ReturnType<typeof createWebhookActivities>;
