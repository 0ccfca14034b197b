import { recordReads } from '../../infra/read-recorder';
import { WEBHOOKS } from '../../store/webhooks';
import { APPLICATIONS } from '../../store/applications';
import { API_DEFINITIONS, BUNDLES, DOCUMENTS, EVENT_DEFINITIONS } from '../../store/bundle-collections';
import { fixApplicationInput, REGISTER } from '../fixtures/applications';
import {
  ADD_API,
  ADD_BUNDLE,
  ADD_DOCUMENT,
  ADD_EVENT,
  APP_WITH_BUNDLES,
  BUNDLE_BY_ID,
  DELETE_BUNDLE,
  UPDATE_BUNDLE,
  fixAPIInput,
  fixBundleInput,
  fixDocumentInput,
  fixEventInput,
} from '../fixtures/bundles';
import { MISSING_ID, notFoundError } from '../fixtures/errors';
import { fixTenant, type Obj, okData, startStack, type Stack } from './harness';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

async function fixApp(tenant: string, overrides: Record<string, unknown> = {}): Promise<Obj> {
  return okData(stack, REGISTER, { in: fixApplicationInput(overrides) }, tenant);
}

/** The body of a response refused with NotFound for `object` with this ID. */
function notFound(object: string, id: string) {
  return { data: null, errors: notFoundError(object, id) };
}

