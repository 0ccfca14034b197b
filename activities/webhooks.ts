import { Context } from '@temporalio/activity';
import { Webhook as Signer } from 'standardwebhooks';
import type { Auth } from '../domain/auth';
import { type BundleInstanceAuthRecord, statusOf } from '../domain/bundle-instance-auth';
import {
  type IncomingAnswer,
  type OutgoingRequest,
  type WebhookVerdict,
  buildCreationRequest,
  buildDeletionRequest,
  readCreationAnswer,
  readDeletionAnswer,
  readStatusAnswer,
} from '../domain/webhook-contract';
import { ApplicationWebhookType, type Webhook } from '../domain/webhook';
import { TemplateError } from '../domain/webhook-template';
import type { SecretBox } from '../infra/secret-box';
import type {
  CredentialRequestOpening,
  CredentialWebhookRef,
  DeliveryAttempt,
  DeliveryOutcome,
  OpenedCredentialRequest,
} from '../workflows/credential-request/messages';
import type { BundleInstanceAuthStore } from './bundle-instance-auth-store';
import { withDomainFailures } from './failures';
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
  /** Where a new credential request is stored once its webhook is known. */
  readonly instanceAuths: Pick<BundleInstanceAuthStore, 'put'>;
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
  instanceAuths,
  secretBox,
  webhookAllowPrivateNetworks = false,
}: WebhookActivityDeps) {
  /**
   * Webhooks this worker has just looked up, for the first call that follows in the same
   * workflow task (a local activity, so on this worker): that call need not read it again.
   */
  const justRead = new Map<string, { readonly webhook: Webhook; readonly until: number }>();
  const keyOf = (tenantId: string, id: string) => `${tenantId}/${id}`;

  function remember(tenantId: string, webhook: Webhook): void {
    const now = Date.now();
    if (justRead.size >= MAX_JUST_READ)
      for (const [key, entry] of justRead) if (entry.until <= now) justRead.delete(key);
    if (justRead.size < MAX_JUST_READ)
      justRead.set(keyOf(tenantId, webhook.id), { webhook, until: now + JUST_READ_MS });
  }

  async function webhookOf(tenantId: string, id: string): Promise<Webhook | undefined> {
    const key = keyOf(tenantId, id);
    const entry = justRead.get(key);
    justRead.delete(key);
    if (entry && entry.until > Date.now()) return entry.webhook;
    return webhooks.get(tenantId, id);
  }

  async function credentialWebhook(
    tenantId: string,
    applicationId: string,
    type: ApplicationWebhookType = ApplicationWebhookType.BUNDLE_INSTANCE_AUTH_CREATION,
  ): Promise<Webhook | undefined> {
    const app = await applications.get(tenantId, applicationId);
    if (!app) return undefined;
    return webhooks.firstOfType(tenantId, app, type);
  }

  async function send(attempt: DeliveryAttempt, exchange: Exchange): Promise<DeliveryOutcome> {
    const webhook = await webhookOf(attempt.record.tenantId, attempt.webhookId);
    if (!webhook) return { kind: 'failed', reason: 'WebhookFailed', message: 'the webhook was removed' };
    return sendTo(webhook, attempt, exchange);
  }

  async function sendTo(
    webhook: Webhook,
    attempt: DeliveryAttempt,
    { build, read }: Exchange,
  ): Promise<DeliveryOutcome> {
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
      const hook = await credentialWebhook(tenantId, applicationId);
      return hook && refOf(hook);
    },

    /** The application's credential-deletion webhook, without its secrets; undefined when it has none. */
    async findDeletionWebhook(
      tenantId: string,
      applicationId: string,
    ): Promise<CredentialWebhookRef | undefined> {
      const hook = await credentialWebhook(
        tenantId,
        applicationId,
        ApplicationWebhookType.BUNDLE_INSTANCE_AUTH_DELETION,
      );
      return hook && refOf(hook);
    },

    /**
     * Stores a new PENDING request (`record`, CredentialsNotProvided) once its application's
     * credential-request webhook is known: with one, PendingNotification, and the webhook
     * (without its secrets) is returned for the calls that follow.
     */
    async storeCredentialRequest(
      record: BundleInstanceAuthRecord,
    ): Promise<{ record: BundleInstanceAuthRecord; webhook?: CredentialWebhookRef }> {
      return withDomainFailures(async () => {
        const hook = await credentialWebhook(record.tenantId, record.applicationId);
        if (!hook) return { record: await instanceAuths.put(record) };
        remember(record.tenantId, hook);
        return { record: await instanceAuths.put(notifying(record)), webhook: refOf(hook) };
      });
    },

    /**
     * Opens a new request in one step: finds its application's credential-request webhook and,
     * when that is SYNC, makes the first attempt before the request is stored, so a request the
     * webhook answers is written once, SUCCEEDED with the credentials. Otherwise it is stored
     * PENDING (PendingNotification with a webhook, else as given) and the attempt's outcome, if
     * one was made, is returned for the workflow to go on from. Run again after a lost worker,
     * it calls with the same `webhook-id` and stores the same request.
     */
    async openCredentialRequest({
      record,
      messageId,
      timeoutMs,
    }: CredentialRequestOpening): Promise<OpenedCredentialRequest> {
      return withDomainFailures(async () => {
        const hook = await credentialWebhook(record.tenantId, record.applicationId);
        if (!hook) return { record: await instanceAuths.put(record) };
        const webhook = refOf(hook);
        const pending = notifying(record);
        if (webhook.mode !== 'SYNC') return { record: await instanceAuths.put(pending), webhook };
        const attempt = { record: pending, webhookId: hook.id, messageId, timeoutMs };
        const first = await sendTo(hook, attempt, exchangeOf(attempt));
        if (first.kind !== 'succeeded') return { record: await instanceAuths.put(pending), webhook, first };
        const succeeded = {
          ...pending,
          ...(first.authSealed !== undefined && { authSealed: first.authSealed }),
          status: statusOf('SUCCEEDED', 'CredentialsProvided', new Date().toISOString()),
        };
        return { record: await instanceAuths.put(succeeded), webhook, first: { kind: 'succeeded' } };
      });
    },

    /** One attempt to deliver a credential request (creation or deletion) to the application's webhook. */
    async callWebhook(attempt: DeliveryAttempt): Promise<DeliveryOutcome> {
      return send(attempt, exchangeOf(attempt));
    },

    /** One poll of the location an ASYNC webhook answered. */
    async pollWebhookStatus(attempt: DeliveryAttempt): Promise<DeliveryOutcome> {
      return send(attempt, {
        build: (webhook) => ({
          method: 'GET',
          url: new URL(attempt.location ?? '', webhook.url).toString(),
          headers: { accept: 'application/json' },
        }),
        read: (webhook, answer) =>
          readStatusAnswer(webhook, answer, Date.now(), attempt.operation !== 'deletion'),
      });
    },
  };
}

