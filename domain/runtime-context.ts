import type { Labels } from './labels';
import type { Page } from './pagination';
import { checkLabels } from './labels';
import { FieldErrors, checkKnownKeys } from './validation';

/** A key/value context of a runtime (e.g. a namespace), labelled like its runtime. */
export interface RuntimeContext {
  readonly id: string;
  readonly tenantId: string;
  readonly runtimeId: string;
  readonly key: string;
  readonly value: string;
  readonly labels: Labels;
}

export interface RuntimeContextInput {
  readonly key: string;
  readonly value: string;
  readonly labels?: Labels;
}

const INPUT_KEYS = ['key', 'value', 'labels'];

/** Validates a RuntimeContextInput completely; returns a copy without null fields. */
export function validateRuntimeContextInput(input: unknown): RuntimeContextInput {
  const errors = new FieldErrors();
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    errors.add('input', 'must be an object');
    errors.throwIfAny('RuntimeContextInput');
  }
  const raw = input as Record<string, unknown>;
  checkKnownKeys(errors, raw, INPUT_KEYS);
  checkRequired(errors, 'key', raw.key, 512);
  checkRequired(errors, 'value', raw.value, 512);
  checkLabels(errors, 'labels', raw.labels);
  errors.throwIfAny('RuntimeContextInput');
  return {
    key: raw.key as string,
    value: raw.value as string,
    ...(raw.labels != null && { labels: raw.labels as Labels }),
  };
}

function checkRequired(errors: FieldErrors, field: string, value: unknown, max: number): void {
  if (typeof value !== 'string' || value.length === 0) return errors.add(field, 'cannot be blank');
  if (value.length > max) errors.add(field, `the length must be no more than ${max}`);
}

/** A page of runtime contexts, as the `RuntimeContextPage` GraphQL type returns it. */
export type RuntimeContextPage = Page<RuntimeContext>;
