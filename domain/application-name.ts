import { CANNOT_BE_BLANK, lengthBetween } from './error-texts';
import type { FieldErrors } from './validation';

/** Compass's limit on application names, counted in characters (code points). */
export const APPLICATION_NAME_MAX_LENGTH = 36;

const NORMALIZED_PREFIX = 'mp-';

/** Lower case, every character outside [-a-z0-9] a dash, dash runs collapsed, no trailing dash. */
function normalize(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^-a-z0-9]/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/-$/, '');
}

/**
 * Compass's default normaliser: `mp-` followed by the name in lower case with every run of
 * other characters than [-a-z0-9] a single dash and no trailing dash (`Wordpress` →
 * `mp-wordpress`, `app@wordpress` → `mp-app-wordpress`). A name that is already normalised
 * is kept (`mp-wordpress` stays), so normalising twice changes nothing. The application's
 * protected `name` label holds it, names are unique by it within a tenant, and runtimes see
 * it unless they ask for raw names.
 */
export function normalizeApplicationName(name: string): string {
  if (name.startsWith(NORMALIZED_PREFIX) && normalize(name) === name) return name;
  return normalize(NORMALIZED_PREFIX + name);
}

/**
 * Compass's rule for application names: required, 1 to 36 characters, anything else goes
 * (`app@wordpress`, `Wordpress`); clashes are judged on the normalised name.
 */
export function checkApplicationName(errors: FieldErrors, field: string, value: unknown): void {
  if (typeof value !== 'string' || value.length === 0) return errors.add(field, CANNOT_BE_BLANK);
  if ([...value].length > APPLICATION_NAME_MAX_LENGTH) {
    errors.add(field, lengthBetween(1, APPLICATION_NAME_MAX_LENGTH));
  }
}
