import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AuthConfigError } from '../../../api/auth/errors';
import {
  allScopes,
  defaultScopesFor,
  missingScopes,
  parseScopesConfig,
  requiredScopes,
} from '../../../api/auth/scopes';

/** Compass's classic queries (Director schema d5e5b133) and the scope each requires. */
const CLASSIC_QUERIES: Readonly<Record<string, readonly string[]>> = {
  'application:read': ['applications', 'application', 'applicationsForRuntime'],
  'application_template:read': ['applicationTemplates', 'applicationTemplate'],
  'runtime:read': ['runtimes', 'runtime', 'runtimeContexts', 'runtimeContext'],
  'label_definition:read': ['labelDefinitions', 'labelDefinition'],
  'health_checks:read': ['healthChecks'],
  'integration_system:read': ['integrationSystems', 'integrationSystem'],
  'tenant:read': ['tenants'],
  'automatic_scenario_assignment:read': [
    'automaticScenarioAssignments',
    'automaticScenarioAssignmentForScenario',
    'automaticScenarioAssignmentsForSelector',
  ],
};

/** Compass's classic mutations, with Bundle in place of Package, and the scope each requires. */
const CLASSIC_MUTATIONS: Readonly<Record<string, readonly string[]>> = {
  'application:write': [
    'registerApplication',
    'updateApplication',
    'unregisterApplication',
    'setApplicationLabel',
    'deleteApplicationLabel',
    'registerApplicationFromTemplate',
    'addWebhook',
    'updateWebhook',
    'deleteWebhook',
    'addBundle',
    'updateBundle',
    'deleteBundle',
    'addAPIDefinitionToBundle',
    'updateAPIDefinition',
    'deleteAPIDefinition',
    'refetchAPISpec',
    'addEventDefinitionToBundle',
    'updateEventDefinition',
    'deleteEventDefinition',
    'refetchEventDefinitionSpec',
    'addDocumentToBundle',
    'deleteDocument',
    'setBundleInstanceAuth',
    'deleteBundleInstanceAuth',
    'requestOneTimeTokenForApplication',
    'requestClientCredentialsForApplication',
    'deleteSystemAuthForApplication',
  ],
  'tenant:write': ['writeTenants'],
  'application_template:write': [
    'createApplicationTemplate',
    'updateApplicationTemplate',
    'deleteApplicationTemplate',
  ],
  'runtime:write': [
    'registerRuntime',
    'updateRuntime',
    'unregisterRuntime',
    'setRuntimeLabel',
    'deleteRuntimeLabel',
    'registerRuntimeContext',
    'updateRuntimeContext',
    'unregisterRuntimeContext',
    'requestBundleInstanceAuthCreation',
    'requestBundleInstanceAuthDeletion',
    'requestOneTimeTokenForRuntime',
    'requestClientCredentialsForRuntime',
    'deleteSystemAuthForRuntime',
  ],
  'integration_system:write': [
    'registerIntegrationSystem',
    'updateIntegrationSystem',
    'unregisterIntegrationSystem',
    'requestClientCredentialsForIntegrationSystem',
    'deleteSystemAuthForIntegrationSystem',
  ],
  'label_definition:write': ['createLabelDefinition', 'updateLabelDefinition', 'deleteLabelDefinition'],
  'eventing:manage': ['setDefaultEventingForApplication', 'deleteDefaultEventingForApplication'],
  'automatic_scenario_assignment:write': [
    'createAutomaticScenarioAssignment',
    'deleteAutomaticScenarioAssignmentForScenario',
    'deleteAutomaticScenarioAssignmentsForSelector',
  ],
};

/** Operations beyond classic Compass that the Director serves to runtime agents. */
const AGENT_MUTATIONS = { 'runtime:write': ['reportRuntimeHealth'] };

/** The Provisioner's operations (served at /provisioner/graphql), after Kyma's. */
const PROVISIONER_QUERIES = {
  'runtime:read': ['runtimeStatus', 'runtimeOperationStatus', 'runtimeOperations', 'providers'],
};
const PROVISIONER_MUTATIONS = {
  'runtime:write': [
    'provisionRuntime',
    'upgradeRuntime',
    'deprovisionRuntime',
    'reconnectRuntimeAgent',
    'hibernateRuntime',
    'wakeUpRuntime',
  ],
};

const byOperation = (table: Readonly<Record<string, readonly string[]>>): [string, string][] =>
  Object.entries(table).flatMap(([scope, fields]) => fields.map((field): [string, string] => [field, scope]));

const shippedFile = (): unknown =>
  JSON.parse(readFileSync(path.join(__dirname, '../../../api/auth/scopes.json'), 'utf8')) as unknown;

