import type { Page } from './pagination';
import { FieldErrors, checkKnownKeys, checkName, checkOptionalString } from './validation';

/** An external system that manages applications and runtimes for many tenants; global. */
export interface IntegrationSystem {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
}

export type IntegrationSystemFields = Omit<IntegrationSystem, 'id'>;

export type IntegrationSystemPage = Page<IntegrationSystem>;

/** Validates an IntegrationSystemInput; the name follows the rule for application names. */
export function validateIntegrationSystemInput(input: unknown): IntegrationSystemFields {
  const errors = new FieldErrors();
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    errors.add('input', 'must be an object');
    errors.throwIfAny('IntegrationSystemInput');
  }
  const raw = input as Record<string, unknown>;
  checkKnownKeys(errors, raw, ['name', 'description']);
  checkName(errors, 'name', raw.name);
  checkOptionalString(errors, 'description', raw.description, 2000);
  errors.throwIfAny('IntegrationSystemInput');
  return {
    name: raw.name as string,
    ...(typeof raw.description === 'string' && { description: raw.description }),
  };
}
