import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { BundleInstanceAuthRecord } from '../../domain/bundle-instance-auth';
import type { WebhookMode } from '../../domain/webhook';
import type { WebhookVerdict } from '../../domain/webhook-contract';

/** Timing of a credential request, from the configuration (WEBHOOK_*, CREDENTIAL_REQUEST_TIMEOUT_SECONDS). */
export interface CredentialRequestSettings {
  /** How long a PENDING request waits for setBundleInstanceAuth before it FAILS (Timeout). */
  readonly pendingTimeoutMs: number;
  /** Base delays before the 2nd, 3rd, ... delivery attempt (jittered; Retry-After may lengthen one). */
  readonly retryScheduleMs: readonly number[];
  /** Deadline of one delivery attempt. */
  readonly attemptTimeoutMs: number;
  /** How often an ASYNC webhook's location is polled when the webhook names no retryInterval. */
  readonly pollIntervalMs: number;
  /** How long an ASYNC webhook may take when it names no timeout. */
  readonly asyncTimeoutMs: number;
  /** Polls of an ASYNC webhook one run makes before it continues as new (WEBHOOK_POLLS_PER_RUN; default 500). */
  readonly pollsPerRun?: number;
}

/** Arguments the credential-request workflow is started with. */
export interface CredentialRequestArgs {
  readonly tenantId: string;
  readonly bundleInstanceAuthId: string;
  readonly settings: CredentialRequestSettings;
  /** The request as stored, when a later operation starts a new run for a finished request. */
  readonly record?: BundleInstanceAuthRecord;
  /**
   * The creation a new request's run is started with: the run opens the request at once, and
   * requestCreation (sent with the start) answers with it. Runs started before this field
   * existed waited for requestCreation to create it.
   */
  readonly creation?: CreationRequest;
  /** What a run that continued as new was doing: polling an ASYNC webhook. */
  readonly resume?: {
    readonly delivery: CarriedDelivery;
    readonly attempts: number;
  };
}

/** Which request a webhook call is about: the credentials' creation or their deletion. */
export type CredentialOperation = 'creation' | 'deletion';

/** An ASYNC webhook being polled, carried into the next run when a run continues as new. */
export interface CarriedDelivery {
  readonly operation: CredentialOperation;
  readonly webhook: CredentialWebhookRef;
  readonly messageId: string;
  readonly location: string;
  /** The number of the next poll (its `webhook-id` suffix). */
  readonly nextPoll: number;
  /** When the webhook's timeout passes (epoch ms). */
  readonly deadline: number;
}

/** requestBundleInstanceAuthCreation, validated by the API (inputParams against the bundle's schema). */
export interface CreationRequest {
  readonly bundleId: string;
  readonly applicationId: string;
  readonly runtimeId?: string;
  readonly context?: string;
  readonly inputParams?: string;
  /** The bundle's defaultInstanceAuth, sealed: when present the request SUCCEEDS at once. */
  readonly defaultAuthSealed?: string;
}

/** setBundleInstanceAuth, validated by the API; the auth sealed before it enters history. */
export interface SetAuthRequest {
  readonly authSealed?: string;
  readonly status?: {
    readonly condition: 'SUCCEEDED' | 'FAILED';
    readonly message: string;
    readonly reason: string;
  };
}

/** requestBundleInstanceAuthDeletion: a bundle with a default auth deletes the request at once. */
export interface DeletionRequest {
  readonly bundleHasDefaultAuth: boolean;
}

export interface DeletionResult {
  readonly record: BundleInstanceAuthRecord;
  /** True when the request was removed; false when it is now UNUSED, for the application to delete. */
  readonly deleted: boolean;
}

/**
 * Sent with the start of a new request: returns the request as stored once the run has opened
 * it (a run started without `creation` creates it from this update's argument).
 */
export const requestCreationUpdate = defineUpdate<BundleInstanceAuthRecord, [CreationRequest]>(
  'requestCreation',
);

/** The application's answer: credentials (SUCCEEDED) or a failure; only in PENDING. */
export const setBundleInstanceAuthUpdate = defineUpdate<BundleInstanceAuthRecord, [SetAuthRequest]>(
  'setBundleInstanceAuth',
);

/** The runtime no longer needs the credentials. */
export const requestDeletionUpdate = defineUpdate<DeletionResult, [DeletionRequest]>('requestDeletion');

/** The application removed the credentials: the request is deleted. Returns it as it was. */
export const deleteUpdate = defineUpdate<BundleInstanceAuthRecord, []>('delete');

/** The request's bundle or application is gone: the request is deleted and its workflow ends. */
export const discardSignal = defineSignal('discard');

export type CredentialRequestPhase = 'new' | 'active' | 'deleted';

/** For operators: where the request stands and what its webhook last answered. */
export const getCredentialRequestQuery = defineQuery<{
  phase: CredentialRequestPhase;
  condition?: string;
  reason?: string;
  attempts: number;
  lastOutcome?: string;
}>('getCredentialRequest');

/** The application's credential-request webhook, as the workflow needs it (no secrets). */
export interface CredentialWebhookRef {
  readonly webhookId: string;
  readonly mode: WebhookMode;
  readonly retryIntervalMs?: number;
  readonly timeoutMs?: number;
}

/** One delivery attempt or poll: what the activity sends and signs. */
export interface DeliveryAttempt {
  readonly record: BundleInstanceAuthRecord;
  readonly webhookId: string;
  /** Standard Webhooks `webhook-id`: the same on every attempt of one message (the receiver's idempotency key). */
  readonly messageId: string;
  readonly timeoutMs: number;
  /** For polls: the location the webhook answered. */
  readonly location?: string;
  /** Absent: creation. */
  readonly operation?: CredentialOperation;
}

/** What an attempt came to; credentials only sealed. `refused`: the address may not be called. */
export type DeliveryOutcome =
  | Exclude<WebhookVerdict, { kind: 'succeeded' }>
  | { readonly kind: 'succeeded'; readonly authSealed?: string }
  | { readonly kind: 'refused'; readonly message: string };

/** A new request as the workflow opens it: stored, and its SYNC webhook's first attempt made. */
export interface CredentialRequestOpening {
  /** The request, PENDING with CredentialsNotProvided. */
  readonly record: BundleInstanceAuthRecord;
  /** The `webhook-id` of its delivery, kept for every later attempt. */
  readonly messageId: string;
  readonly timeoutMs: number;
}

/**
 * What opening a request came to: the request as stored, its webhook (no secrets) when it has
 * one, and the first attempt's outcome when the webhook is SYNC (SUCCEEDED is already stored).
 */
export interface OpenedCredentialRequest {
  readonly record: BundleInstanceAuthRecord;
  readonly webhook?: CredentialWebhookRef;
  readonly first?: DeliveryOutcome;
}
