import { type Auth, checkAuthInput } from './auth';
import { FieldErrors, checkOptionalEnum, checkOptionalString, checkOptionalUrl } from './validation';
import { checkTemplate } from './webhook-template';

/**
 * When Compass calls an application's webhook: CONFIGURATION_CHANGED is classic's only type;
 * REGISTER_/UNREGISTER_APPLICATION are the lifecycle hooks the application workflow calls;
 * BUNDLE_INSTANCE_AUTH_CREATION and BUNDLE_INSTANCE_AUTH_DELETION are called by the
 * credential-request workflow for credentials and to delete them.
 */
export const ApplicationWebhookType = {
  CONFIGURATION_CHANGED: 'CONFIGURATION_CHANGED',
  REGISTER_APPLICATION: 'REGISTER_APPLICATION',
  UNREGISTER_APPLICATION: 'UNREGISTER_APPLICATION',
  BUNDLE_INSTANCE_AUTH_CREATION: 'BUNDLE_INSTANCE_AUTH_CREATION',
  BUNDLE_INSTANCE_AUTH_DELETION: 'BUNDLE_INSTANCE_AUTH_DELETION',
} as const;
export type ApplicationWebhookType = (typeof ApplicationWebhookType)[keyof typeof ApplicationWebhookType];

/**
 * How the application answers (Compass HEAD's WebhookMode): SYNC in the response; ASYNC with
 * a location polled every retryInterval; ASYNC_CALLBACK by calling the API later.
 */
export const WebhookMode = { SYNC: 'SYNC', ASYNC: 'ASYNC', ASYNC_CALLBACK: 'ASYNC_CALLBACK' } as const;
export type WebhookMode = (typeof WebhookMode)[keyof typeof WebhookMode];

/** The template fields of a webhook (Compass HEAD), each a template rendered into JSON. */
export const WEBHOOK_TEMPLATE_FIELDS = [
  'urlTemplate',
  'inputTemplate',
  'headerTemplate',
  'outputTemplate',
  'statusTemplate',
] as const;
export type WebhookTemplateField = (typeof WEBHOOK_TEMPLATE_FIELDS)[number];

/** What a caller gives to add or replace a webhook. `auth` holds secrets: never log it. */
export interface WebhookInput extends Partial<Record<WebhookTemplateField, string>> {
  readonly type: ApplicationWebhookType;
  readonly url: string;
  readonly auth?: Auth;
  /** Default SYNC. */
  readonly mode?: WebhookMode;
  /** Seconds between polls of an ASYNC webhook's location. */
  readonly retryInterval?: number;
  /** Seconds an ASYNC or ASYNC_CALLBACK webhook has to answer in the end. */
  readonly timeout?: number;
  /** Header carrying the request's correlation ID (the bundle instance auth ID). */
  readonly correlationIdKey?: string;
}

/** A webhook of one application, in the application's tenant. */
export interface Webhook extends WebhookInput {
  readonly id: string;
  readonly tenantId: string;
  readonly applicationId: string;
  /** Its Standard Webhooks signing secret, sealed by the secret box; shown once when created. */
  readonly secretSealed?: string;
}

/** Webhook types whose deliveries are signed and must be added with addWebhook (which shows the secret). */
export const SIGNED_WEBHOOK_TYPES: readonly ApplicationWebhookType[] = [
  ApplicationWebhookType.BUNDLE_INSTANCE_AUTH_CREATION,
  ApplicationWebhookType.BUNDLE_INSTANCE_AUTH_DELETION,
];

const WEBHOOK_INPUT_KEYS = [
  'type',
  'url',
  'auth',
  'mode',
  'retryInterval',
  'timeout',
  'correlationIdKey',
  ...WEBHOOK_TEMPLATE_FIELDS,
];

function checkOptionalSeconds(errors: FieldErrors, field: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 30 * 86_400)
    errors.add(field, 'must be a whole number of seconds from 1 to 2592000');
}

/** Checks one WebhookInput under `field`, collecting problems; returns the normalised input. */
export function checkWebhookInput(
  errors: FieldErrors,
  field: string,
  raw: unknown,
): WebhookInput | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    errors.add(field, 'must be an object');
    return undefined;
  }
  const input = raw as Record<string, unknown>;
  const prefix = field ? `${field}.` : '';
  for (const key of Object.keys(input)) {
    if (!WEBHOOK_INPUT_KEYS.includes(key)) errors.add(`${prefix}${key}`, 'unknown field');
  }
  if (input.type === undefined || input.type === null) errors.add(`${prefix}type`, 'cannot be blank');
  checkOptionalEnum(errors, `${prefix}type`, input.type, Object.values(ApplicationWebhookType));
  if (typeof input.url !== 'string' || input.url === '') errors.add(`${prefix}url`, 'cannot be blank');
  checkOptionalUrl(errors, `${prefix}url`, input.url);
  const auth = checkAuthInput(errors, `${prefix}auth`, input.auth);
  checkOptionalEnum(errors, `${prefix}mode`, input.mode, Object.values(WebhookMode));
  checkOptionalSeconds(errors, `${prefix}retryInterval`, input.retryInterval);
  checkOptionalSeconds(errors, `${prefix}timeout`, input.timeout);
  checkOptionalString(errors, `${prefix}correlationIdKey`, input.correlationIdKey, 256);
  if (typeof input.correlationIdKey === 'string' && !/^[A-Za-z0-9-]+$/.test(input.correlationIdKey))
    errors.add(`${prefix}correlationIdKey`, 'must be an HTTP header name');
  const optional: Record<string, unknown> = {};
  for (const key of ['mode', 'retryInterval', 'timeout', 'correlationIdKey', ...WEBHOOK_TEMPLATE_FIELDS]) {
    if (input[key] !== undefined && input[key] !== null) optional[key] = input[key];
  }
  for (const key of WEBHOOK_TEMPLATE_FIELDS) {
    const template = input[key];
    if (template === undefined || template === null) continue;
    checkOptionalString(errors, `${prefix}${key}`, template, 8192);
    const problem = typeof template === 'string' ? checkTemplate(template) : undefined;
    if (problem) errors.add(`${prefix}${key}`, problem);
  }
  return {
    type: input.type as ApplicationWebhookType,
    url: input.url as string,
    ...(auth !== undefined && { auth }),
    ...optional,
  };
}

/** Validates a WebhookInput completely before anything is written. */
export function validateWebhookInput(raw: unknown): WebhookInput {
  const errors = new FieldErrors();
  const input = checkWebhookInput(errors, '', raw);
  errors.throwIfAny('WebhookInput');
  return input!;
}

/** The webhook a valid input produces for an application. */
export function newWebhook(
  tenantId: string,
  applicationId: string,
  id: string,
  input: WebhookInput,
): Webhook {
  return { id, tenantId, applicationId, ...input };
}

/** Checks the optional `webhooks` list of a registration input. */
export function checkWebhookInputs(errors: FieldErrors, raw: unknown): void {
  if (raw === undefined || raw === null) return;
  if (!Array.isArray(raw)) return errors.add('webhooks', 'must be a list');
  raw.forEach((item, i) => {
    const input = checkWebhookInput(errors, `webhooks.${i}`, item);
    // Its signing secret is shown once, by addWebhook; a registration has nowhere to show it.
    if (input && SIGNED_WEBHOOK_TYPES.includes(input.type))
      errors.add(
        `webhooks.${i}.type`,
        'add webhooks of this type with addWebhook, which returns their secret',
      );
  });
}
