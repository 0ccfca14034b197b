import { getOperationAST, Lexer, parse, Source, TokenKind } from 'graphql';
import { measureOperation } from '../../../api/query-limits';
import { loadConfig } from '../../../infra/config';
import { devAuthorization } from '../../../scripts/in-process-stack';
import { fixApplicationInput } from '../../fixtures/applications';
import { fixBundleInput } from '../../fixtures/bundles';
import { fixIntegrationSystemInput, fixTemplateInput } from '../../fixtures/global-objects';
import { directorSchema, fullQuery } from '../../fixtures/full-selection';
import { fixTenant, okData, startStack, type Obj, type Stack } from '../harness';

/**
 * Compass's clients select every field of what they read, nested pages included
 * (`gqlfieldsprovider`). Those documents must pass the gateway's limits for a caller holding
 * the scopes, and a caller lacking them must be told so, whatever the document costs.
 */

let stack: Stack;
const tenant = fixTenant();
const ids = {} as Record<
  'app' | 'bundle' | 'api' | 'event' | 'document' | 'runtime' | 'template' | 'system',
  string
>;
const LABEL_KEY = 'costCenter';

beforeAll(async () => {
  stack = await startStack();
  const app = await okData<Obj & { bundles: { data: Array<Obj & Record<string, { data: Obj[] }>> } }>(
    stack,
    `mutation($in: ApplicationRegisterInput!) { registerApplication(in: $in) {
      id bundles { data { id apiDefinitions { data { id } } eventDefinitions { data { id } } documents { data { id } } } }
    } }`,
    {
      in: fixApplicationInput({
        webhooks: [
          {
            type: 'CONFIGURATION_CHANGED',
            url: 'https://erp.example.com/hook',
            auth: { credential: { basic: { username: 'hook', password: 'secret' } } },
          },
        ],
        bundles: [fixBundleInput()],
      }),
    },
    tenant,
  );
  const bundle = app.bundles.data[0]!;
  Object.assign(ids, {
    app: app.id,
    bundle: bundle.id,
    api: bundle.apiDefinitions!.data[0]!.id,
    event: bundle.eventDefinitions!.data[0]!.id,
    document: bundle.documents!.data[0]!.id,
  });
  const runtime = await okData(
    stack,
    'mutation($in: RuntimeInput!) { registerRuntime(in: $in) { id } }',
    { in: { name: 'kyma-eu', description: 'Kyma in the EU', labels: { region: 'eu-1' } } },
    tenant,
  );
  ids.runtime = runtime.id;
  ids.template = (
    await okData(
      stack,
      'mutation($in: ApplicationTemplateInput!) { createApplicationTemplate(in: $in) { id } }',
      { in: fixTemplateInput() },
      tenant,
    )
  ).id;
  ids.system = (
    await okData(
      stack,
      'mutation($in: IntegrationSystemInput!) { registerIntegrationSystem(in: $in) { id } }',
      { in: fixIntegrationSystemInput() },
      tenant,
    )
  ).id;
  for (const kind of ['Application', 'Runtime', 'IntegrationSystem'] as const) {
    const id = { Application: ids.app, Runtime: ids.runtime, IntegrationSystem: ids.system }[kind];
    await okData(
      stack,
      `mutation($id: ID!) { requestClientCredentialsFor${kind}(id: $id) { id } }`,
      { id },
      tenant,
    );
  }
  await okData(
    stack,
    'mutation($in: LabelDefinitionInput!) { createLabelDefinition(in: $in) { key } }',
    { in: { key: LABEL_KEY, schema: '{"type":"string"}' } },
    tenant,
  );
});
afterAll(async () => {
  await stack?.close();
});

type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface FullDocument {
  /** What the document reads, as its test names say it. */
  readonly name: string;
  readonly query: () => string;
  /** The scopes its root field needs. */
  readonly scope: string;
  /** Checks that the registered data came back through the nested selections. */
  readonly check: (data: Data) => void;
}

const byId = (page: { data: Obj[] }, id: string) => page.data.find((o) => o.id === id);

