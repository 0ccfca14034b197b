import { type Auth, checkAuthInput } from './auth';
import type { BundleInstanceAuthRecord, StatusReason } from './bundle-instance-auth';
import { FieldErrors } from './validation';
import type { Webhook } from './webhook';
import { TemplateError, renderJsonTemplate } from './webhook-template';

/**
 * The contract between the credential-request workflow and an application's webhook: the
 * request it sends and how it reads the answers. Without templates the default JSON contract
 * applies (README, "Credential requests"); templates adapt an existing API to it.
 */

/** An HTTP request to send, before signing and auth. */
export interface OutgoingRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** An HTTP answer as the contract reads it: header names lower-case, the first value each. */
export interface IncomingAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What one call or poll of a webhook came to. */
export type WebhookVerdict =
  | { readonly kind: 'succeeded'; readonly auth?: Auth }
  | { readonly kind: 'accepted' }
  | { readonly kind: 'in-progress'; readonly location?: string }
  | { readonly kind: 'failed'; readonly reason: StatusReason | string; readonly message: string }
  | { readonly kind: 'gone'; readonly message: string }
  | { readonly kind: 'retry'; readonly message: string; readonly retryAfterMs?: number };

/** What a request to the application is about: the webhook type it is sent for. */
export type CredentialRequestType = 'BUNDLE_INSTANCE_AUTH_CREATION' | 'BUNDLE_INSTANCE_AUTH_DELETION';

/** The default request body: what the application learns about the request. */
export function defaultRequestBody(
  record: BundleInstanceAuthRecord,
  type: CredentialRequestType = 'BUNDLE_INSTANCE_AUTH_CREATION',
): Record<string, unknown> {
  return {
    type,
    tenantId: record.tenantId,
    applicationId: record.applicationId,
    bundleId: record.bundleId,
    bundleInstanceAuthId: record.id,
    runtimeId: record.runtimeId ?? null,
    context: parseJsonText(record.context),
    inputParams: parseJsonText(record.inputParams),
  };
}

