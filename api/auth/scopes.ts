import { z } from 'zod';
import { AuthConfigError } from './errors';
import type { SystemKind } from './identity';
import scopesFile from './scopes.json';

/** The root operation types that carry scope requirements. */
export type OperationType = 'query' | 'mutation';

const scopeName = z.string().regex(/^[a-z][a-z_.-]*:[a-z_]+$/, 'must look like object:verb');
const scopeList = z.array(scopeName).readonly();
const operations = z.record(z.string().regex(/^[A-Za-z_]\w*$/, 'must be a GraphQL field name'), scopeList);

/**
 * The shape of `scopes.json`, Compass's `config.yaml` in JSON: the scopes each root field
 * needs, and the scopes each kind of system gets when it is registered
 * (`clientCredentialsRegistrationScopes`).
 */
const ScopesConfigSchema = z.strictObject({
  query: operations,
  mutation: operations,
  clientCredentialsRegistrationScopes: z.strictObject({
    runtime: scopeList,
    application: scopeList,
    integration_system: scopeList,
  }),
});
export type ScopesConfig = z.infer<typeof ScopesConfigSchema>;

/** Validates a scope configuration; throws `AuthConfigError` listing every problem. */
export function parseScopesConfig(raw: unknown): ScopesConfig {
  const parsed = ScopesConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new AuthConfigError(`invalid scope configuration:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

/** Loaded when the module is first imported, so a malformed file stops the process at start. */
const config = parseScopesConfig(scopesFile);

function table(entries: Record<string, readonly string[]>): ReadonlyMap<string, readonly string[]> {
  return new Map(Object.entries(entries).map(([field, scopes]) => [field, Object.freeze([...scopes])]));
}

const required: Readonly<Record<OperationType, ReadonlyMap<string, readonly string[]>>> = {
  query: table(config.query),
  mutation: table(config.mutation),
};

const defaults: Readonly<Record<SystemKind, readonly string[]>> = {
  RUNTIME: Object.freeze([...config.clientCredentialsRegistrationScopes.runtime]),
  APPLICATION: Object.freeze([...config.clientCredentialsRegistrationScopes.application]),
  INTEGRATION_SYSTEM: Object.freeze([...config.clientCredentialsRegistrationScopes.integration_system]),
};

/**
 * The scopes a root field needs (all of them), e.g. `application:read` for `applications`;
 * an empty list means none (`viewer`). Undefined means the field is not in the configuration:
 * callers must deny it, so a new operation is closed until its scopes are declared.
 */
export function requiredScopes(operationType: OperationType, field: string): readonly string[] | undefined {
  return required[operationType].get(field);
}

/**
 * The scopes a system of this kind gets when its credentials (client credentials, certificate
 * or one-time token) are issued. Users have no defaults: their scopes come from their token.
 */
export function defaultScopesFor(kind: SystemKind): readonly string[] {
  return defaults[kind];
}

/** The required scopes that `granted` lacks, in the order required; empty when all are held. */
export function missingScopes(granted: readonly string[], required: readonly string[]): string[] {
  const held = new Set(granted);
  return required.filter((scope) => !held.has(scope));
}

/** Every scope the configuration names, sorted: what a local developer's token carries. */
export function allScopes(): readonly string[] {
  const names = new Set<string>([
    ...[...required.query.values(), ...required.mutation.values()].flat(),
    ...Object.values(defaults).flat(),
  ]);
  return Object.freeze([...names].sort());
}
