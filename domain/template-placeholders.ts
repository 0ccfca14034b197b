import { FieldErrors } from './validation';

/** How a template refers to a placeholder inside its application input: `{{name}}`. */
const PLACEHOLDER_REFERENCE = /\{\{([^{}]*)\}\}/g;

/** One value given for a placeholder when an application is registered from a template. */
export interface TemplateValue {
  readonly placeholder: string;
  readonly value: string;
}

/** The distinct placeholder names `text` refers to, in order of first use. */
export function placeholderReferences(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(PLACEHOLDER_REFERENCE)) names.add(match[1] ?? '');
  return [...names];
}

/**
 * Replaces every `{{name}}` in a template's application input (JSON text) by its value.
 * References only ever sit inside JSON strings (the input is a GraphQL input object), so
 * each value is escaped as JSON string content: whatever it holds, the result stays JSON
 * and the value lands in the field verbatim.
 */
export function substitutePlaceholders(json: string, values: ReadonlyMap<string, string>): string {
  return json.replace(PLACEHOLDER_REFERENCE, (whole, name: string) => {
    const value = values.get(name);
    return value === undefined ? whole : JSON.stringify(value).slice(1, -1);
  });
}

/**
 * Checks the values given for a template's placeholders: every declared placeholder needs
 * exactly one string value and no value may name an undeclared placeholder. Returns the
 * values by placeholder name; any problem → InvalidData naming each offending placeholder.
 */
export function resolveTemplateValues(
  declared: readonly string[],
  values: readonly TemplateValue[] | null | undefined,
): Map<string, string> {
  const errors = new FieldErrors();
  const byName = new Map<string, string>();
  for (const entry of values ?? []) {
    const field = `values.${entry.placeholder}`;
    if (!declared.includes(entry.placeholder)) errors.add(field, 'is not a placeholder of the template');
    else if (byName.has(entry.placeholder)) errors.add(field, 'is given more than once');
    else if (typeof entry.value !== 'string') errors.add(field, 'must be a string');
    else byName.set(entry.placeholder, entry.value);
  }
  for (const name of declared) {
    if (!byName.has(name)) errors.add(`values.${name}`, 'is required');
  }
  errors.throwIfAny('ApplicationFromTemplateInput');
  return byName;
}

/** A value for every declared placeholder that is safe in any field: used to check templates. */
export function sampleValues(declared: readonly string[]): Map<string, string> {
  return new Map(declared.map((name) => [name, 'x']));
}
