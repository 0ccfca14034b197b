import { InvalidDataError } from './errors';

/** A label filter as clients send it (`LabelFilter { key, query }`). */
export interface LabelFilterInput {
  readonly key: string;
  readonly query?: string | null;
}

/** What a filter means, independent of the store: filters are ANDed. */
export type LabelCondition =
  | { readonly kind: 'exists'; readonly key: string }
  /** The label (an array) shares at least one value with `values` (the scenarios filter). */
  | { readonly kind: 'anyOf'; readonly key: string; readonly values: readonly string[] }
  /** The label value contains `value` (JSON containment, as PostgreSQL's `@>`). */
  | { readonly kind: 'contains'; readonly key: string; readonly value: unknown };

const LABEL_KEY = /^[a-zA-Z0-9_]{1,256}$/;
const SCENARIO_VALUE = '"([a-zA-Z0-9\\-_\\s]+)"';
const SCENARIOS_QUERY = new RegExp(
  `^\\$\\[\\*\\]\\s*\\?\\s*\\(\\s*@\\s*==\\s*${SCENARIO_VALUE}((?:\\s*\\|\\|\\s*@\\s*==\\s*${SCENARIO_VALUE})*)\\s*\\)$`,
);

function invalid(problem: string): InvalidDataError {
  return new InvalidDataError('LabelFilter', { query: problem });
}

/**
 * Parses Compass's label filter syntax: no query → the key exists; for `scenarios` only the
 * JSON-path subset `$[*] ? (@ == "A" || @ == "B")` (any of the values); for other keys a JSON
 * literal that the label value must contain.
 */
export function parseLabelFilter(filter: LabelFilterInput): LabelCondition {
  if (!LABEL_KEY.test(filter.key)) {
    throw new InvalidDataError('LabelFilter', { key: 'must be 1-256 letters, digits or underscores' });
  }
  const query = filter.query?.trim();
  if (!query) return { kind: 'exists', key: filter.key };
  if (filter.key === 'scenarios') {
    const match = SCENARIOS_QUERY.exec(query);
    if (!match) throw invalid('for the scenarios label, only $[*] ? (@ == "A" || @ == "B") is supported');
    const values = [
      match[1]!,
      ...[...(match[2] ?? '').matchAll(new RegExp(SCENARIO_VALUE, 'g'))].map((m) => m[1]!),
    ];
    return { kind: 'anyOf', key: filter.key, values };
  }
  let value: unknown;
  try {
    value = JSON.parse(query);
  } catch {
    throw invalid(`must be a JSON value for key ${filter.key}`);
  }
  checkQueryValue(value);
  return { kind: 'contains', key: filter.key, value };
}

export function parseLabelFilters(filters: readonly LabelFilterInput[] | null | undefined): LabelCondition[] {
  return (filters ?? []).map(parseLabelFilter);
}

function checkQueryValue(value: unknown, depth = 0): void {
  if (depth > 8) throw invalid('is nested too deeply');
  if (Array.isArray(value)) {
    for (const item of value) {
      if (item !== null && typeof item === 'object')
        throw invalid('arrays in a query may hold only scalar values');
    }
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.startsWith('$') || k.includes('.') || k === '')
        throw invalid(`object keys may not be empty, start with '$' or contain '.'`);
      checkQueryValue(v, depth + 1);
    }
  }
}

/** In-memory evaluation of the same semantics (used where documents are already loaded). */
export function matchesLabelConditions(
  labels: Record<string, unknown>,
  conditions: readonly LabelCondition[],
): boolean {
  return conditions.every((c) => {
    if (!(c.key in labels)) return false;
    const value = labels[c.key];
    switch (c.kind) {
      case 'exists':
        return true;
      case 'anyOf':
        return Array.isArray(value) && value.some((v) => c.values.includes(v as string));
      case 'contains':
        return jsonContains(value, c.value);
    }
  });
}

/** PostgreSQL jsonb `@>`: objects contain sub-objects, arrays contain elements, a scalar in an array. */
export function jsonContains(container: unknown, contained: unknown): boolean {
  if (Array.isArray(container)) {
    if (Array.isArray(contained)) return contained.every((c) => container.some((v) => jsonContains(v, c)));
    if (contained === null || typeof contained !== 'object')
      return container.some((v) => jsonContains(v, contained));
    return false;
  }
  if (container !== null && typeof container === 'object') {
    if (contained === null || typeof contained !== 'object' || Array.isArray(contained)) return false;
    const obj = container as Record<string, unknown>;
    return Object.entries(contained).every(([k, v]) => k in obj && jsonContains(obj[k], v));
  }
  return container === contained;
}
