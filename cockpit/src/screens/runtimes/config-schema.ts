/**
 * A provider's config schema (the JSON Schema of `providerSpecificConfig`, fetched from the
 * Provisioner's `providers` query as untyped JSON) narrowed to the fields a form can show:
 * numbers, strings (with an enum, a pattern or lengths), booleans, and anything else as JSON
 * text. The form checks what the schema says before it sends; the Provisioner validates the
 * same schema again and its message is shown as it is.
 */

interface Common {
  /** The property name in `providerSpecificConfig`. */
  readonly name: string;
  /** The schema's `title`, else the property name in words. */
  readonly label: string;
  readonly description?: string;
  readonly required: boolean;
}

export type ConfigField =
  | (Common & {
      readonly kind: 'number';
      readonly integer: boolean;
      readonly minimum?: number;
      readonly maximum?: number;
      readonly default?: number;
    })
  | (Common & {
      readonly kind: 'string';
      readonly pattern?: string;
      readonly minLength?: number;
      readonly maxLength?: number;
      readonly options?: readonly string[];
      readonly default?: string;
    })
  | (Common & { readonly kind: 'boolean'; readonly default?: boolean })
  | (Common & { readonly kind: 'json' });

/** What the form keeps per field: the text typed (numbers, strings, JSON) or a boolean. */
export type ConfigValues = Readonly<Record<string, string | boolean | undefined>>;

type Json = Readonly<Record<string, unknown>>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** `heartbeatIntervalSeconds` → "Heartbeat interval seconds", `consoleUrl` → "Console URL". */
export function words(name: string): string {
  const spaced = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .trim();
  const named = spaced.replace(/\b(url|uri|id|ip|dns|cpu|tls)\b/g, (w) => w.toUpperCase());
  return named.charAt(0).toUpperCase() + named.slice(1);
}

function typeOf(schema: Json): string | undefined {
  const t = schema.type;
  if (typeof t === 'string') return t;
  // ["string", "null"]: the one non-null type.
  if (Array.isArray(t)) {
    const real = t.filter((x) => x !== 'null');
    return real.length === 1 && typeof real[0] === 'string' ? real[0] : undefined;
  }
  if (Array.isArray(schema.enum) && schema.enum.every((e) => typeof e === 'string')) return 'string';
  return undefined;
}

function field(name: string, schema: unknown, required: boolean): ConfigField {
  const s = isObject(schema) ? schema : {};
  const description = str(s.description);
  const common: Common = {
    name,
    label: str(s.title) ?? words(name),
    ...(description ? { description } : {}),
    required,
  };
  const pick = <T>(entries: Record<string, T | undefined>) =>
    Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined)) as Record<string, T>;
  switch (typeOf(s)) {
    case 'number':
    case 'integer':
      return {
        ...common,
        kind: 'number',
        integer: typeOf(s) === 'integer',
        ...pick({ minimum: num(s.minimum), maximum: num(s.maximum), default: num(s.default) }),
      };
    case 'string': {
      const options = Array.isArray(s.enum) ? s.enum.filter((e): e is string => typeof e === 'string') : [];
      return {
        ...common,
        kind: 'string',
        ...pick({ minLength: num(s.minLength), maxLength: num(s.maxLength) }),
        ...pick({ pattern: str(s.pattern), default: str(s.default) }),
        ...(options.length > 0 ? { options } : {}),
      };
    }
    case 'boolean':
      return {
        ...common,
        kind: 'boolean',
        ...(typeof s.default === 'boolean' ? { default: s.default } : {}),
      };
    default:
      return { ...common, kind: 'json' };
  }
}

/** The fields of a provider's config schema, in the schema's order. */
export function configFields(schema: unknown): readonly ConfigField[] {
  if (!isObject(schema) || !isObject(schema.properties)) return [];
  const required = new Set(
    Array.isArray(schema.required) ? schema.required.filter((r) => typeof r === 'string') : [],
  );
  return Object.entries(schema.properties).map(([name, s]) => field(name, s, required.has(name)));
}

/** What is wrong with a field's value by its schema, or undefined. */
export function fieldProblem(f: ConfigField, value: string | boolean | undefined): string | undefined {
  if (f.kind === 'boolean') return undefined;
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text) return f.required ? 'Required' : undefined;
  switch (f.kind) {
    case 'number': {
      const n = Number(text);
      if (!Number.isFinite(n)) return 'Must be a number';
      if (f.integer && !Number.isInteger(n)) return 'Must be a whole number';
      if (f.minimum !== undefined && n < f.minimum) return `Must be at least ${f.minimum}`;
      if (f.maximum !== undefined && n > f.maximum) return `Must be at most ${f.maximum}`;
      return undefined;
    }
    case 'string':
      if (f.options && !f.options.includes(text)) return `Must be one of ${f.options.join(', ')}`;
      if (f.minLength !== undefined && text.length < f.minLength)
        return `Must be at least ${f.minLength} characters`;
      if (f.maxLength !== undefined && text.length > f.maxLength)
        return `Must be at most ${f.maxLength} characters`;
      if (f.pattern !== undefined && !new RegExp(f.pattern, 'u').test(text)) return `Must match ${f.pattern}`;
      return undefined;
    case 'json':
      try {
        JSON.parse(text);
        return undefined;
      } catch {
        return 'Must be JSON';
      }
  }
}

/** A hint under a field: its description and the limits the schema sets. */
export function fieldHint(f: ConfigField): string {
  const limits: string[] = [];
  if (f.kind === 'number') {
    if (f.minimum !== undefined && f.maximum !== undefined) limits.push(`${f.minimum}–${f.maximum}`);
    else if (f.minimum !== undefined) limits.push(`at least ${f.minimum}`);
    else if (f.maximum !== undefined) limits.push(`at most ${f.maximum}`);
  }
  if (f.kind === 'string' && f.pattern) limits.push(`matches ${f.pattern}`);
  if (f.kind === 'json') limits.push('JSON');
  return [f.description, limits.length ? `(${limits.join(', ')})` : ''].filter(Boolean).join(' ');
}

/**
 * `providerSpecificConfig` from the form's values: empty fields are left out (the provider's
 * defaults apply), numbers and JSON parsed. Returns the problems by field name instead when
 * any value breaks the schema.
 */
export function toProviderConfig(
  fields: readonly ConfigField[],
  values: ConfigValues,
): { config: Record<string, unknown> } | { problems: Record<string, string> } {
  const config: Record<string, unknown> = {};
  const problems: Record<string, string> = {};
  for (const f of fields) {
    const value = values[f.name];
    const problem = fieldProblem(f, value);
    if (problem) {
      problems[f.name] = problem;
      continue;
    }
    if (f.kind === 'boolean') {
      if (typeof value === 'boolean') config[f.name] = value;
      continue;
    }
    const text = typeof value === 'string' ? value.trim() : '';
    if (!text) continue;
    config[f.name] = f.kind === 'number' ? Number(text) : f.kind === 'json' ? JSON.parse(text) : text;
  }
  return Object.keys(problems).length > 0 ? { problems } : { config };
}
