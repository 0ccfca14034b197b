import { CANNOT_BE_BLANK, INVALID_FORMAT, lengthNoMoreThan } from './error-texts';
import type { FieldErrors } from './validation';

/** Labels attach arbitrary JSON values to objects under restricted keys. */
export type Labels = Record<string, unknown>;

const LABEL_KEY = /^[a-zA-Z0-9_]+$/;
const MAX_LABEL_KEY = 256;

/** What is wrong with a label key by Compass's LabelInput rule (its words), or undefined. */
export function labelKeyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string' || key === '') return CANNOT_BE_BLANK;
  if ([...key].length > MAX_LABEL_KEY) return lengthNoMoreThan(MAX_LABEL_KEY);
  if (!LABEL_KEY.test(key)) return INVALID_FORMAT;
  return undefined;
}

/** Whether an object can carry a label with this key. */
export function isLabelKey(key: string): boolean {
  return labelKeyProblem(key) === undefined;
}

/**
 * Checks label keys (Compass's alphabet) and values. Values may be any JSON, except what the
 * document store cannot hold safely: keys starting with `$` or containing `.` at any depth
 * (operator injection) and arrays nested directly in arrays.
 */
export function checkLabels(errors: FieldErrors, field: string, labels: unknown): void {
  if (labels === undefined || labels === null) return;
  if (typeof labels !== 'object' || Array.isArray(labels)) return errors.add(field, 'must be an object');
  for (const [key, value] of Object.entries(labels)) {
    if (!LABEL_KEY.test(key) || key.length > MAX_LABEL_KEY) {
      errors.add(`${field}.${key}`, `key must be 1-${MAX_LABEL_KEY} letters, digits or underscores`);
      continue;
    }
    const problem = storableJsonProblem(value, false);
    if (problem) errors.add(`${field}.${key}`, problem);
  }
}

function storableJsonProblem(value: unknown, insideArray: boolean): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : 'numbers must be finite';
  if (Array.isArray(value)) {
    if (insideArray) return 'arrays may not be nested directly in arrays';
    for (const item of value) {
      const p = storableJsonProblem(item, true);
      if (p) return p;
    }
    return undefined;
  }
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k.startsWith('$') || k.includes('.')) return `object keys may not start with '$' or contain '.'`;
      const p = storableJsonProblem(v, false);
      if (p) return p;
    }
    return undefined;
  }
  return 'must be JSON';
}
