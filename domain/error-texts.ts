/**
 * Compass's error wording, kept in one place so that clients matching on Director messages
 * keep working. Field messages are those of ozzo-validation (Compass's input validation);
 * JSON Schema descriptions are those of gojsonschema (Compass's schema validator); the rest
 * come from the Director's label and label definition services.
 */

// ozzo-validation field messages.

/** A required field is missing or empty. */
export const CANNOT_BE_BLANK = 'cannot be blank';
/** A string does not match the field's pattern. */
export const INVALID_FORMAT = 'must be in a valid format';
/** A value outside the field's allowed set. */
export const INVALID_VALUE = 'must be a valid value';

/** A string longer than `max` characters, for a field without a minimum. */
export function lengthNoMoreThan(max: number): string {
  return `the length must be no more than ${max}`;
}

/** A string outside `min`..`max` characters. */
export function lengthBetween(min: number, max: number): string {
  return `the length must be between ${min} and ${max}`;
}

// Label definitions and label values.

/** deleteLabelDefinition while labels still use the key (InvalidOperation). */
export const LABEL_DEFINITION_IN_USE =
  'could not delete label definition, it is already used by at least one label';

/** deleteLabelDefinition of the `scenarios` definition (InvalidOperation). */
export const SCENARIOS_DEFINITION_NOT_DELETABLE = 'Label Definition with key scenarios can not be deleted';

/** A `scenarios` definition given without a schema. */
export const SCENARIOS_SCHEMA_REQUIRED = 'schema can not be nil';

/** The `rule.validSchema` message of a schema the `scenarios` definition may not have. */
export function invalidScenariosSchema(problem: string): string {
  return `while validating schema for key scenarios: ${problem}`;
}

/** The `rule.validSchema` message of a schema that is not JSON or not a JSON Schema. */
export function invalidSchema(schema: string, problem: string): string {
  return `while validating schema: [${schema}]: ${problem}`;
}

/**
 * The reason of a label value its definition's schema refuses. `value` and `schema` come
 * already rendered the way Compass prints them (Go's `%+v` and `json.Marshal`).
 */
export function labelValueInvalid(value: string, key: string, schema: string, result: string): string {
  return `input value=${value}, key=${key}, is not valid against JSON Schema=${schema},result=${result}`;
}

/** The reason of a new schema that a label already in use does not satisfy. */
export function labelInvalidAgainstNewSchema(
  key: string,
  objectType: string,
  objectId: string,
  result: string,
): string {
  return `label with key="${key}" is not valid against new schema for ${objectType} with ID="${objectId}": ${result}`;
}

// JSON Schema validation results (gojsonschema's default locale). `field` is the value's
// path, `(root)` for the value itself; one result reads `<field>: <description>`.

/** The description of each JSON Schema keyword failure. */
export const jsonSchemaText = {
  required: (property: string) => `${property} is required`,
  invalidType: (expected: string, given: string) => `Invalid type. Expected: ${expected}, given: ${given}`,
  enum: (field: string, allowed: string) => `${field} must be one of the following: ${allowed}`,
  const: (field: string, allowed: string) => `${field} does not match: ${allowed}`,
  anyOf: () => 'Must validate at least one schema (anyOf)',
  oneOf: () => 'Must validate one and only one schema (oneOf)',
  allOf: () => 'Must validate all the schemas (allOf)',
  not: () => 'Must not validate the schema (not)',
  dependency: (dependency: string) => `Has a dependency on ${dependency}`,
  minItems: (min: number) => `Array must have at least ${min} items`,
  maxItems: (max: number) => `Array must have at most ${max} items`,
  uniqueItems: (i: number, j: number) => `array items[${i},${j}] must be unique`,
  contains: () => 'At least one of the items must match',
  additionalItems: () => 'No additional items allowed on array',
  minProperties: (min: number) => `Must have at least ${min} properties`,
  maxProperties: (max: number) => `Must have at most ${max} properties`,
  additionalProperty: (property: string) => `Additional property ${property} is not allowed`,
  minLength: (min: number) => `String length must be greater than or equal to ${min}`,
  maxLength: (max: number) => `String length must be less than or equal to ${max}`,
  pattern: (pattern: string) => `Does not match pattern '${pattern}'`,
  format: (format: string) => `Does not match format '${format}'`,
  multipleOf: (multiple: number) => `Must be a multiple of ${multiple}`,
  minimum: (min: number) => `Must be greater than or equal to ${min}`,
  exclusiveMinimum: (min: number) => `Must be greater than ${min}`,
  maximum: (max: number) => `Must be less than or equal to ${max}`,
  exclusiveMaximum: (max: number) => `Must be less than ${max}`,
} as const;

/** One JSON Schema failure at `field`, as gojsonschema prints it. */
export function jsonSchemaResult(field: string, description: string): string {
  return `${field}: ${description}`;
}

/** Several failures of one value, as Compass joins them. */
export function jsonSchemaResults(results: readonly string[]): string {
  return results.join(', ');
}