describe('scope configuration', () => {
  it.each([...byOperation(CLASSIC_QUERIES), ...byOperation(PROVISIONER_QUERIES)])(
    'query %s requires %s',
    (field, scope) => {
      expect(requiredScopes('query', field)).toEqual([scope]);
    },
  );

  it.each([
    ...byOperation(CLASSIC_MUTATIONS),
    ...byOperation(AGENT_MUTATIONS),
    ...byOperation(PROVISIONER_MUTATIONS),
  ])('mutation %s requires %s', (field, scope) => {
    expect(requiredScopes('mutation', field)).toEqual([scope]);
  });

  it('lets anyone authenticated ask who they are', () => {
    expect(requiredScopes('query', 'viewer')).toEqual([]);
  });

  it('declares every operation it lists and no others', () => {
    const config = parseScopesConfig(shippedFile());
    const queries = [
      ...byOperation(CLASSIC_QUERIES).map(([field]) => field),
      'viewer',
      ...byOperation(PROVISIONER_QUERIES).map(([field]) => field),
    ];
    expect(Object.keys(config.query).sort()).toEqual(queries.sort());
    expect(Object.keys(config.mutation).sort()).toEqual(
      [
        ...byOperation(CLASSIC_MUTATIONS),
        ...byOperation(AGENT_MUTATIONS),
        ...byOperation(PROVISIONER_MUTATIONS),
      ]
        .map(([f]) => f)
        .sort(),
    );
  });

  it('names the event spec refetch by its schema field, and packages only as bundles', () => {
    expect(requiredScopes('mutation', 'refetchEventDefinitionSpec')).toEqual(['application:write']);
    expect(requiredScopes('mutation', 'refetchEventAPISpec')).toBeUndefined();
    expect(requiredScopes('mutation', 'addPackage')).toBeUndefined();
  });

  it.each([
    ['query', 'somethingNew'],
    ['mutation', 'applications'],
    ['query', 'registerApplication'],
    ['query', 'constructor'],
    ['query', '__proto__'],
    ['mutation', 'toString'],
  ] as const)('treats %s %s as unknown, so callers deny it', (type, field) => {
    expect(requiredScopes(type, field)).toBeUndefined();
  });

  it('gives each kind of system the default scopes Compass registers it with', () => {
    expect(defaultScopesFor('RUNTIME')).toEqual(['runtime:read', 'runtime:write', 'application:read']);
    expect(defaultScopesFor('APPLICATION')).toEqual(['application:read', 'application:write']);
    expect([...defaultScopesFor('INTEGRATION_SYSTEM')].sort()).toEqual(
      [
        'application:read',
        'application:write',
        'application_template:read',
        'application_template:write',
        'runtime:read',
        'runtime:write',
        'integration_system:read',
        'label_definition:read',
        'label_definition:write',
        'automatic_scenario_assignment:read',
        'automatic_scenario_assignment:write',
      ].sort(),
    );
  });

  it('hands out lists nobody can change', () => {
    expect(Object.isFrozen(requiredScopes('query', 'applications'))).toBe(true);
    expect(Object.isFrozen(defaultScopesFor('RUNTIME'))).toBe(true);
    expect(Object.isFrozen(allScopes())).toBe(true);
  });

  it('lists every classic scope name', () => {
    expect(allScopes()).toEqual(
      [
        'application:read',
        'application:write',
        'application_template:read',
        'application_template:write',
        'automatic_scenario_assignment:read',
        'automatic_scenario_assignment:write',
        'eventing:manage',
        'health_checks:read',
        'integration_system:read',
        'integration_system:write',
        'label_definition:read',
        'label_definition:write',
        'runtime:read',
        'runtime:write',
        'tenant:read',
        'tenant:write',
      ].sort(),
    );
  });
});

describe('missingScopes', () => {
  it('lists the required scopes the caller lacks, in the order required', () => {
    expect(missingScopes(['runtime:read'], ['application:write', 'runtime:read', 'tenant:read'])).toEqual([
      'application:write',
      'tenant:read',
    ]);
  });

  it('is empty when every required scope is held, or when none is required', () => {
    expect(missingScopes(['application:read', 'application:write'], ['application:write'])).toEqual([]);
    expect(missingScopes([], [])).toEqual([]);
  });
});

describe('parseScopesConfig', () => {
  const valid = () => shippedFile() as Record<string, unknown>;

  it.each<[string, () => unknown, RegExp]>([
    ['a missing section', () => ({ ...valid(), mutation: undefined }), /mutation/],
    [
      'a scope that is not a string',
      () => ({ ...valid(), query: { applications: [42] } }),
      /query\.applications\.0/,
    ],
    [
      'a scope without a verb',
      () => ({ ...valid(), query: { applications: ['application'] } }),
      /object:verb/,
    ],
    ['an unknown section', () => ({ ...valid(), subscription: {} }), /subscription/],
    [
      'a field that is not a GraphQL name',
      () => ({ ...valid(), query: { 'bad name': [] } }),
      /query\.bad name/,
    ],
    ['a missing consumer kind', () => ({ ...valid(), clientCredentialsRegistrationScopes: {} }), /runtime/],
    ['something that is not an object', () => [], /\(root\)/],
  ])('refuses a file with %s', (_name, raw, message) => {
    expect(() => parseScopesConfig(raw())).toThrow(AuthConfigError);
    expect(() => parseScopesConfig(raw())).toThrow(message);
  });
});
