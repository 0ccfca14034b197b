import { validateApplicationRegisterInput } from './application';
import { InvalidDataError } from './errors';
import type { Page } from './pagination';
import { placeholderReferences, sampleValues, substitutePlaceholders } from './template-placeholders';
import { FieldErrors, checkKnownKeys, checkOptionalEnum, checkOptionalString } from './validation';

export const ApplicationTemplateAccessLevel = { GLOBAL: 'GLOBAL' } as const;
export type ApplicationTemplateAccessLevel =
  (typeof ApplicationTemplateAccessLevel)[keyof typeof ApplicationTemplateAccessLevel];

/** A named value a template's application input refers to as `{{name}}`. */
export interface PlaceholderDefinition {
  readonly name: string;
  readonly description?: string;
}

/**
 * A blueprint for applications, shared by every tenant. `applicationInput` is the
 * ApplicationRegisterInput as JSON text with `{{placeholder}}` references.
 */
export interface ApplicationTemplate {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly applicationInput: string;
  readonly placeholders: readonly PlaceholderDefinition[];
  readonly accessLevel: ApplicationTemplateAccessLevel;
}

/** A validated ApplicationTemplateInput, ready to store under an ID. */
export type ApplicationTemplateFields = Omit<ApplicationTemplate, 'id'>;

export type ApplicationTemplatePage = Page<ApplicationTemplate>;

const INPUT_KEYS = ['name', 'description', 'applicationInput', 'placeholders', 'accessLevel'];
const PLACEHOLDER_NAME = /^[A-Za-z0-9_-]{1,36}$/;

/**
 * Validates a template completely: its own fields, its placeholders, and its application
 * input, which must be a valid registration once every placeholder holds a sample value and
 * may refer only to declared placeholders. So a template that could never register an
 * application is refused when it is created, not when it is used.
 */
export function validateApplicationTemplateInput(input: unknown): ApplicationTemplateFields {
  const errors = new FieldErrors();
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    errors.add('input', 'must be an object');
    errors.throwIfAny('ApplicationTemplateInput');
  }
  const raw = input as Record<string, unknown>;
  checkKnownKeys(errors, raw, INPUT_KEYS);
  if (typeof raw.name !== 'string' || raw.name.trim() === '') errors.add('name', 'cannot be blank');
  else if (raw.name.length > 100) errors.add('name', 'the length must be no more than 100');
  checkOptionalString(errors, 'description', raw.description, 2000);
  if (raw.accessLevel === undefined || raw.accessLevel === null) errors.add('accessLevel', 'cannot be blank');
  checkOptionalEnum(errors, 'accessLevel', raw.accessLevel, Object.values(ApplicationTemplateAccessLevel));
  const placeholders = checkPlaceholders(errors, raw.placeholders);

  let applicationInput = '';
  if (typeof raw.applicationInput !== 'object' || raw.applicationInput === null) {
    errors.add('applicationInput', 'cannot be blank');
  } else {
    applicationInput = JSON.stringify(raw.applicationInput);
    const declared = placeholders.map((p) => p.name);
    for (const name of placeholderReferences(applicationInput)) {
      if (!declared.includes(name))
        errors.add(`applicationInput.{{${name}}}`, 'is not a declared placeholder');
    }
    checkApplicationInput(errors, applicationInput, declared);
  }
  errors.throwIfAny('ApplicationTemplateInput');

  return {
    name: raw.name as string,
    ...(typeof raw.description === 'string' && { description: raw.description }),
    applicationInput,
    placeholders,
    accessLevel: raw.accessLevel as ApplicationTemplateAccessLevel,
  };
}

function checkPlaceholders(errors: FieldErrors, value: unknown): PlaceholderDefinition[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    errors.add('placeholders', 'must be a list');
    return [];
  }
  const out: PlaceholderDefinition[] = [];
  value.forEach((item: unknown, i) => {
    const p = (item ?? {}) as Record<string, unknown>;
    const field = `placeholders[${i}]`;
    if (typeof p.name !== 'string' || !PLACEHOLDER_NAME.test(p.name)) {
      return errors.add(`${field}.name`, 'must be 1-36 letters, digits, underscores or dashes');
    }
    if (out.some((o) => o.name === p.name)) return errors.add(`${field}.name`, 'is declared more than once');
    checkOptionalString(errors, `${field}.description`, p.description, 2000);
    out.push({ name: p.name, ...(typeof p.description === 'string' && { description: p.description }) });
  });
  return out;
}

function checkApplicationInput(errors: FieldErrors, json: string, declared: readonly string[]): void {
  try {
    validateApplicationRegisterInput(JSON.parse(substitutePlaceholders(json, sampleValues(declared))));
  } catch (err) {
    if (!(err instanceof InvalidDataError)) throw err;
    for (const [field, problem] of Object.entries(err.details)) {
      errors.add(`applicationInput.${field}`, problem);
    }
  }
}
