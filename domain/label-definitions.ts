import { InvalidDataError, InvalidOperationError } from './errors';

/** The label that assigns applications and runtimes to scenarios. */
export const SCENARIOS_KEY = 'scenarios';
/** The scenario every tenant has and every application joins unless it names others. */
export const DEFAULT_SCENARIO = 'DEFAULT';

/** A label definition: the key and, optionally, a JSON Schema every value must satisfy. */
export interface LabelDefinition {
  readonly tenantId: string;
  readonly key: string;
  readonly schema?: Record<string, unknown>;
}

const SCENARIO_PATTERN = '^[A-Za-z0-9]([-_A-Za-z0-9\\s]*[A-Za-z0-9])$';

/** Compass's schema of the `scenarios` label: an array of unique names from `scenarios`. */
export function scenariosSchema(scenarios: readonly string[]): Record<string, unknown> {
  return {
    type: 'array',
    minItems: 1,
    uniqueItems: true,
    items: { type: 'string', pattern: SCENARIO_PATTERN, enum: [...scenarios], maxLength: 128 },
  };
}

/** The scenario names a `scenarios` definition allows. */
export function scenarioNames(definition: LabelDefinition | undefined): string[] {
  const items = (definition?.schema as { items?: { enum?: unknown } } | undefined)?.items;
  return Array.isArray(items?.enum)
    ? items.enum.filter((v): v is string => typeof v === 'string')
    : [DEFAULT_SCENARIO];
}

/**
 * A new `scenarios` schema may only change the list of scenario names, must keep DEFAULT,
 * and every name must be a valid scenario name. Returns the names.
 */
export function checkScenariosSchema(schema: unknown): string[] {
  const invalid = (problem: string) => new InvalidDataError('LabelDefinitionInput', { schema: problem });
  if (typeof schema !== 'object' || schema === null) throw invalid('is required for the scenarios label');
  const items = (schema as { items?: { enum?: unknown } }).items;
  const names = items?.enum;
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) {
    throw invalid('items.enum must list the scenario names');
  }
  const expected = JSON.stringify(scenariosSchema(names as string[]));
  if (JSON.stringify(schema) !== expected)
    throw invalid('only items.enum may change for the scenarios label');
  if (!names.includes(DEFAULT_SCENARIO)) {
    throw new InvalidOperationError('the DEFAULT scenario cannot be removed', { scenario: DEFAULT_SCENARIO });
  }
  const pattern = new RegExp(SCENARIO_PATTERN);
  const bad = (names as string[]).find((n) => !pattern.test(n) || n.length > 128);
  if (bad !== undefined) throw invalid(`scenario name ${JSON.stringify(bad)} is not valid`);
  if (new Set(names).size !== names.length) throw invalid('scenario names must be unique');
  return names as string[];
}
