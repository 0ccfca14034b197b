import type { Document } from 'mongodb';
import type { LabelCondition } from '../domain/label-filter';

/**
 * Translates label conditions to a MongoDB filter on the embedded `labels` document. The
 * translation keeps PostgreSQL-containment semantics for the values label filters accept
 * (scalars, arrays of scalars, nested objects of those).
 */
export function labelConditionsToFilter(conditions: readonly LabelCondition[]): Document {
  const clauses = conditions.map(toClause);
  if (clauses.length === 0) return {};
  return clauses.length === 1 ? clauses[0]! : { $and: clauses };
}

function toClause(c: LabelCondition): Document {
  const path = `labels.${c.key}`;
  switch (c.kind) {
    case 'exists':
      return { [path]: { $exists: true } };
    case 'anyOf':
      return { [path]: { $in: [...c.values] } };
    case 'contains':
      return containment(path, c.value);
  }
}

/**
 * PostgreSQL's `@>` on one label: an array query needs an array label holding every element;
 * an object query needs an object (not an array of objects) holding every entry; a scalar
 * query matches the same scalar or an array holding it.
 */
function containment(path: string, value: unknown): Document {
  if (Array.isArray(value)) {
    const isArray = { [path]: { $type: 'array' } };
    return value.length === 0 ? isArray : { $and: [isArray, { [path]: { $all: value } }] };
  }
  if (value !== null && typeof value === 'object') {
    const isObject = { [path]: { $type: 'object', $not: { $type: 'array' } } };
    const parts = Object.entries(value).map(([k, v]) => containment(`${path}.${k}`, v));
    return { $and: [isObject, ...parts] };
  }
  return { [path]: value };
}