export type WebhookActivities = ReturnType<typeof createWebhookActivities>;

/** How long a looked-up webhook serves the call that follows it, and how many are kept. */
const JUST_READ_MS = 2_000;
const MAX_JUST_READ = 1_000;

/** How an attempt's request is built from the webhook and its answer read. */
interface Exchange {
  build(webhook: Webhook): OutgoingRequest;
  read(webhook: Webhook, answer: IncomingAnswer): WebhookVerdict;
}

/** The exchange of a creation or deletion request's attempt. */
function exchangeOf(attempt: DeliveryAttempt): Exchange {
  if (attempt.operation === 'deletion')
    return {
      build: (webhook) => buildDeletionRequest(webhook, attempt.record),
      read: (webhook, answer) => readDeletionAnswer(webhook, answer, Date.now()),
    };
  return {
    build: (webhook) => buildCreationRequest(webhook, attempt.record),
    read: (webhook, answer) => readCreationAnswer(webhook, answer, Date.now()),
  };
}

/** A new request with a webhook to call: PENDING, PendingNotification. */
function notifying(record: BundleInstanceAuthRecord): BundleInstanceAuthRecord {
  return { ...record, status: statusOf('PENDING', 'PendingNotification', record.status.timestamp) };
}

/** What the workflow needs of a webhook: no secrets. */
function refOf(hook: Webhook): CredentialWebhookRef {
  return {
    webhookId: hook.id,
    mode: hook.mode ?? 'SYNC',
    ...(hook.retryInterval !== undefined && { retryIntervalMs: hook.retryInterval * 1000 }),
    ...(hook.timeout !== undefined && { timeoutMs: hook.timeout * 1000 }),
  };
}
