import type { Labels } from './labels';
import type { Page } from './pagination';
import { checkWebhookInputs } from './webhook';
import { type BundleCreateInput, checkBundleCreateInputs } from './bundle';
import { checkLabels } from './labels';
import { checkApplicationName } from './application-name';
import {
  FieldErrors,
  checkKnownKeys,
  checkOptionalEnum,
  checkOptionalString,
  checkOptionalUrl,
} from './validation';

export const ApplicationStatusCondition = {
  INITIAL: 'INITIAL',
  CONNECTED: 'CONNECTED',
  FAILED: 'FAILED',
} as const;
export type ApplicationStatusCondition =
  (typeof ApplicationStatusCondition)[keyof typeof ApplicationStatusCondition];

export interface ApplicationStatus {
  readonly condition: ApplicationStatusCondition;
  /** ISO-8601 time of the last condition change. */
  readonly timestamp: string;
}

/** An Application as the domain sees it: an external system registered in one tenant. */
export interface Application {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly providerName?: string;
  readonly description?: string;
  readonly healthCheckURL?: string;
  readonly integrationSystemID?: string;
  /** The application's base URL (HEAD's `Application.baseUrl`). */
  readonly baseUrl?: string;
  readonly labels: Labels;
  readonly status: ApplicationStatus;
  readonly createdAt: string;
  /** Its bundles' IDs in creation order: how its bundles are read. */
  readonly bundleIds?: readonly string[];
  /** Its webhooks' IDs in creation order: how its webhooks are read. */
  readonly webhookIds?: readonly string[];
}

/** What a caller may give when registering an application. */
export interface ApplicationRegisterInput {
  readonly name: string;
  readonly providerName?: string;
  readonly description?: string;
  readonly healthCheckURL?: string;
  readonly labels?: Labels;
  readonly statusCondition?: ApplicationStatusCondition;
  readonly integrationSystemID?: string;
  readonly baseUrl?: string;
  /**
   * As given (AuthInput shapes), so validating again is idempotent; the workflow stores them
   * with the application, before it. They carry secrets in `auth`.
   */
  readonly webhooks?: readonly unknown[];
  /** Created with the application, before it, each with its APIs, events and documents. */
  readonly bundles?: readonly BundleCreateInput[];
}

const REGISTER_INPUT_KEYS = [
  'name',
  'providerName',
  'description',
  'healthCheckURL',
  'labels',
  'statusCondition',
  'integrationSystemID',
  'baseUrl',
  'webhooks',
  'bundles',
];

/**
 * Validates a registration input completely, before anything is written anywhere.
 * Returns a copy without null/undefined fields.
 */
export function validateApplicationRegisterInput(input: unknown): ApplicationRegisterInput {
  const errors = new FieldErrors();
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    errors.add('input', 'must be an object');
    errors.throwIfAny('ApplicationRegisterInput');
  }
  const raw = input as Record<string, unknown>;
  checkKnownKeys(errors, raw, REGISTER_INPUT_KEYS);
  checkApplicationName(errors, 'name', raw.name);
  checkOptionalString(errors, 'providerName', raw.providerName, 256);
  checkOptionalString(errors, 'description', raw.description, 2000);
  checkOptionalUrl(errors, 'healthCheckURL', raw.healthCheckURL);
  checkOptionalString(errors, 'integrationSystemID', raw.integrationSystemID, 36);
  checkOptionalUrl(errors, 'baseUrl', raw.baseUrl);
  checkWebhookInputs(errors, raw.webhooks);
  checkBundleCreateInputs(errors, 'bundles', raw.bundles, '');
  checkLabels(errors, 'labels', raw.labels);
  checkOptionalEnum(
    errors,
    'statusCondition',
    raw.statusCondition,
    Object.values(ApplicationStatusCondition),
  );
  errors.throwIfAny('ApplicationRegisterInput');

  const out: Record<string, unknown> = {};
  for (const key of REGISTER_INPUT_KEYS) {
    if (raw[key] !== undefined && raw[key] !== null) out[key] = raw[key];
  }
  return out as unknown as ApplicationRegisterInput;
}

/** The application a valid registration produces, at time `now` (ISO). */
export function newApplication(
  tenantId: string,
  id: string,
  input: ApplicationRegisterInput,
  now: string,
): Application {
  return {
    id,
    tenantId,
    name: input.name,
    ...(input.providerName !== undefined && { providerName: input.providerName }),
    ...(input.description !== undefined && { description: input.description }),
    ...(input.healthCheckURL !== undefined && { healthCheckURL: input.healthCheckURL }),
    ...(input.integrationSystemID !== undefined && { integrationSystemID: input.integrationSystemID }),
    ...(input.baseUrl !== undefined && { baseUrl: input.baseUrl }),
    labels: { ...input.labels },
    status: { condition: input.statusCondition ?? ApplicationStatusCondition.INITIAL, timestamp: now },
    createdAt: now,
  };
}

/** A page of applications, as the `ApplicationPage` GraphQL type returns it. */
export type ApplicationPage = Page<Application>;
