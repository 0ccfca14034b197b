import {
  ActivityFailure,
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { BundleInstanceAuthStoreActivities } from '../../activities/bundle-instance-auth-store';
import type { WebhookActivities } from '../../activities/webhooks';
import {
  type BundleInstanceAuthRecord,
  type BundleInstanceAuthStatusCondition,
  StatusReason,
  notPendingError,
  statusOf,
} from '../../domain/bundle-instance-auth';
import { NotFoundError } from '../../domain/errors';
import { CompassStatusKey } from '../../domain/search-attributes';
import { toApplicationFailure } from '../shared/failures';
import { STORE_WRITES } from '../shared/local-activities';
import { HandlerLock } from '../shared/lock';
import type {
  CarriedDelivery,
  CreationRequest,
  CredentialOperation,
  CredentialRequestArgs,
  CredentialRequestPhase,
  CredentialWebhookRef,
  DeletionRequest,
  DeletionResult,
  DeliveryOutcome,
  SetAuthRequest,
} from './messages';

const store = proxyLocalActivities<BundleInstanceAuthStoreActivities>(STORE_WRITES);
const lookup = proxyLocalActivities<WebhookActivities>(STORE_WRITES);

const ALL: readonly BundleInstanceAuthStatusCondition[] = ['PENDING', 'SUCCEEDED', 'FAILED', 'UNUSED'];

/**
 * The first SYNC attempt runs as a local activity and the start's PENDING search attribute is
 * not written again: the whole request (store, call, store) then completes in the workflow
 * task that accepted it. Runs recorded before this took an activity task for that attempt.
 */
const FIRST_CALL_LOCAL = 'credential-request-first-call-local';

/**
 * A new request is opened by one local activity: webhook lookup, the SYNC webhook's first
 * attempt and one store write (SUCCEEDED when it answered with credentials). Runs recorded
 * before this stored PENDING, called and stored the answer in three.
 */
const ONE_STEP_OPENING = 'credential-request-one-step-opening';

/**
 * A deletion request calls the application's BUNDLE_INSTANCE_AUTH_DELETION webhook when it
 * has one (runs recorded before this only marked the request UNUSED).
 */
const DELETION_WEBHOOK = 'credential-request-deletion-webhook';

/** A long ASYNC poll continues as new (runs recorded before this polled in one run). */
const POLLS_CONTINUE_AS_NEW = 'credential-request-polls-continue-as-new';

/** Polls one run makes when the settings name no other number (about 8 history events each). */
const POLLS_PER_RUN = 500;

/** Room a local attempt leaves beyond its HTTP deadline (signing, the OAuth token, the store read). */
const LOCAL_ATTEMPT_MARGIN_MS = 5_000;

/** Longest wait a Retry-After may ask for between two attempts. */
const MAX_RETRY_AFTER_MS = 3_600_000;

/**
 * One credential request: its handlers are the workflow's message handlers, and it is the
 * single writer of the request's status. Writes are serialised (HandlerLock) and conditional
 * on the status read before them, so a late webhook answer never overwrites the
 * application's own answer or a deletion.
 */
export class CredentialRequest {
  readonly tenantId: string;
  readonly id: string;
  record?: BundleInstanceAuthRecord;
  deleted = false;
  /** The delivery the workflow's main loop runs next. */
  job?: DeliveryJob;
  /** True while an update handler calls the webhook itself (the first SYNC attempt). */
  busy = false;
  /** When a PENDING request stops waiting for setBundleInstanceAuth (epoch ms). */
  waitUntil?: number;
  attempts = 0;
  lastOutcome?: string;
  /** Set when an ASYNC poll stopped for the workflow to continue as new with it. */
  carried?: CarriedDelivery;
  private readonly lock = new HandlerLock();
  /** The opening of a request the run was started with (see open). */
  private opened?: Promise<void>;
  private readonly settings: CredentialRequestArgs['settings'];
  private readonly delivery: WebhookActivities;
  /** The first SYNC attempt, made within the workflow task that accepted the request. */
  private readonly firstDelivery: WebhookActivities;
  /** Opening a new request (lookup, first SYNC attempt, store), retried until the store answers. */
  private readonly opening: WebhookActivities;

  constructor(args: CredentialRequestArgs) {
    this.tenantId = args.tenantId;
    this.id = args.bundleInstanceAuthId;
    this.settings = args.settings;
    this.record = args.record;
    if (args.resume) {
      const { delivery, attempts } = args.resume;
      this.attempts = attempts;
      this.job = {
        operation: delivery.operation,
        webhook: delivery.webhook,
        messageId: delivery.messageId,
        polling: { location: delivery.location, next: delivery.nextPoll, deadline: delivery.deadline },
      };
    }
    // One attempt per execution: the workflow retries, so each attempt is an event of its own.
    this.delivery = proxyActivities<WebhookActivities>({
      startToCloseTimeout: args.settings.attemptTimeoutMs + 30_000,
      retry: { maximumAttempts: 1 },
    });
    // Also one attempt per execution, so its marker in history is that attempt.
    this.firstDelivery = proxyLocalActivities<WebhookActivities>({
      startToCloseTimeout: args.settings.attemptTimeoutMs + LOCAL_ATTEMPT_MARGIN_MS,
      retry: { maximumAttempts: 1 },
    });
    // An answered attempt is never retried here (the outcome is the activity's result); a retry
    // is a store that did not answer, and calls again with the same webhook-id.
    this.opening = proxyLocalActivities<WebhookActivities>({
      startToCloseTimeout: args.settings.attemptTimeoutMs + LOCAL_ATTEMPT_MARGIN_MS,
      ...(STORE_WRITES.retry && { retry: STORE_WRITES.retry }),
    });
  }

  get phase(): CredentialRequestPhase {
    if (this.deleted) return 'deleted';
    return this.record ? 'active' : 'new';
  }

  get pending(): boolean {
    return !this.deleted && this.record?.status.condition === 'PENDING';
  }

  /** Whether `job` is still wanted: a creation while PENDING, a deletion while UNUSED. */
  live(job: { readonly operation?: CredentialOperation }): boolean {
    if (job.operation !== 'deletion') return this.pending;
    return !this.deleted && this.record?.status.condition === 'UNUSED';
  }

  /** The delivery to run next, if it is still wanted. */
  takeJob(): DeliveryJob | undefined {
    const job = this.job;
    this.job = undefined;
    return job && this.live(job) ? job : undefined;
  }

  /** Whether the main loop has more to do (handlers may have queued a delivery after it ended). */
  get hasWork(): boolean {
    if (this.carried) return false;
    return this.pending || (this.job !== undefined && this.live(this.job));
  }

  validateExists(): void {
    if (!this.record || this.deleted)
      throw toApplicationFailure(new NotFoundError('bundleInstanceAuth', this.id));
  }

  validateSet(_request: SetAuthRequest): void {
    this.validateExists();
    if (!this.pending) throw toApplicationFailure(notPendingError(this.id));
  }

  /**
   * Opens the request the run was started with (`creation`): the default auth stored
   * SUCCEEDED, or one local activity (webhook lookup, the SYNC webhook's first attempt, one
   * store write). A first attempt that did not succeed is taken in for the main loop.
   */
  open(request: CreationRequest): Promise<void> {
    let first: FirstAttempt | undefined;
    this.opened = this.lock
      .run(async () => {
        first = await this.storeNew(request, 'one-step');
        if (this.record!.status.condition !== 'PENDING') this.showStatus();
      })
      .then(() => first && this.takeFirst(first.job, first.outcome));
    return this.opened;
  }

  /**
   * requestCreation: in a run started with the creation, the request as opened; otherwise it
   * stores the request once (a repeated creation returns it), SUCCEEDED with the default auth,
   * else PENDING.
   */
  create(request: CreationRequest): Promise<BundleInstanceAuthRecord> {
    if (this.opened) return this.opened.then(() => this.record!);
    let first: FirstAttempt | undefined;
    return this.lock
      .run(async () => {
        if (this.record) return;
        const oneStep = patched(ONE_STEP_OPENING);
        const local = oneStep || patched(FIRST_CALL_LOCAL);
        first = await this.storeNew(request, oneStep ? 'one-step' : local ? 'local' : 'separate');
        // A first attempt still to be taken in; the main loop waits for it.
        if (first) this.busy = true;
        // The start already shows PENDING.
        if (!local || this.record!.status.condition !== 'PENDING') this.showStatus();
      })
      .then(async () => {
        if (this.busy) {
          try {
            const job = first?.job ?? this.job!;
            const outcome =
              first?.outcome ??
              (await this.attempt(() => this.call(job, job.local ? this.firstDelivery : undefined)));
            await this.takeFirst(job, outcome);
          } finally {
            this.busy = false;
          }
        }
        return this.record!;
      });
  }

  /**
   * Stores a new request (the lock held). `one-step`: one local activity looks up the webhook,
   * makes a SYNC webhook's first attempt and stores the outcome; a first attempt that did not
   * succeed is returned. Runs recorded before it: `local` (lookup and store in one local
   * activity, the SYNC attempt next) or `separate` (lookup, then store).
   */
  private async storeNew(
    request: CreationRequest,
    via: 'one-step' | 'local' | 'separate',
  ): Promise<FirstAttempt | undefined> {
    const now = new Date().toISOString();
    const base = {
      id: this.id,
      tenantId: this.tenantId,
      bundleId: request.bundleId,
      applicationId: request.applicationId,
      ...(request.runtimeId !== undefined && { runtimeId: request.runtimeId }),
      ...(request.context !== undefined && { context: request.context }),
      ...(request.inputParams !== undefined && { inputParams: request.inputParams }),
      createdAt: now,
    };
    let record: BundleInstanceAuthRecord;
    let webhook: CredentialWebhookRef | undefined;
    let first: FirstAttempt | undefined;
    try {
      if (request.defaultAuthSealed !== undefined) {
        record = await store.putBundleInstanceAuth({
          ...base,
          authSealed: request.defaultAuthSealed,
          status: statusOf('SUCCEEDED', 'CredentialsProvided', now),
        });
      } else if (via === 'one-step') {
        const messageId = `msg_${uuid4()}`;
        const result = await this.opening.openCredentialRequest({
          record: { ...base, status: statusOf('PENDING', 'CredentialsNotProvided', now) },
          messageId,
          timeoutMs: this.settings.attemptTimeoutMs,
        });
        ({ record, webhook } = result);
        if (webhook) {
          const job: DeliveryJob = { operation: 'creation', webhook, messageId };
          const outcome = result.first;
          if (!outcome) this.job = job;
          else {
            this.attempts++;
            this.lastOutcome = outcome.kind;
            if (outcome.kind !== 'succeeded') first = { job, outcome };
          }
        }
      } else if (via === 'local') {
        // One local activity finds the webhook and stores the request with the reason it gives.
        ({ record, webhook } = await lookup.storeCredentialRequest({
          ...base,
          status: statusOf('PENDING', 'CredentialsNotProvided', now),
        }));
      } else {
        webhook = await lookup.findCredentialWebhook(this.tenantId, request.applicationId);
        const reason: StatusReason = webhook ? 'PendingNotification' : 'CredentialsNotProvided';
        record = await store.putBundleInstanceAuth({ ...base, status: statusOf('PENDING', reason, now) });
      }
    } catch (err) {
      throw toApplicationFailure(err);
    }
    this.record = record;
    if (webhook && via !== 'one-step') {
      const local = via === 'local';
      this.job = { operation: 'creation', webhook, messageId: `msg_${uuid4()}`, ...(local && { local }) };
      // A SYNC webhook's first answer is the caller's answer.
      this.busy = webhook.mode === 'SYNC';
    } else if (!webhook && record.status.condition === 'PENDING')
      this.waitUntil = Date.now() + this.settings.pendingTimeoutMs;
    return first;
  }

  /** The application's answer: SUCCEEDED with its credentials, or FAILED with its reason. */
  set(request: SetAuthRequest): Promise<BundleInstanceAuthRecord> {
    return this.lock.run(async () => {
      if (!this.pending) throw toApplicationFailure(notPendingError(this.id));
      const now = new Date().toISOString();
      const status = request.status
        ? { ...request.status, timestamp: now }
        : statusOf('SUCCEEDED', 'CredentialsProvided', now);
      const { authSealed: _previous, ...rest } = this.record!;
      await this.write(['PENDING'], {
        ...rest,
        ...(request.authSealed !== undefined && { authSealed: request.authSealed }),
        status,
      });
      return this.record!;
    });
  }

  /**
   * Deletes the request when its bundle has a default auth; otherwise marks it UNUSED and calls
   * the application's deletion webhook when it has one (a SYNC one answers the caller), else
   * leaves it for the application to delete.
   */
  requestDeletion(request: DeletionRequest): Promise<DeletionResult> {
    let inline: DeliveryJob | undefined;
    return this.lock
      .run(async (): Promise<DeletionResult> => {
        const record = this.record!;
        if (request.bundleHasDefaultAuth) {
          await this.remove();
          return { record, deleted: true };
        }
        await this.write(ALL, {
          ...record,
          status: statusOf('UNUSED', 'PendingDeletion', new Date().toISOString()),
        });
        if (patched(DELETION_WEBHOOK)) {
          let webhook: CredentialWebhookRef | undefined;
          try {
            webhook = await lookup.findDeletionWebhook(this.tenantId, record.applicationId);
          } catch (err) {
            throw toApplicationFailure(err);
          }
          if (webhook) {
            this.job = { operation: 'deletion', webhook, messageId: `msg_${uuid4()}` };
            if (webhook.mode === 'SYNC') {
              inline = this.job;
              this.busy = true;
            }
          }
        }
        return { record: this.record!, deleted: false };
      })
      .then(async (result) => {
        if (!inline) return result;
        const before = this.record!;
        try {
          const first = await this.attempt(() => this.call(inline!));
          if (this.job === inline) await this.takeFirst(inline, first);
        } finally {
          this.busy = false;
        }
        return this.deleted ? { record: before, deleted: true } : { record: this.record!, deleted: false };
      });
  }

  /** The request's bundle or application is gone: removes it (a repeated discard changes nothing). */
  discard(): Promise<void> {
    return this.lock.run(async () => {
      if (!this.deleted) await this.remove();
    });
  }

  /** Removes the request; returns it as it was. */
  delete(): Promise<BundleInstanceAuthRecord> {
    return this.lock.run(async () => {
      const record = this.record!;
      await this.remove();
      return record;
    });
  }

  /**
   * Calls the webhook: SUCCEEDED or FAILED from its answer (for a deletion: deleted, or left
   * UNUSED for the application), or waits for its callback or its status.
   */
  async deliver(job: DeliveryJob): Promise<void> {
    if (job.polling) return this.poll(job, job.polling);
    const outcome = await this.withRetries(job, () => this.call(job), job.first);
    if (!outcome) return;
    if (outcome.kind === 'accepted') {
      // A deletion it accepted, the application finishes with deleteBundleInstanceAuth.
      if (job.operation === 'deletion') return;
      await this.finish(statusOf('PENDING', 'NotificationSent', new Date().toISOString()));
      this.waitUntil = Date.now() + (job.webhook.timeoutMs ?? this.settings.pendingTimeoutMs);
      return;
    }
    if (outcome.kind === 'in-progress') {
      const deadline = Date.now() + (job.webhook.timeoutMs ?? this.settings.asyncTimeoutMs);
      return this.poll(job, { location: outcome.location ?? '', next: 1, deadline });
    }
    await this.conclude(job, outcome);
  }

  /**
   * Polls an ASYNC webhook's location every retryInterval until it ends or the webhook's
   * timeout passes; after `pollsPerRun` polls (or when Temporal suggests it) it stops, with
   * `carried` set, for the workflow to continue as new.
   */
  private async poll(job: DeliveryJob, { location, next, deadline }: PollingState): Promise<void> {
    const { webhook, messageId } = job;
    const interval = webhook.retryIntervalMs ?? this.settings.pollIntervalMs;
    const limit = this.settings.pollsPerRun ?? POLLS_PER_RUN;
    for (let n = next; ; n++) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return this.expire(job);
      if ((n - next >= limit || workflowInfo().continueAsNewSuggested) && patched(POLLS_CONTINUE_AS_NEW)) {
        const { operation = 'creation' } = job;
        this.carried = { operation, webhook, messageId, location, nextPoll: n, deadline };
        return;
      }
      if (await this.interrupted(job, Math.min(interval, remaining))) return;
      if (Date.now() >= deadline) return this.expire(job);
      const outcome = await this.attempt(() =>
        this.delivery.pollWebhookStatus({
          record: this.record!,
          webhookId: webhook.webhookId,
          messageId: `${messageId}_${n}`,
          timeoutMs: this.settings.attemptTimeoutMs,
          location,
          ...(job.operation === 'deletion' && { operation: job.operation }),
        }),
      );
      if (!this.live(job)) return;
      if (outcome.kind === 'in-progress' || outcome.kind === 'retry' || outcome.kind === 'accepted') continue;
      return this.conclude(job, outcome);
    }
  }

  /** The webhook's timeout passed: a creation FAILS, a deletion is left to the application. */
  private expire(job: DeliveryJob): Promise<void> {
    if (job.operation === 'deletion')
      return this.conclude(job, { kind: 'failed', reason: 'Timeout', message: 'it did not finish in time' });
    return this.finish(statusOf('FAILED', 'Timeout', new Date().toISOString()));
  }

  /** Attempts until an answer other than `retry`, along the retry schedule; undefined when the request moved on meanwhile. */
  private async withRetries(
    job: DeliveryJob,
    call: () => Promise<DeliveryOutcome>,
    first?: DeliveryOutcome,
  ): Promise<DeliveryOutcome | undefined> {
    const schedule = this.settings.retryScheduleMs;
    for (let i = 0; ; i++) {
      const outcome = i === 0 && first ? first : await this.attempt(call);
      if (!this.live(job)) return undefined;
      if (outcome.kind !== 'retry' || i >= schedule.length) return outcome;
      const jittered = Math.round(schedule[i]! * (0.8 + 0.4 * Math.random()));
      const delay = Math.max(jittered, Math.min(outcome.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
      if (await this.interrupted(job, delay)) return undefined;
    }
  }

  /** One call of the webhook for `job` (the same webhook-id on every attempt). */
  private call(job: DeliveryJob, via: WebhookActivities = this.delivery): Promise<DeliveryOutcome> {
    return via.callWebhook({
      record: this.record!,
      webhookId: job.webhook.webhookId,
      messageId: job.messageId,
      timeoutMs: this.settings.attemptTimeoutMs,
      ...(job.operation === 'deletion' && { operation: job.operation }),
    });
  }

  private async attempt(call: () => Promise<DeliveryOutcome>): Promise<DeliveryOutcome> {
    this.attempts++;
    let outcome: DeliveryOutcome;
    try {
      outcome = await call();
    } catch (err) {
      // The attempt itself did not finish (worker lost, timed out): another attempt, same webhook-id.
      if (!(err instanceof ActivityFailure)) throw err;
      outcome = { kind: 'retry', message: 'the delivery attempt did not complete' };
    }
    this.lastOutcome = outcome.kind;
    return outcome;
  }

  /** A first attempt's outcome: a retry is left in the job for the main loop; any other concludes it. */
  private async takeFirst(job: DeliveryJob, first: DeliveryOutcome): Promise<void> {
    if (first.kind === 'retry') this.job = { ...job, first };
    else {
      this.job = undefined;
      await this.conclude(job, first);
    }
  }

  /** Waits `ms`; true when `job` stopped being wanted meanwhile (answered or deleted). */
  private async interrupted(job: DeliveryJob, ms: number): Promise<boolean> {
    return condition(() => !this.live(job), ms);
  }

  private async conclude(job: DeliveryJob, outcome: DeliveryOutcome): Promise<void> {
    if (job.operation === 'deletion') return this.concludeDeletion(outcome);
    const now = new Date().toISOString();
    switch (outcome.kind) {
      case 'succeeded': {
        const { authSealed: _none, ...rest } = this.record!;
        return this.lock.run(async () => {
          if (!this.pending) return;
          await this.write(['PENDING'], {
            ...rest,
            ...(outcome.authSealed !== undefined && { authSealed: outcome.authSealed }),
            status: statusOf('SUCCEEDED', 'CredentialsProvided', now),
          });
        });
      }
      case 'failed':
        return this.finish({
          condition: 'FAILED',
          reason: outcome.reason,
          message: outcome.message,
          timestamp: now,
        });
      case 'gone':
        return this.finish(statusOf('FAILED', 'WebhookRefused', now));
      case 'refused':
        return this.finish(
          statusOf(
            'FAILED',
            'WebhookAddressNotAllowed',
            now,
            `${StatusMessagePrefix.refused}${outcome.message}`,
          ),
        );
      case 'retry':
        return this.finish(
          statusOf('FAILED', 'WebhookFailed', now, `${StatusMessagePrefix.failed}${outcome.message}`),
        );
      default:
        return this.finish(statusOf('FAILED', 'InvalidResponse', now));
    }
  }

  /** The deletion webhook's last answer: deleted on success; otherwise UNUSED, saying why, for the application. */
  private concludeDeletion(outcome: DeliveryOutcome): Promise<void> {
    return this.lock.run(async () => {
      if (this.deleted || this.record?.status.condition !== 'UNUSED') return;
      if (outcome.kind === 'succeeded') return this.remove();
      const detail = 'message' in outcome ? ` (${outcome.message})` : '';
      await this.write(['UNUSED'], {
        ...this.record,
        status: statusOf(
          'UNUSED',
          'DeletionWebhookFailed',
          new Date().toISOString(),
          `${StatusReason.DeletionWebhookFailed}${detail}`,
        ),
      });
    });
  }

  /** Writes a new status of a PENDING request (no-op once it moved on). */
  finish(status: BundleInstanceAuthRecord['status']): Promise<void> {
    return this.lock.run(async () => {
      if (!this.pending) return;
      await this.write(['PENDING'], { ...this.record!, status });
    });
  }

  private async write(
    from: readonly BundleInstanceAuthStatusCondition[],
    next: BundleInstanceAuthRecord,
  ): Promise<void> {
    try {
      this.record = await store.transitionBundleInstanceAuth(from, next);
    } catch (err) {
      throw toApplicationFailure(err);
    }
    this.showStatus();
  }

  private async remove(): Promise<void> {
    await store.deleteBundleInstanceAuth(this.tenantId, this.id);
    this.deleted = true;
    upsertSearchAttributes([{ key: CompassStatusKey, value: 'DELETED' }]);
  }

  private showStatus(): void {
    upsertSearchAttributes([{ key: CompassStatusKey, value: this.record!.status.condition }]);
  }
}

/** A first attempt made while opening the request, still to be taken in. */
interface FirstAttempt {
  readonly job: DeliveryJob;
  readonly outcome: DeliveryOutcome;
}

/** A delivery of a creation or deletion request: its webhook, its message ID and, when already made, its first attempt. */
interface DeliveryJob {
  /** Absent in runs recorded before deletions called webhooks: creation. */
  readonly operation?: CredentialOperation;
  readonly webhook: CredentialWebhookRef;
  readonly messageId: string;
  readonly first?: DeliveryOutcome;
  /** Its first attempt is a local activity (the SYNC call answering the request). */
  readonly local?: boolean;
  /** An ASYNC webhook already being polled (carried from the run before). */
  readonly polling?: PollingState;
}

interface PollingState {
  readonly location: string;
  /** The number of the next poll. */
  readonly next: number;
  /** When the webhook's timeout passes (epoch ms). */
  readonly deadline: number;
}

const StatusMessagePrefix = {
  refused: 'The application webhook may not be called: ',
  failed: 'The application webhook could not be called: ',
} as const;
