import { type Auth, checkAuthInput } from './auth';
import { InvalidOperationError } from './errors';
import { FieldErrors, checkKnownKeys, checkOptionalString } from './validation';

/** Where a credential request stands (Compass's BundleInstanceAuthStatusCondition). */
export const BundleInstanceAuthStatusCondition = {
  PENDING: 'PENDING',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  UNUSED: 'UNUSED',
} as const;
export type BundleInstanceAuthStatusCondition =
  (typeof BundleInstanceAuthStatusCondition)[keyof typeof BundleInstanceAuthStatusCondition];

export interface BundleInstanceAuthStatus {
  readonly condition: BundleInstanceAuthStatusCondition;
  readonly timestamp: string;
  readonly message: string;
  readonly reason: string;
}

/**
 * Reasons and messages of the statuses this project writes. The first five are Compass's; the
 * FAILED ones after them are the outcomes of calling the application's webhook, which
 * Compass never did, and DeletionWebhookFailed an UNUSED request its deletion webhook did not
 * delete.
 */
export const StatusReason = {
  CredentialsProvided: 'Credentials were provided.',
  CredentialsNotProvided: 'Credentials were not yet provided.',
  PendingNotification: 'Credentials were requested from the application; its webhook is being called.',
  NotificationSent: 'The application accepted the request and will provide the credentials.',
  PendingDeletion:
    'Credentials for given Bundle Instance Auth are ready for being deleted by Application or Integration System.',
  WebhookRefused: 'The application refused the request (410 Gone).',
  WebhookFailed: 'The application webhook could not be called.',
  WebhookAddressNotAllowed: 'The application webhook is on an address that may not be called.',
  InvalidResponse: 'The application webhook answered something that is not a valid answer.',
  Timeout: 'The credentials were not provided in time.',
  DeletionWebhookFailed:
    'The application webhook did not delete the credentials; they are ready for being deleted by Application or Integration System.',
} as const;
export type StatusReason = keyof typeof StatusReason;

/** A status with one of this project's reasons and its message (or a more specific one). */
export function statusOf(
  condition: BundleInstanceAuthStatusCondition,
  reason: StatusReason,
  timestamp: string,
  message: string = StatusReason[reason],
): BundleInstanceAuthStatus {
  return { condition, reason, message, timestamp };
}

/** One credential request of one bundle, as stored: the credentials only sealed (encrypted). */
export interface BundleInstanceAuthRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly bundleId: string;
  readonly applicationId: string;
  /** The runtime that requested it; absent when a user or integration system did. */
  readonly runtimeId?: string;
  /** Stringified JSON, as given. */
  readonly context?: string;
  /** Stringified JSON, as given (validated against the bundle's instanceAuthRequestInputSchema). */
  readonly inputParams?: string;
  /** The Auth, sealed by the installation's secret box: never plaintext in history or at rest. */
  readonly authSealed?: string;
  readonly status: BundleInstanceAuthStatus;
  readonly createdAt: string;
}

/** A credential request as the API returns it: its Auth opened for an entitled caller. */
export type BundleInstanceAuth = Omit<BundleInstanceAuthRecord, 'authSealed'> & { readonly auth?: Auth };

/** What a validated BundleInstanceAuthRequestInput carries. */
export interface BundleInstanceAuthRequest {
  readonly context?: string;
  readonly inputParams?: string;
}

/** What a validated BundleInstanceAuthSetInput carries (before the auth is sealed). */
export interface BundleInstanceAuthSet {
  readonly auth?: Auth;
  readonly status?: {
    readonly condition: 'SUCCEEDED' | 'FAILED';
    readonly message: string;
    readonly reason: string;
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A stringified JSON field: parsed to check it, kept as text. */
function checkJsonText(errors: FieldErrors, field: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return void errors.add(field, 'must be stringified JSON');
  try {
    JSON.parse(value);
  } catch {
    return void errors.add(field, 'must be stringified JSON');
  }
  if (value.length > 64 * 1024) return void errors.add(field, 'the length must be no more than 65536');
  return value;
}

/** Validates a BundleInstanceAuthRequestInput (its inputParams schema is checked by the caller). */
export function validateBundleInstanceAuthRequestInput(raw: unknown): BundleInstanceAuthRequest {
  const errors = new FieldErrors();
  const input = isObject(raw) ? raw : {};
  if (!isObject(raw)) errors.add('in', 'must be an object');
  checkKnownKeys(errors, input, ['context', 'inputParams']);
  const context = checkJsonText(errors, 'context', input.context);
  const inputParams = checkJsonText(errors, 'inputParams', input.inputParams);
  errors.throwIfAny('BundleInstanceAuthRequestInput');
  return { ...(context !== undefined && { context }), ...(inputParams !== undefined && { inputParams }) };
}

/**
 * Validates a BundleInstanceAuthSetInput with Compass's rules: without `auth` the status is
 * required; with `auth` the status, if given, must be SUCCEEDED; a FAILED status carries no auth.
 */
export function validateBundleInstanceAuthSetInput(raw: unknown): BundleInstanceAuthSet {
  const errors = new FieldErrors();
  const input = isObject(raw) ? raw : {};
  if (!isObject(raw)) errors.add('in', 'must be an object');
  checkKnownKeys(errors, input, ['auth', 'status']);
  const auth = checkAuthInput(errors, 'auth', input.auth);
  let status: BundleInstanceAuthSet['status'];
  if (input.status != null) {
    const s = input.status;
    if (!isObject(s)) errors.add('status', 'must be an object');
    else {
      checkKnownKeys(errors, s, ['condition', 'message', 'reason']);
      const condition = s.condition ?? 'SUCCEEDED';
      if (condition !== 'SUCCEEDED' && condition !== 'FAILED')
        errors.add('status.condition', 'must be one of SUCCEEDED, FAILED');
      for (const f of ['message', 'reason'] as const) {
        if (typeof s[f] !== 'string' || s[f].trim() === '') errors.add(`status.${f}`, 'cannot be blank');
        else checkOptionalString(errors, `status.${f}`, s[f], 2000);
      }
      status = { condition, message: s.message, reason: s.reason } as BundleInstanceAuthSet['status'];
    }
  }
  if (auth === undefined && status === undefined)
    errors.add('status', 'cannot be blank when auth is not provided');
  if (auth !== undefined && status && status.condition !== 'SUCCEEDED')
    errors.add('status.condition', 'must be SUCCEEDED when auth is provided');
  errors.throwIfAny('BundleInstanceAuthSetInput');
  return { ...(auth !== undefined && { auth }), ...(status && { status }) };
}

/** Compass's answer to setBundleInstanceAuth outside PENDING. */
export function notPendingError(id: string): InvalidOperationError {
  return new InvalidOperationError('auth can be set only on BundleInstanceAuths in PENDING state', {
    ID: id,
  });
}