function expectFullApplication(app: Data): void {
  expect(app).toMatchObject({ id: ids.app, name: 'erp-system', labels: { region: 'eu-1' } });
  expect(app.webhooks).toHaveLength(1);
  expect(app.auths).toHaveLength(1);
  const bundle = app.bundles.data[0];
  expect(bundle).toMatchObject({
    id: ids.bundle,
    defaultInstanceAuth: { credential: { username: 'admin' } },
  });
  expect(bundle.apiDefinitions.totalCount).toBe(2);
  expect(bundle.apiDefinitions.data[0].spec.data).toBe('openapi: 3.0.0');
  expect(bundle.eventDefinitions.data[0].id).toBe(ids.event);
  expect(bundle.documents.data[0].data).toBe('# Guide');
}

const DOCUMENTS: readonly FullDocument[] = [
  {
    name: 'an application',
    query: () => fullQuery('application', { id: ids.app }),
    scope: 'application:read',
    check: (data) => expectFullApplication(data.application),
  },
  {
    name: 'a page of applications',
    query: () => fullQuery('applications'),
    scope: 'application:read',
    check: (data) => expectFullApplication(byId(data.applications, ids.app)!),
  },
  {
    name: "a bundle through its application, with one of each of the bundle's definitions",
    query: () =>
      fullQuery(
        'application',
        { id: ids.app },
        {
          args: {
            'Application.bundle': { id: ids.bundle },
            'Bundle.apiDefinition': { id: ids.api },
            'Bundle.eventDefinition': { id: ids.event },
            'Bundle.document': { id: ids.document },
          },
        },
      ),
    scope: 'application:read',
    check: (data) =>
      expect(data.application.bundle).toMatchObject({
        id: ids.bundle,
        apiDefinition: { id: ids.api, targetURL: 'https://erp.example.com/api/orders' },
        eventDefinition: { id: ids.event },
        document: { id: ids.document, title: 'Guide' },
      }),
  },
  {
    name: 'a runtime',
    query: () => fullQuery('runtime', { id: ids.runtime }),
    scope: 'runtime:read',
    check: (data) => {
      expect(data.runtime).toMatchObject({ id: ids.runtime, name: 'kyma-eu', labels: { region: 'eu-1' } });
      expect(data.runtime.auths).toHaveLength(1);
    },
  },
  {
    name: 'a page of runtimes',
    query: () => fullQuery('runtimes'),
    scope: 'runtime:read',
    check: (data) => expect(byId(data.runtimes, ids.runtime)).toMatchObject({ name: 'kyma-eu' }),
  },
  {
    name: 'an application template',
    query: () => fullQuery('applicationTemplate', { id: ids.template }),
    scope: 'application_template:read',
    check: (data) =>
      expect(data.applicationTemplate).toMatchObject({ id: ids.template, accessLevel: 'GLOBAL' }),
  },
  {
    name: 'a page of application templates',
    query: () => fullQuery('applicationTemplates'),
    scope: 'application_template:read',
    check: (data) =>
      expect(byId(data.applicationTemplates, ids.template)?.placeholders).toEqual([
        { name: 'name', description: 'Application name' },
        { name: 'host', description: null },
      ]),
  },
  {
    name: 'an integration system',
    query: () => fullQuery('integrationSystem', { id: ids.system }),
    scope: 'integration_system:read',
    check: (data) => {
      expect(data.integrationSystem).toMatchObject({ id: ids.system, description: 'Manages ERPs' });
      expect(data.integrationSystem.auths).toHaveLength(1);
    },
  },
  {
    name: 'a page of integration systems',
    query: () => fullQuery('integrationSystems'),
    scope: 'integration_system:read',
    check: (data) => expect(byId(data.integrationSystems, ids.system)?.auths).toHaveLength(1),
  },
  {
    name: 'a label definition',
    query: () => fullQuery('labelDefinition', { key: LABEL_KEY }),
    scope: 'label_definition:read',
    check: (data) => expect(data.labelDefinition).toEqual({ key: LABEL_KEY, schema: '{"type":"string"}' }),
  },
  {
    name: 'every label definition',
    query: () => fullQuery('labelDefinitions'),
    scope: 'label_definition:read',
    check: (data) =>
      expect(data.labelDefinitions.map((d: { key: string }) => d.key)).toEqual(
        expect.arrayContaining(['scenarios', LABEL_KEY]),
      ),
  },
];