describe('bundles', () => {
  it('adds, updates and deletes a bundle with its content', async () => {
    const tenant = fixTenant();
    const app = await fixApp(tenant);
    const bundle = await okData(stack, ADD_BUNDLE, { app: app.id, in: fixBundleInput() }, tenant);
    expect(bundle).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'orders-bundle',
      description: 'Order management',
      instanceAuthRequestInputSchema: '{"$schema":"http://json-schema.org/draft-07/schema#","type":"object"}',
      defaultInstanceAuth: {
        credential: { username: 'admin', password: 'secret' },
        additionalHeaders: null,
        additionalQueryParams: null,
      },
    });

    const updated = await okData(
      stack,
      UPDATE_BUNDLE,
      {
        id: bundle.id,
        in: {
          name: 'orders-renamed',
          defaultInstanceAuth: {
            credential: {
              oauth: { clientId: 'c', clientSecret: 's', url: 'https://auth.example.com/token' },
            },
            additionalHeaders: { 'X-Tenant': ['acme'] },
          },
        },
      },
      tenant,
    );
    expect(updated).toEqual({
      id: bundle.id,
      name: 'orders-renamed',
      description: null,
      instanceAuthRequestInputSchema: null,
      defaultInstanceAuth: {
        credential: { clientId: 'c', clientSecret: 's', url: 'https://auth.example.com/token' },
        additionalHeaders: { 'X-Tenant': ['acme'] },
        additionalQueryParams: null,
      },
    });

    expect((await stack.gql(DELETE_BUNDLE, { id: bundle.id }, tenant)).body).toEqual({
      data: { deleteBundle: { id: bundle.id, name: 'orders-renamed' } },
    });
    const db = stack.mongo.db;
    for (const col of [BUNDLES, 'api_definitions', 'event_definitions', 'documents']) {
      expect(await db.collection(col).countDocuments({ tenantId: tenant })).toBe(0);
    }
  });

  it('refuses invalid bundles with every problem named (InvalidData)', async () => {
    const tenant = fixTenant();
    const app = await fixApp(tenant);
    const res = await stack.gql(
      ADD_BUNDLE,
      {
        app: app.id,
        in: {
          name: '',
          instanceAuthRequestInputSchema: 'not json',
          defaultInstanceAuth: { credential: { basic: { username: 'a', password: 'b' }, oauth: null } },
          apiDefinitions: [
            fixAPIInput({ targetURL: 'ftp://x', spec: { type: 'ODATA', format: 'YAML', data: 'x' } }),
          ],
          eventDefinitions: [fixEventInput({ spec: { type: 'ASYNC_API', format: 'JSON' } })],
          documents: [
            fixDocumentInput({ fetchRequest: { url: 'https://docs.example.com/guide.md', filter: '' } }),
          ],
        },
      },
      tenant,
    );
    expect(res.body).toEqual({
      data: null,
      errors: [
        expect.objectContaining({
          message:
            'Invalid data BundleCreateInput [name=cannot be blank; instanceAuthRequestInputSchema=must be a stringified JSON object; ' +
            'apiDefinitions[0].targetURL=must be a valid URL; apiDefinitions[0].spec.format=for ODATA type, accepted formats are XML and JSON; ' +
            'eventDefinitions[0].spec=data or fetchRequest required; documents[0].fetchRequest.filter=cannot be blank]',
          extensions: { error: 'InvalidData', error_code: 22 },
        }),
      ],
    });
    expect(await stack.mongo.db.collection(BUNDLES).countDocuments({ tenantId: tenant })).toBe(0);
  });

  it('refuses a credential with both basic and oauth', async () => {
    const tenant = fixTenant();
    const app = await fixApp(tenant);
    const both = {
      basic: { username: 'a', password: 'b' },
      oauth: { clientId: 'c', clientSecret: 's', url: 'https://auth.example.com' },
    };
    const res = await stack.gql(
      ADD_BUNDLE,
      { app: app.id, in: { name: 'b', defaultInstanceAuth: { credential: both } } },
      tenant,
    );
    expect(res.body.errors?.[0]?.message).toBe(
      'Invalid data BundleCreateInput [defaultInstanceAuth.credential=exactly one of basic or oauth]',
    );
  });

  it('answers NotFound for a missing application or bundle', async () => {
    const tenant = fixTenant();
    expect((await stack.gql(ADD_BUNDLE, { app: MISSING_ID, in: { name: 'b' } }, tenant)).body).toEqual(
      notFound('application', MISSING_ID),
    );
    expect((await stack.gql(UPDATE_BUNDLE, { id: MISSING_ID, in: { name: 'b' } }, tenant)).body).toEqual(
      notFound('bundle', MISSING_ID),
    );
    expect((await stack.gql(DELETE_BUNDLE, { id: MISSING_ID }, tenant)).body).toEqual(
      notFound('bundle', MISSING_ID),
    );
  });

  it('registers an application with nested bundles and reads them back with groups and pages', async () => {
    const tenant = fixTenant();
    const three = [
      fixAPIInput({ name: 'a' }),
      fixAPIInput({ name: 'b' }),
      fixAPIInput({ name: 'c', group: 'v2' }),
    ];
    const app = await fixApp(tenant, {
      bundles: [
        fixBundleInput({ apiDefinitions: three }),
        fixBundleInput({ name: 'empty', apiDefinitions: [] }),
      ],
    });

    type Page = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; data: Obj[] };
    type Read = { bundles: { totalCount: number; data: Array<Obj & { apiDefinitions: Page }> } };
    const read = await okData<Read>(stack, APP_WITH_BUNDLES, { id: app.id, group: 'v1', first: 1 }, tenant);
    expect(read.bundles.totalCount).toBe(2);
    const full = read.bundles.data.find((b) => b.name === 'orders-bundle')!;
    expect(full.apiDefinitions).toEqual({
      totalCount: 2,
      pageInfo: { hasNextPage: true, endCursor: expect.any(String) },
      data: [{ id: expect.any(String), name: expect.stringMatching(/^[ab]$/), group: 'v1' }],
    });
    expect(full).toMatchObject({
      eventDefinitions: { totalCount: 1, data: [{ name: 'order-created' }] },
      documents: { totalCount: 1, data: [{ title: 'Guide' }] },
    });
    const next = await okData<Read>(
      stack,
      APP_WITH_BUNDLES,
      { id: app.id, group: 'v1', first: 1, after: full.apiDefinitions.pageInfo.endCursor },
      tenant,
    );
    const second = next.bundles.data.find((b) => b.id === full.id)!.apiDefinitions;
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(second.data).toHaveLength(1);
    expect(second.data[0]!.id).not.toBe(full.apiDefinitions.data[0]!.id);
    expect(read.bundles.data.find((b) => b.name === 'empty')!.apiDefinitions.totalCount).toBe(0);
  });

  it('reads a page of applications with nested content by ID, never by parent', async () => {
    const tenant = fixTenant();
    for (const name of ['nested-one', 'nested-two', 'nested-three']) {
      await fixApp(tenant, {
        name,
        bundles: [fixBundleInput(), fixBundleInput({ name: 'second' })],
        webhooks: [{ type: 'CONFIGURATION_CHANGED', url: 'https://hooks.example.com/changed' }],
      });
    }
    const query = `{ applications(first: 10) { data { name webhooks { id } bundles { totalCount data {
      apiDefinitions { totalCount data { id } } eventDefinitions { data { id } } documents { data { id } }
    } } } } }`;
    type Nested = {
      applications: {
        data: Array<{
          webhooks: unknown[];
          bundles: {
            totalCount: number;
            data: Array<
              { apiDefinitions: { totalCount: number; data: unknown[] } } & Record<
                string,
                { data: unknown[] }
              >
            >;
          };
        }>;
      };
    };
    const { result, reads } = await recordReads(() => stack.gql<Nested>(query, {}, tenant));
    const apps = result.body.data!.applications.data;
    expect(apps).toHaveLength(3);
    for (const app of apps) {
      expect(app.webhooks).toHaveLength(1);
      expect(app.bundles.totalCount).toBe(2);
      for (const bundle of app.bundles.data) {
        expect(bundle.apiDefinitions.totalCount).toBe(2);
        expect(bundle.eventDefinitions!.data).toHaveLength(1);
        expect(bundle.documents!.data).toHaveLength(1);
      }
    }
    const content = reads.filter((r) =>
      [BUNDLES, API_DEFINITIONS, EVENT_DEFINITIONS, DOCUMENTS, WEBHOOKS].some((c) =>
        r.name.startsWith(`${c}.`),
      ),
    );
    expect(content.length).toBeGreaterThan(0);
    for (const read of content) expect(Object.keys(read.filter)).toEqual(['_id']);
    expect(reads.filter((r) => r.name.startsWith(`${APPLICATIONS}.`))).toHaveLength(1);
  });

  it('refuses a registration whose nested bundle is invalid, writing nothing', async () => {
    const tenant = fixTenant();
    const res = await stack.gql(
      REGISTER,
      {
        in: fixApplicationInput({
          bundles: [fixBundleInput({ apiDefinitions: [fixAPIInput({ group: 'g'.repeat(37) })] })],
        }),
      },
      tenant,
    );
    expect(res.body).toEqual({
      data: null,
      errors: [
        expect.objectContaining({
          message:
            'Invalid data ApplicationRegisterInput [bundles[0].apiDefinitions[0].group=the length must be no more than 36]',
          extensions: { error: 'InvalidData', error_code: 22 },
        }),
      ],
    });
    expect(await stack.mongo.db.collection(BUNDLES).countDocuments({ tenantId: tenant })).toBe(0);
  });

  it('removes bundles and their content when the application is unregistered', async () => {
    const tenant = fixTenant();
    const app = await fixApp(tenant, { bundles: [fixBundleInput()] });
    await okData(
      stack,
      `mutation ($id: ID!) { unregisterApplication(id: $id) { id } }`,
      { id: app.id },
      tenant,
    );
    for (const col of [BUNDLES, 'api_definitions', 'event_definitions', 'documents']) {
      expect(await stack.mongo.db.collection(col).countDocuments({ tenantId: tenant })).toBe(0);
    }
  });

  it('keeps bundles, APIs, events and documents invisible and unchangeable to another tenant', async () => {
    const owner = fixTenant();
    const intruder = fixTenant();
    const app = await fixApp(owner);
    const bundle = await okData(stack, ADD_BUNDLE, { app: app.id, in: { name: 'b' } }, owner);
    const api = await okData(stack, ADD_API, { bundle: bundle.id, in: fixAPIInput() }, owner);
    const event = await okData(stack, ADD_EVENT, { bundle: bundle.id, in: fixEventInput() }, owner);
    const doc = await okData(stack, ADD_DOCUMENT, { bundle: bundle.id, in: fixDocumentInput() }, owner);
    const ids = { app: app.id, id: bundle.id, api: api.id, event: event.id, doc: doc.id };

    const guessed = await stack.gql(BUNDLE_BY_ID, ids, intruder);
    expect(guessed.body).toEqual({ data: { application: null } });
    expect((await stack.gql(ADD_BUNDLE, { app: app.id, in: { name: 'x' } }, intruder)).body).toEqual(
      notFound('application', app.id),
    );
    expect((await stack.gql(UPDATE_BUNDLE, { id: bundle.id, in: { name: 'x' } }, intruder)).body).toEqual(
      notFound('bundle', bundle.id),
    );
    expect((await stack.gql(DELETE_BUNDLE, { id: bundle.id }, intruder)).body).toEqual(
      notFound('bundle', bundle.id),
    );
    for (const [query, vars, object, id] of [
      [ADD_API, { bundle: bundle.id, in: fixAPIInput() }, 'bundle', bundle.id],
      [ADD_EVENT, { bundle: bundle.id, in: fixEventInput() }, 'bundle', bundle.id],
      [ADD_DOCUMENT, { bundle: bundle.id, in: fixDocumentInput() }, 'bundle', bundle.id],
      [
        `mutation ($id: ID!) { deleteAPIDefinition(id: $id) { id } }`,
        { id: api.id },
        'apiDefinition',
        api.id,
      ],
      [
        `mutation ($id: ID!) { deleteEventDefinition(id: $id) { id } }`,
        { id: event.id },
        'eventDefinition',
        event.id,
      ],
      [`mutation ($id: ID!) { deleteDocument(id: $id) { id } }`, { id: doc.id }, 'document', doc.id],
      [
        `mutation ($id: ID!) { refetchAPISpec(apiID: $id) { data } }`,
        { id: api.id },
        'apiDefinition',
        api.id,
      ],
    ] as const) {
      expect((await stack.gql(query, vars, intruder)).body).toEqual(notFound(object, id));
    }

    const seen = await stack.gql(BUNDLE_BY_ID, ids, owner);
    expect(seen.body).toEqual({
      data: {
        application: {
          bundle: {
            id: bundle.id,
            name: 'b',
            apiDefinition: { id: api.id },
            eventDefinition: { id: event.id },
            document: { id: doc.id },
          },
        },
      },
    });
  });
});
