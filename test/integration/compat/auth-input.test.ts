import { BUNDLES } from '../../../store/bundle-collections';
import { graphqlError } from '../../fixtures/errors';
import { fixTenant, okData, startStack, type Stack } from '../harness';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const AUTH = `additionalHeaders additionalHeadersSerialized additionalQueryParams additionalQueryParamsSerialized
  requestAuth { csrf { tokenEndpointURL additionalHeaders additionalHeadersSerialized
    additionalQueryParams additionalQueryParamsSerialized } }`;
const ADD_BUNDLE = `mutation ($app: ID!, $in: BundleCreateInput!) {
  addBundle(applicationID: $app, in: $in) { id defaultInstanceAuth { ${AUTH} } } }`;
const READ = `query ($id: ID!) { application(id: $id) { bundles { data { id defaultInstanceAuth { ${AUTH} } } } } }`;

async function fixApp(tenant: string): Promise<string> {
  const app = await okData(
    stack,
    `mutation { registerApplication(in: { name: "auth-input" }) { id } }`,
    {},
    tenant,
  );
  return app.id;
}

describe("AuthInput's serialized headers and query parameters", () => {
  it('accepts them as JSON strings and shows every auth both ways', async () => {
    const tenant = fixTenant();
    const app = await fixApp(tenant);
    const defaultInstanceAuth = {
      additionalHeadersSerialized: JSON.stringify({ 'X-Api-Key': ['k1'] }),
      additionalQueryParamsSerialized: JSON.stringify({ page: ['1', '2'] }),
      requestAuth: {
        csrf: {
          tokenEndpointURL: 'https://erp.example.com/csrf',
          additionalHeadersSerialized: JSON.stringify({ 'X-Csrf': ['fetch'] }),
        },
      },
    };
    const added = await okData<{ id: string; defaultInstanceAuth: unknown }>(
      stack,
      ADD_BUNDLE,
      { app, in: { name: 'serialized', defaultInstanceAuth } },
      tenant,
    );
    const expected = {
      additionalHeaders: { 'X-Api-Key': ['k1'] },
      additionalHeadersSerialized: '{"X-Api-Key":["k1"]}',
      additionalQueryParams: { page: ['1', '2'] },
      additionalQueryParamsSerialized: '{"page":["1","2"]}',
      requestAuth: {
        csrf: {
          tokenEndpointURL: 'https://erp.example.com/csrf',
          additionalHeaders: { 'X-Csrf': ['fetch'] },
          additionalHeadersSerialized: '{"X-Csrf":["fetch"]}',
          additionalQueryParams: null,
          additionalQueryParamsSerialized: null,
        },
      },
    };
    expect(added.defaultInstanceAuth).toEqual(expected);

    // The deprecated maps still work, and their serialized form is shown too.
    await okData(
      stack,
      ADD_BUNDLE,
      { app, in: { name: 'maps', defaultInstanceAuth: { additionalHeaders: { 'X-A': ['b'] } } } },
      tenant,
    );
    const read = await okData<{ bundles: { data: Array<{ defaultInstanceAuth: Record<string, unknown> }> } }>(
      stack,
      READ,
      { id: app },
      tenant,
    );
    expect(read.bundles.data.map((b) => b.defaultInstanceAuth)).toEqual(
      expect.arrayContaining([
        expected,
        {
          additionalHeaders: { 'X-A': ['b'] },
          additionalHeadersSerialized: '{"X-A":["b"]}',
          additionalQueryParams: null,
          additionalQueryParamsSerialized: null,
          requestAuth: null,
        },
      ]),
    );
  });

  it('uses the serialized form when both are given, as Compass does', async () => {
    const tenant = fixTenant();
    const added = await okData<{ defaultInstanceAuth: Record<string, unknown> }>(
      stack,
      ADD_BUNDLE,
      {
        app: await fixApp(tenant),
        in: {
          name: 'both',
          defaultInstanceAuth: {
            additionalHeaders: { 'X-Old': ['map'] },
            additionalHeadersSerialized: '{"X-New":["json"]}',
            additionalQueryParamsSerialized: 'null',
          },
        },
      },
      tenant,
    );
    expect(added.defaultInstanceAuth).toMatchObject({
      additionalHeaders: { 'X-New': ['json'] },
      additionalHeadersSerialized: '{"X-New":["json"]}',
      additionalQueryParams: null,
    });
  });

  it.each([
    [
      'invalid JSON',
      { additionalHeadersSerialized: '{"X-A": [' },
      'defaultInstanceAuth.additionalHeadersSerialized',
    ],
    [
      'a JSON list',
      { additionalQueryParamsSerialized: '["a"]' },
      'defaultInstanceAuth.additionalQueryParamsSerialized',
    ],
    [
      'a value that is not a list',
      { additionalHeadersSerialized: '{"X-A":"b"}' },
      'defaultInstanceAuth.additionalHeadersSerialized.X-A',
    ],
  ])('refuses %s as InvalidData and stores nothing', async (_what, defaultInstanceAuth, field) => {
    const tenant = fixTenant();
    const res = await stack.gql(
      ADD_BUNDLE,
      { app: await fixApp(tenant), in: { name: 'bad', defaultInstanceAuth } },
      tenant,
    );
    const problem = field.endsWith('X-A')
      ? 'must be a list of strings'
      : 'must be a JSON object mapping each name to a list of strings';
    expect(res.body).toEqual({
      data: null,
      errors: graphqlError(`Invalid data BundleCreateInput [${field}=${problem}]`, 'InvalidData', 22),
    });
    expect(await stack.mongo.db.collection(BUNDLES).countDocuments({ tenantId: tenant })).toBe(0);
  });

  it('refuses a serialized value that is not a string', async () => {
    const tenant = fixTenant();
    const res = await stack.gql(
      ADD_BUNDLE,
      {
        app: await fixApp(tenant),
        in: { name: 'bad', defaultInstanceAuth: { additionalHeadersSerialized: 7 } },
      },
      tenant,
    );
    expect(res.status).toBeLessThan(500);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ extensions: { error: 'InvalidData', error_code: 22 } }),
    ]);
  });
});
