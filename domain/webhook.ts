import { type Auth, checkAuthInput } from './auth';
import { FieldErrors, checkOptionalEnum, checkOptionalUrl } from './validation';

/**
 * When Compass calls an application's webhook: CONFIGURATION_CHANGED is classic's only type;
 * REGISTER_/UNREGISTER_APPLICATION are the lifecycle hooks the application workflow calls.
 */
export const ApplicationWebhookType = {
  CONFIGURATION_CHANGED: 'CONFIGURATION_CHANGED',
  REGISTER_APPLICATION: 'REGISTER_APPLICATION',
  UNREGISTER_APPLICATION: 'UNREGISTER_APPLICATION',
} as const;
export type ApplicationWebhookType = (typeof ApplicationWebhookType)[keyof typeof ApplicationWebhookType];

/** What a caller gives to add or replace a webhook. `auth` holds secrets: never log it. */
export interface WebhookInput {
  readonly type: ApplicationWebhookType;
  readonly url: string;
  readonly auth?: Auth;
}

/** A webhook of one application, in the application's tenant. */
export interface Webhook extends WebhookInput {
  readonly id: string;
  readonly tenantId: string;
  readonly applicationId: string;
}

const WEBHOOK_INPUT_KEYS = ['type', 'url', 'auth'];

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
  return {
    type: input.type as ApplicationWebhookType,
    url: input.url as string,
    ...(auth !== undefined && { auth }),
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
  raw.forEach((item, i) => checkWebhookInput(errors, `webhooks.${i}`, item));
}
