import { InvalidDataError } from './errors';

/**
 * Field validation that collects every problem of one input before failing, so a client
 * sees all of them in one `Invalid data <Input> [field=problem; ...]` error.
 */
export class FieldErrors {
  private readonly errors: Record<string, string> = {};

  add(field: string, problem: string): void {
    this.errors[field] ??= problem;
  }

  /** Throws InvalidData naming `inputName` when any field failed. */
  throwIfAny(inputName: string): void {
    if (Object.keys(this.errors).length > 0) throw new InvalidDataError(inputName, this.errors);
  }
}

/** Compass's rule for application, runtime and integration system names. */
export function checkName(errors: FieldErrors, field: string, value: unknown): void {
  if (typeof value !== 'string' || value.length === 0) return errors.add(field, 'cannot be blank');
  if (value.length > 36) return errors.add(field, 'the length must be no more than 36');
  if (/^[0-9]/.test(value)) return errors.add(field, 'cannot start with digit');
  if (!/^[a-z0-9.-]+$/.test(value)) {
    errors.add(field, "must contain only lowercase letters, digits, '-' and '.'");
  }
}

/** Optional string no longer than `max` characters. */
export function checkOptionalString(errors: FieldErrors, field: string, value: unknown, max: number): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string') return errors.add(field, 'must be a string');
  if (value.length > max) errors.add(field, `the length must be no more than ${max}`);
}

/** Optional absolute http(s) URL no longer than `max` characters. */
export function checkOptionalUrl(errors: FieldErrors, field: string, value: unknown, max = 256): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string') return errors.add(field, 'must be a string');
  if (value.length > max) return errors.add(field, `the length must be no more than ${max}`);
  if (!/^https?:\/\/[^\s/$.?#][^\s]*$/i.test(value)) errors.add(field, 'must be a valid URL');
}

/** Optional value that must be one of `allowed`. */
export function checkOptionalEnum(
  errors: FieldErrors,
  field: string,
  value: unknown,
  allowed: readonly string[],
): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string' || !allowed.includes(value)) {
    errors.add(field, `must be one of ${allowed.join(', ')}`);
  }
}

/** Rejects keys an input may not introduce, whatever the schema layer let through. */
export function checkKnownKeys(
  errors: FieldErrors,
  input: Record<string, unknown>,
  known: readonly string[],
): void {
  for (const key of Object.keys(input)) {
    if (!known.includes(key)) errors.add(key, 'unknown field');
  }
}