/** Every document above as one operation, each root field under an alias of its own. */
function everything(): string {
  const fields = DOCUMENTS.map((doc, i) => {
    const body = doc.query().trim();
    return `r${i}: ${body.slice(1, -1).trim()}`;
  });
  return `{ ${fields.join('\n')} }`;
}

async function post(query: string, authorization: string) {
  const res = await fetch(`${stack.url}/director/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization, tenant },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, body: (await res.json()) as { data?: Data | null; errors?: unknown[] } };
}

function insufficientScopes(scope: string) {
  return {
    errors: [
      {
        message: `insufficient scopes provided [required=${scope}]`,
        extensions: { error: 'InsufficientScopes', error_code: 23 },
      },
    ],
  };
}

describe('full-selection documents of Compass clients', () => {
  it.each(DOCUMENTS)('read $name with every field', async ({ query, check }) => {
    const res = await stack.gql<Data>(query(), {}, tenant);
    expect(res.body.errors).toBeUndefined();
    expect(res.status).toBe(200);
    check(res.body.data!);
  });

  it.each(DOCUMENTS)('tell a caller lacking $scope only that, for $name', async ({ query, scope }) => {
    const res = await post(query(), await devAuthorization([]));
    expect(res.body).toEqual(insufficientScopes(scope));
    expect(res.status).toBe(403);
    const other = await post(
      query(),
      await devAuthorization(scope === 'runtime:read' ? [] : ['runtime:read']),
    );
    expect(other.body).toEqual(insufficientScopes(scope));
  });

  it('read everything at once, and refuse it all to a caller lacking the first scope', async () => {
    const res = await stack.gql<Data>(everything(), {}, tenant);
    expect(res.body.errors).toBeUndefined();
    DOCUMENTS.forEach((doc, i) => doc.check({ [rootOf(doc)]: res.body.data![`r${i}`] }));
    expect(await post(everything(), await devAuthorization(['runtime:read']))).toEqual({
      status: 403,
      body: insufficientScopes('application:read'),
    });
  });

  it('stay within a third of every limit', () => {
    const config = loadConfig({});
    const rows = [
      ...DOCUMENTS.map((d) => [d.name, d.query()] as const),
      ['everything', everything()] as const,
    ].map(([name, text]) => {
      const document = parse(text);
      return {
        name,
        ...measureOperation(directorSchema(), document, getOperationAST(document)!),
        tokens: tokens(text),
      };
    });
    console.log(
      `Full documents measured against GRAPHQL_MAX_COST=${config.GRAPHQL_MAX_COST}, ` +
        `GRAPHQL_MAX_TOKENS=${config.GRAPHQL_MAX_TOKENS}, GRAPHQL_MAX_DEPTH=${config.GRAPHQL_MAX_DEPTH}:\n` +
        rows.map((r) => `  ${r.name}: cost ${r.cost}, tokens ${r.tokens}, depth ${r.depth}`).join('\n'),
    );
    for (const row of rows) {
      expect(row.cost * 3).toBeLessThanOrEqual(config.GRAPHQL_MAX_COST);
      expect(row.tokens * 3).toBeLessThanOrEqual(config.GRAPHQL_MAX_TOKENS);
      expect(row.depth).toBeLessThan(config.GRAPHQL_MAX_DEPTH);
      expect(row.aliases).toBeLessThanOrEqual(config.GRAPHQL_MAX_ALIASES);
    }
  });
});

/** The root field a document reads. */
function rootOf(doc: FullDocument): string {
  return /^\{\s*(\w+)/.exec(doc.query())![1]!;
}

function tokens(text: string): number {
  const lexer = new Lexer(new Source(text));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count += 1;
  return count;
}
