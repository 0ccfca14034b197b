import { type Application, ApplicationStatusCondition } from './application';
import {
  FieldErrors,
  checkKnownKeys,
  checkOptionalEnum,
  checkOptionalString,
  checkOptionalUrl,
} from './validation';

/**
 * What `updateApplication` may change. The name is immutable. As in Compass the metadata
 * fields are replaced (an omitted one is cleared); an omitted `statusCondition` keeps the status.
 */
export interface ApplicationUpdateInput {
  readonly providerName?: string;
  readonly description?: string;
  readonly healthCheckURL?: string;
  readonly integrationSystemID?: string;
  readonly baseUrl?: string;
  readonly statusCondition?: ApplicationStatusCondition;
}

const UPDATE_INPUT_KEYS = [
  'providerName',
  'description',
  'healthCheckURL',
  'integrationSystemID',
  'baseUrl',
  'statusCondition',
] as const;

/** Validates an update input completely; returns a copy without null/undefined fields. */
export function validateApplicationUpdateInput(input: unknown): ApplicationUpdateInput {
  const errors = new FieldErrors();
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    errors.add('input', 'must be an object');
    errors.throwIfAny('ApplicationUpdateInput');
  }
  const raw = input as Record<string, unknown>;
  checkKnownKeys(errors, raw, UPDATE_INPUT_KEYS);
  checkOptionalString(errors, 'providerName', raw.providerName, 256);
  checkOptionalString(errors, 'description', raw.description, 2000);
  checkOptionalUrl(errors, 'healthCheckURL', raw.healthCheckURL);
  checkOptionalString(errors, 'integrationSystemID', raw.integrationSystemID, 36);
  checkOptionalUrl(errors, 'baseUrl', raw.baseUrl);
  checkOptionalEnum(
    errors,
    'statusCondition',
    raw.statusCondition,
    Object.values(ApplicationStatusCondition),
  );
  errors.throwIfAny('ApplicationUpdateInput');
  const out: Record<string, unknown> = {};
  for (const key of UPDATE_INPUT_KEYS) {
    if (raw[key] !== undefined && raw[key] !== null) out[key] = raw[key];
  }
  return out as ApplicationUpdateInput;
}

/**
 * The stored fields an update sets and clears, at time `now` (ISO). The protected
 * `integrationSystemID` label follows the field; the status timestamp moves only when the
 * condition changes.
 */
export function applicationUpdateChanges(
  current: Application,
  input: ApplicationUpdateInput,
  now: string,
): { set: Record<string, unknown>; unset: string[] } {
  const set: Record<string, unknown> = {
    'labels.integrationSystemID': input.integrationSystemID ?? '',
  };
  const unset: string[] = [];
  for (const key of [
    'providerName',
    'description',
    'healthCheckURL',
    'integrationSystemID',
    'baseUrl',
  ] as const) {
    if (input[key] === undefined) unset.push(key);
    else set[key] = input[key];
  }
  if (input.statusCondition !== undefined && input.statusCondition !== current.status.condition) {
    set.status = { condition: input.statusCondition, timestamp: now };
  }
  return { set, unset };
}
