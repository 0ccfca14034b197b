import type { ApplicationRegisterInput } from './application';
import { normalizeApplicationName } from './application-name';
import { DEFAULT_SCENARIO, SCENARIOS_KEY } from './label-definitions';
import { InvalidDataError } from './errors';
import type { Labels } from './labels';

/**
 * Labels Compass keeps in step with the application's own fields: only registration and
 * updates write them, never `setApplicationLabel` or `deleteApplicationLabel`.
 */
export const PROTECTED_APPLICATION_LABELS: readonly string[] = ['name', 'integrationSystemID'];

/** Refuses a direct edit of a protected label. */
export function checkLabelNotProtected(key: string): void {
  if (PROTECTED_APPLICATION_LABELS.includes(key)) {
    throw new InvalidDataError('Label', { [key]: 'is a protected label and cannot be changed' });
  }
}

/**
 * The labels a registration stores: the given ones, the protected `name` (the normalised
 * name, as Compass stores it) and `integrationSystemID` (the ID or ""), and
 * `scenarios: ["DEFAULT"]` when none is given.
 */
export function registrationLabels(input: ApplicationRegisterInput): Labels {
  return {
    ...(input.labels?.[SCENARIOS_KEY] === undefined && { [SCENARIOS_KEY]: [DEFAULT_SCENARIO] }),
    ...input.labels,
    name: normalizeApplicationName(input.name),
    integrationSystemID: input.integrationSystemID ?? '',
  };
}
