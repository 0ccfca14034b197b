import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { jsonSchemaResult, jsonSchemaResults, jsonSchemaText as t } from '../../domain/error-texts';
import { goJson } from '../../domain/go-values';

/** Compiled schemas kept at most; tenants define schemas freely, so the cache is bounded. */
const MAX_COMPILED = 1000;

/**
 * JSON Schema validation (ajv) whose failures read like Compass's (gojsonschema): one
 * `<field>: <description>` per failure, joined by ", ". A value of the wrong type reports
 * only that, as gojsonschema stops there.
 */
export class JsonSchemaValidator {
  private readonly ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
  private readonly compiled = new Map<string, ValidateFunction>();

  /** Whether `schema` is a JSON Schema this validator can apply. */
  isSchema(schema: unknown): boolean {
    if (!this.ajv.validateSchema(schema as object)) return false;
    try {
      this.compile(schema);
      return true;
    } catch {
      return false;
    }
  }

  /** The failures of `value` against `schema`, or undefined when it satisfies it. */
  problems(schema: unknown, value: unknown): string | undefined {
    const validate = this.compile(schema);
    if (validate(value)) return undefined;
    const errors = withoutFailuresAfterType(validate.errors ?? []);
    const containsPaths = errors.filter((e) => e.keyword === 'contains').map((e) => `${e.schemaPath}/`);
    const inContains = (e: ErrorObject) => containsPaths.some((p) => e.schemaPath.startsWith(p));
    return jsonSchemaResults(
      errors.filter((e) => !inContains(e)).flatMap((e) => describe(e, errors.filter(inContains))),
    );
  }

  private compile(schema: unknown): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = this.compiled.get(key);
    if (!validate) {
      if (this.compiled.size >= MAX_COMPILED) {
        this.compiled.clear();
        this.ajv.removeSchema();
      }
      this.compiled.set(key, (validate = this.ajv.compile(schema as object)));
    }
    return validate;
  }
}

/** One ajv failure in gojsonschema's words; `nested` holds the failures inside `contains`. */
function describe(e: ErrorObject, nested: readonly ErrorObject[]): string[] {
  const field = fieldOf(e.instancePath);
  const p = e.params as Record<string, unknown>;
  const one = (description: string) => [jsonSchemaResult(field, description)];
  switch (e.keyword) {
    case 'type':
      return one(t.invalidType(expectedTypes(p.type), typeOf(e.data)));
    case 'required':
      return one(t.required(String(p.missingProperty)));
    case 'enum':
      return one(t.enum(field, (p.allowedValues as unknown[]).map(goJson).join(', ')));
    case 'const':
      return one(t.const(field, goJson(p.allowedValue)));
    case 'anyOf':
      return one(t.anyOf());
    case 'oneOf':
      return one(t.oneOf());
    case 'not':
      return one(t.not());
    case 'dependencies':
    case 'dependentRequired':
      return one(t.dependency(String(p.deps)));
    case 'minItems':
      return one(t.minItems(Number(p.limit)));
    case 'maxItems':
      return one(t.maxItems(Number(p.limit)));
    case 'uniqueItems':
      return duplicates(e.data).map(([i, j]) => jsonSchemaResult(field, t.uniqueItems(i, j)));
    case 'contains': {
      // gojsonschema follows a failed `contains` with why the first item did not match.
      const first = `${e.instancePath}/0`;
      const why = nested.filter((n) => n.instancePath === first || n.instancePath.startsWith(`${first}/`));
      return [...one(t.contains()), ...why.flatMap((n) => describe(n, []))];
    }
    case 'additionalItems':
      return one(t.additionalItems());
    case 'minProperties':
      return one(t.minProperties(Number(p.limit)));
    case 'maxProperties':
      return one(t.maxProperties(Number(p.limit)));
    case 'additionalProperties':
      return one(t.additionalProperty(String(p.additionalProperty)));
    case 'minLength':
      return one(t.minLength(Number(p.limit)));
    case 'maxLength':
      return one(t.maxLength(Number(p.limit)));
    case 'pattern':
      return one(t.pattern(String(p.pattern)));
    case 'format':
      return one(t.format(String(p.format)));
    case 'multipleOf':
      return one(t.multipleOf(Number(p.multipleOf)));
    case 'minimum':
      return one(p.comparison === '>' ? t.exclusiveMinimum(Number(p.limit)) : t.minimum(Number(p.limit)));
    case 'maximum':
      return one(p.comparison === '<' ? t.exclusiveMaximum(Number(p.limit)) : t.maximum(Number(p.limit)));
    case 'exclusiveMinimum':
      return one(t.exclusiveMinimum(Number(p.limit)));
    case 'exclusiveMaximum':
      return one(t.exclusiveMaximum(Number(p.limit)));
    default:
      return one(e.message ?? 'is invalid');
  }
}

/** gojsonschema checks a value's type first and, when it is wrong, nothing else of that schema. */
function withoutFailuresAfterType(errors: readonly ErrorObject[]): ErrorObject[] {
  const typeFailures = errors
    .filter((e) => e.keyword === 'type')
    .map((e) => ({ at: e.instancePath, schema: e.schemaPath.slice(0, -'type'.length) }));
  return errors.filter(
    (e) =>
      e.keyword === 'type' ||
      !typeFailures.some((f) => e.instancePath === f.at && e.schemaPath.startsWith(f.schema)),
  );
}

/** A JSON Pointer as gojsonschema names a field: `(root)`, `items.enum.0`. */
function fieldOf(instancePath: string): string {
  if (instancePath === '') return '(root)';
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

function expectedTypes(type: unknown): string {
  const types = Array.isArray(type) ? type : String(type).split(',');
  return types.length === 1 ? String(types[0]) : `[${types.join(',')}]`;
}

function typeOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Every repeated item as gojsonschema reports it: the index it was last seen at, then its own. */
function duplicates(items: unknown): Array<[number, number]> {
  if (!Array.isArray(items)) return [];
  const seen = new Map<string, number>();
  const pairs: Array<[number, number]> = [];
  items.forEach((item, j) => {
    const key = goJson(item);
    const i = seen.get(key);
    if (i !== undefined) pairs.push([i, j]);
    seen.set(key, j);
  });
  return pairs;
}
