import type { Labels } from './labels';

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
const SCENARIO_MAX_LENGTH = 128;

/**
 * Compass's schema of the `scenarios` label: an array of unique names from `scenarios`.
 * A tenant gets it, with DEFAULT only, the first time something reads or uses the label.
 */
export function scenariosSchema(scenarios: readonly string[]): Record<string, unknown> {
  return {
    type: 'array',
    minItems: 1,
    uniqueItems: true,
    items: {
      type: 'string',
      pattern: SCENARIO_PATTERN,
      enum: [...scenarios],
      maxLength: SCENARIO_MAX_LENGTH,
    },
  };
}

/**
 * Compass's schema of the schemas the `scenarios` definition may have: the array rules as
 * above, `items.type` string and `items.enum` a list of scenario names that includes
 * DEFAULT; `items.pattern` and `items.maxLength` may be left out but not changed. Nothing
 * else may be added, and key order does not matter.
 */
export const SCENARIOS_SCHEMA_RULES: Readonly<Record<string, unknown>> = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'minItems', 'uniqueItems', 'items'],
  properties: {
    type: { const: 'array' },
    minItems: { const: 1 },
    uniqueItems: { const: true },
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'enum'],
      properties: {
        type: { const: 'string' },
        pattern: { const: SCENARIO_PATTERN },
        maxLength: { const: SCENARIO_MAX_LENGTH },
        enum: {
          type: 'array',
          items: { type: 'string', pattern: SCENARIO_PATTERN, maxLength: SCENARIO_MAX_LENGTH },
          contains: { const: DEFAULT_SCENARIO },
        },
      },
    },
  },
};

/** The scenario names a `scenarios` definition allows. */
export function scenarioNames(definition: LabelDefinition | undefined): string[] {
  const items = (definition?.schema as { items?: { enum?: unknown } } | undefined)?.items;
  return Array.isArray(items?.enum)
    ? items.enum.filter((v): v is string => typeof v === 'string')
    : [DEFAULT_SCENARIO];
}

/** `labels` with `scenarios: ["DEFAULT"]` when they name no scenario (registration only). */
export function withDefaultScenario(labels: Labels): Labels {
  return labels[SCENARIOS_KEY] === undefined ? { ...labels, [SCENARIOS_KEY]: [DEFAULT_SCENARIO] } : labels;
}