function parseJsonText(text: string | undefined): unknown {
  if (text === undefined) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** What request templates see, in Compass's Go-style names. */
export function requestTemplateData(record: BundleInstanceAuthRecord): Record<string, unknown> {
  return {
    TenantID: record.tenantId,
    Application: { ID: record.applicationId },
    Bundle: { ID: record.bundleId },
    RuntimeID: record.runtimeId ?? '',
    BundleInstanceAuth: {
      ID: record.id,
      RuntimeID: record.runtimeId ?? '',
      Context: parseJsonText(record.context),
      InputParams: parseJsonText(record.inputParams),
    },
  };
}

/** Builds the creation request from the webhook's URL and templates (or the defaults). */
export function buildCreationRequest(webhook: Webhook, record: BundleInstanceAuthRecord): OutgoingRequest {
  return buildRequest(webhook, record, 'BUNDLE_INSTANCE_AUTH_CREATION');
}

/** Builds the deletion request: the same as the creation request, with its own type in the default body. */
export function buildDeletionRequest(webhook: Webhook, record: BundleInstanceAuthRecord): OutgoingRequest {
  return buildRequest(webhook, record, 'BUNDLE_INSTANCE_AUTH_DELETION');
}

function buildRequest(
  webhook: Webhook,
  record: BundleInstanceAuthRecord,
  type: CredentialRequestType,
): OutgoingRequest {
  const data = requestTemplateData(record);
  let method = 'POST';
  let url = webhook.url;
  if (webhook.urlTemplate) {
    const target = renderJsonTemplate(webhook.urlTemplate, data, 'urlTemplate') as {
      method?: unknown;
      path?: unknown;
    };
    if (typeof target?.method === 'string') method = target.method.toUpperCase();
    if (typeof target?.path === 'string') url = new URL(target.path, webhook.url).toString();
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (webhook.headerTemplate) {
    const rendered = renderJsonTemplate(webhook.headerTemplate, data, 'headerTemplate');
    for (const [name, values] of Object.entries((rendered ?? {}) as Record<string, unknown>)) {
      headers[name.toLowerCase()] = Array.isArray(values) ? values.map(String).join(', ') : String(values);
    }
  }
  if (webhook.correlationIdKey) headers[webhook.correlationIdKey.toLowerCase()] = record.id;
  const body = webhook.inputTemplate
    ? JSON.stringify(renderJsonTemplate(webhook.inputTemplate, data, 'inputTemplate'))
    : JSON.stringify(defaultRequestBody(record, type));
  return { method, url, headers, ...(method !== 'GET' && method !== 'HEAD' && { body }) };
}

/** Seconds or an HTTP date in Retry-After, as milliseconds from `nowMs`. */
export function retryAfterMs(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Statuses worth another attempt: the receiver is busy or broken for now. */
function isTransient(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

function parseBody(body: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(body) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function responseData(answer: IncomingAnswer): Record<string, unknown> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    headers[name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase())] = value;
  }
  return { Body: parseBody(answer.body), Headers: headers, StatusCode: answer.status };
}

/** The application's error, from `{"error": "text"}` or `{"error": {"reason", "message"}}`. */
function errorOf(value: unknown): { reason: string; message: string } | undefined {
  if (typeof value === 'string' && value !== '') return { reason: 'WebhookFailed', message: value };
  if (typeof value === 'object' && value !== null) {
    const e = value as Record<string, unknown>;
    const message = typeof e.message === 'string' && e.message !== '' ? e.message : undefined;
    const reason = typeof e.reason === 'string' && e.reason !== '' ? e.reason : 'WebhookFailed';
    if (message) return { reason, message };
  }
  return undefined;
}

/** The credentials in an answer, validated as an AuthInput would be. */
function credentials(raw: unknown): WebhookVerdict {
  const errors = new FieldErrors();
  const auth = checkAuthInput(errors, 'auth', raw);
  try {
    errors.throwIfAny('Auth');
  } catch (err) {
    return {
      kind: 'failed',
      reason: 'InvalidResponse',
      message: `the webhook answered invalid credentials: ${(err as Error).message}`,
    };
  }
  return auth
    ? { kind: 'succeeded', auth }
    : { kind: 'failed', reason: 'InvalidResponse', message: 'the webhook answered no credentials' };
}

function transientOrGone(
  answer: IncomingAnswer,
  goneStatus: number,
  nowMs: number,
): WebhookVerdict | undefined {
  if (answer.status === goneStatus) return { kind: 'gone', message: `the webhook answered ${answer.status}` };
  if (isTransient(answer.status)) {
    const after = retryAfterMs(answer.headers['retry-after'], nowMs);
    return {
      kind: 'retry',
      message: `the webhook answered ${answer.status}`,
      ...(after !== undefined && { retryAfterMs: after }),
    };
  }
  return undefined;
}

/** Reads the answer to a creation request (through outputTemplate when the webhook has one). */
export function readCreationAnswer(webhook: Webhook, answer: IncomingAnswer, nowMs: number): WebhookVerdict {
  return readAnswer(webhook, answer, nowMs, true);
}

/**
 * Reads the answer to a deletion request: a SYNC success needs no body; ASYNC and
 * ASYNC_CALLBACK answer as they do for creation.
 */
export function readDeletionAnswer(webhook: Webhook, answer: IncomingAnswer, nowMs: number): WebhookVerdict {
  return readAnswer(webhook, answer, nowMs, false);
}

function readAnswer(
  webhook: Webhook,
  answer: IncomingAnswer,
  nowMs: number,
  needsAuth: boolean,
): WebhookVerdict {
  const mode = webhook.mode ?? 'SYNC';
  try {
    const out = webhook.outputTemplate
      ? (renderJsonTemplate(webhook.outputTemplate, responseData(answer), 'outputTemplate') as Record<
          string,
          unknown
        >)
      : undefined;
    const goneStatus = typeof out?.gone_status_code === 'number' ? out.gone_status_code : 410;
    const early = transientOrGone(answer, goneStatus, nowMs);
    if (early) return early;
    if (out && typeof out.incomplete_status_code === 'number' && answer.status === out.incomplete_status_code)
      return { kind: 'retry', message: `the webhook answered ${answer.status} (incomplete)` };
    const body = out ?? parseBody(answer.body);
    const error = errorOf(body.error);
    const successStatus = typeof out?.success_status_code === 'number' ? out.success_status_code : undefined;
    const succeeded =
      successStatus !== undefined
        ? answer.status === successStatus
        : answer.status >= 200 && answer.status < 300;
    if (!succeeded || error)
      return {
        kind: 'failed',
        ...(error ?? { reason: 'WebhookFailed', message: `the webhook answered ${answer.status}` }),
      };
    if (!needsAuth && mode === 'SYNC') return { kind: 'succeeded' };
    if (needsAuth && body.auth !== undefined && body.auth !== null) return credentials(body.auth);
    if (mode === 'ASYNC') {
      const location =
        typeof body.location === 'string' && body.location !== '' ? body.location : answer.headers.location;
      if (!location)
        return {
          kind: 'failed',
          reason: 'InvalidResponse',
          message: 'the webhook answered no location to poll',
        };
      return { kind: 'in-progress', location };
    }
    if (mode === 'ASYNC_CALLBACK') return { kind: 'accepted' };
    return { kind: 'failed', reason: 'InvalidResponse', message: 'the webhook answered no credentials' };
  } catch (err) {
    if (err instanceof TemplateError)
      return { kind: 'failed', reason: 'InvalidResponse', message: err.message };
    throw err;
  }
}

/**
 * Reads the answer to a poll of an ASYNC webhook's location (through statusTemplate when
 * given); a deletion's success (`needsAuth` false) carries no credentials.
 */
export function readStatusAnswer(
  webhook: Webhook,
  answer: IncomingAnswer,
  nowMs: number,
  needsAuth = true,
): WebhookVerdict {
  try {
    const early = transientOrGone(answer, 410, nowMs);
    if (early) return early;
    const out = webhook.statusTemplate
      ? (renderJsonTemplate(webhook.statusTemplate, responseData(answer), 'statusTemplate') as Record<
          string,
          unknown
        >)
      : undefined;
    const body = parseBody(answer.body);
    const successStatus = typeof out?.success_status_code === 'number' ? out.success_status_code : 200;
    if (answer.status !== successStatus)
      return {
        kind: 'failed',
        reason: 'WebhookFailed',
        message: `the status endpoint answered ${answer.status}`,
      };
    const status = out ? out.status : body.status;
    const ids = {
      succeeded:
        typeof out?.success_status_identifier === 'string' ? out.success_status_identifier : 'SUCCEEDED',
      inProgress:
        typeof out?.in_progress_status_identifier === 'string'
          ? out.in_progress_status_identifier
          : 'IN_PROGRESS',
      failed: typeof out?.failed_status_identifier === 'string' ? out.failed_status_identifier : 'FAILED',
    };
    if (status === ids.inProgress) return { kind: 'in-progress' };
    if (status === ids.succeeded) {
      if (!needsAuth) return { kind: 'succeeded' };
      return credentials(out && out.auth !== undefined ? out.auth : body.auth);
    }
    if (status === ids.failed)
      return {
        kind: 'failed',
        ...(errorOf(out ? out.error : body.error) ?? {
          reason: 'WebhookFailed',
          message: 'the application reported a failure',
        }),
      };
    return {
      kind: 'failed',
      reason: 'InvalidResponse',
      message: `the status endpoint answered an unknown status ${JSON.stringify(status ?? null)}`,
    };
  } catch (err) {
    if (err instanceof TemplateError)
      return { kind: 'failed', reason: 'InvalidResponse', message: err.message };
    throw err;
  }
}
