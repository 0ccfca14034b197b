import { specFetchWorkflowId } from '../../domain/ids';
import { fixApplicationInput, REGISTER } from '../fixtures/applications';
import {
  ADD_API,
  ADD_BUNDLE,
  ADD_DOCUMENT,
  ADD_EVENT,
  DELETE_API,
  DELETE_DOCUMENT,
  DELETE_EVENT,
  REFETCH_API,
  REFETCH_EVENT,
  UPDATE_API,
  UPDATE_EVENT,
  fixAPIInput,
  fixBundleInput,
  fixDocumentInput,
  fixEventInput,
} from '../fixtures/bundles';
import { MISSING_ID, notFoundError } from '../fixtures/errors';
import { type SpecServer, startSpecServer } from '../fixtures/spec-server';
import { fixTenant, type Obj, okData, startStack, type Stack } from './harness';

let stack: Stack;
let specs: SpecServer;
beforeAll(async () => {
  [stack, specs] = await Promise.all([startStack(), startSpecServer()]);
});
afterAll(async () => {
  await stack?.close();
  await specs?.close();
});

async function fixBundle(tenant: string): Promise<Obj> {
  const app = await okData(stack, REGISTER, { in: fixApplicationInput() }, tenant);
  return okData(stack, ADD_BUNDLE, { app: app.id, in: { name: 'b' } }, tenant);
}

function fetched(url: string, condition: string, message: string | null = null) {
  return { url, mode: 'SINGLE', filter: null, status: { condition, message, timestamp: expect.any(String) } };
}

describe('API and event definitions and documents', () => {
  it('adds, updates and deletes an API definition', async () => {
    const tenant = fixTenant();
    const bundle = await fixBundle(tenant);
    const api = await okData(stack, ADD_API, { bundle: bundle.id, in: fixAPIInput() }, tenant);
    expect(api).toEqual({
      id: expect.any(String),
      name: 'orders',
      description: 'Orders API',
      targetURL: 'https://erp.example.com/api/orders',
      group: 'v1',
      version: { value: 'v1', deprecated: false, deprecatedSince: null, forRemoval: null },
      spec: { data: 'openapi: 3.0.0', format: 'YAML', type: 'OPEN_API', fetchRequest: null },
    });
    const updated = await okData(
      stack,
      UPDATE_API,
      { id: api.id, in: { name: 'orders-v2', targetURL: 'https://erp.example.com/v2' } },
      tenant,
    );
    expect(updated).toEqual({
      id: api.id,
      name: 'orders-v2',
      description: null,
      targetURL: 'https://erp.example.com/v2',
      group: null,
      version: null,
      spec: null,
    });
    expect((await stack.gql(DELETE_API, { id: api.id }, tenant)).body).toEqual({
      data: { deleteAPIDefinition: { id: api.id, name: 'orders-v2' } },
    });
    expect((await stack.gql(DELETE_API, { id: api.id }, tenant)).body.errors?.[0]?.message).toBe(
      `Object not found [object=apiDefinition; ID=${api.id}]`,
    );
  });

  it('adds, updates and deletes an event definition and a document', async () => {
    const tenant = fixTenant();
    const bundle = await fixBundle(tenant);
    const event = await okData(stack, ADD_EVENT, { bundle: bundle.id, in: fixEventInput() }, tenant);
    expect(event).toMatchObject({ name: 'order-created', spec: { type: 'ASYNC_API', format: 'JSON' } });
    const updated = await okData(
      stack,
      UPDATE_EVENT,
      { id: event.id, in: fixEventInput({ group: 'g1' }) },
      tenant,
    );
    expect(updated).toMatchObject({ id: event.id, group: 'g1' });
    expect((await stack.gql(DELETE_EVENT, { id: event.id }, tenant)).body).toEqual({
      data: { deleteEventDefinition: { id: event.id, name: 'order-created' } },
    });

    const doc = await okData(
      stack,
      ADD_DOCUMENT,
      { bundle: bundle.id, in: fixDocumentInput({ kind: 'guide' }) },
      tenant,
    );
    expect(doc).toEqual({
      id: expect.any(String),
      title: 'Guide',
      displayName: 'Integration guide',
      description: 'How to integrate',
      format: 'MARKDOWN',
      kind: 'guide',
      data: '# Guide',
      fetchRequest: null,
    });
    expect((await stack.gql(DELETE_DOCUMENT, { id: doc.id }, tenant)).body).toEqual({
      data: { deleteDocument: { id: doc.id, title: 'Guide' } },
    });
  });

  it.each([
    [
      'an ODATA spec in YAML',
      ADD_API,
      fixAPIInput({ spec: { type: 'ODATA', format: 'YAML', data: 'x' } }),
      'Invalid data APIDefinitionInput [spec.format=for ODATA type, accepted formats are XML and JSON]',
    ],
    [
      'an API name over 100 characters and a long URL',
      ADD_API,
      fixAPIInput({ name: 'n'.repeat(101), targetURL: `https://x.example.com/${'p'.repeat(250)}` }),
      'Invalid data APIDefinitionInput [name=the length must be no more than 100; targetURL=the length must be no more than 256]',
    ],
    [
      'a fetch request with a blank username and a blank filter',
      ADD_API,
      fixAPIInput({
        spec: {
          type: 'OPEN_API',
          format: 'JSON',
          fetchRequest: {
            url: 'https://x.example.com',
            filter: '',
            auth: { credential: { basic: { username: '', password: 'p' } } },
          },
        },
      }),
      'Invalid data APIDefinitionInput [spec.fetchRequest.auth.credential.basic.username=cannot be blank; spec.fetchRequest.filter=cannot be blank]',
    ],
    [
      'an AsyncAPI spec in XML',
      ADD_EVENT,
      fixEventInput({ spec: { type: 'ASYNC_API', format: 'XML', data: '<x/>' } }),
      'Invalid data EventDefinitionInput [spec.format=for ASYNC_API type, accepted formats are YAML and JSON]',
    ],
    [
      'a document with a blank title',
      ADD_DOCUMENT,
      fixDocumentInput({ title: ' ' }),
      'Invalid data DocumentInput [title=cannot be blank]',
    ],
  ])('refuses %s (InvalidData)', async (_what, mutation, input, message) => {
    const tenant = fixTenant();
    const bundle = await fixBundle(tenant);
    expect((await stack.gql(mutation, { bundle: bundle.id, in: input }, tenant)).body).toEqual({
      data: null,
      errors: [expect.objectContaining({ message, extensions: { error: 'InvalidData', error_code: 22 } })],
    });
  });

  it.each([
    [ADD_API, { bundle: MISSING_ID, in: fixAPIInput() }, 'bundle'],
    [ADD_EVENT, { bundle: MISSING_ID, in: fixEventInput() }, 'bundle'],
    [ADD_DOCUMENT, { bundle: MISSING_ID, in: fixDocumentInput() }, 'bundle'],
    [UPDATE_API, { id: MISSING_ID, in: fixAPIInput() }, 'apiDefinition'],
    [UPDATE_EVENT, { id: MISSING_ID, in: fixEventInput() }, 'eventDefinition'],
    [DELETE_EVENT, { id: MISSING_ID }, 'eventDefinition'],
    [DELETE_DOCUMENT, { id: MISSING_ID }, 'document'],
    [REFETCH_EVENT, { id: MISSING_ID }, 'eventDefinition'],
  ])('answers NotFound when the parent or object is missing (%#)', async (mutation, vars, object) => {
    expect((await stack.gql(mutation, vars, fixTenant())).body).toEqual({
      data: null,
      errors: notFoundError(object, MISSING_ID),
    });
  });
});

describe('spec fetch', () => {
  it('fetches a spec on creation through its workflow, and again on refetch', async () => {
    const tenant = fixTenant();
    const bundle = await fixBundle(tenant);
    const url = `${specs.url}/spec`;
    const spec = { type: 'OPEN_API', format: 'YAML', fetchRequest: { url } };
    const api = await okData<Obj & { spec: unknown }>(
      stack,
      ADD_API,
      { bundle: bundle.id, in: fixAPIInput({ spec }) },
      tenant,
    );
    expect(api.spec).toEqual({
      data: 'openapi: 3.0.0\ninfo: { title: orders }',
      format: 'YAML',
      type: 'OPEN_API',
      fetchRequest: fetched(url, 'SUCCEEDED'),
    });
    const run = await stack.client.workflow.getHandle(specFetchWorkflowId(tenant, api.id)).describe();
    expect(run.status.name).toBe('COMPLETED');

    specs.setSpec('openapi: 3.1.0');
    expect(await okData(stack, REFETCH_API, { id: api.id }, tenant)).toEqual({
      data: 'openapi: 3.1.0',
      format: 'YAML',
      type: 'OPEN_API',
      fetchRequest: fetched(url, 'SUCCEEDED'),
    });
    specs.setSpec('openapi: 3.0.0\ninfo: { title: orders }');
  });

  it('lists every definition added to one bundle at the same moment', async () => {
    const tenant = fixTenant();
    const app = await okData(stack, REGISTER, { in: fixApplicationInput() }, tenant);
    const bundle = await okData(stack, ADD_BUNDLE, { app: app.id, in: { name: 'b' } }, tenant);
    const names = Array.from({ length: 8 }, (_, i) => `parallel-${i}`);
    await Promise.all(
      names.map((name) => okData(stack, ADD_API, { bundle: bundle.id, in: fixAPIInput({ name }) }, tenant)),
    );
    type Read = { bundle: { apiDefinitions: { totalCount: number; data: Array<{ name: string }> } } };
    const read = await okData<Read>(
      stack,
      `query ($app: ID!, $id: ID!) { application(id: $app) {
        bundle(id: $id) { apiDefinitions { totalCount data { name } } } } }`,
      { app: app.id, id: bundle.id },
      tenant,
    );
    expect(read.bundle.apiDefinitions.totalCount).toBe(names.length);
    expect(read.bundle.apiDefinitions.data.map((a) => a.name).sort()).toEqual([...names].sort());
  });

  it('records a failed fetch with its reason and still creates the definition', async () => {
    const tenant = fixTenant();
    const bundle = await fixBundle(tenant);
    const missing = `${specs.url}/missing`;
    const event = await okData<Obj & { spec: unknown }>(
      stack,
      ADD_EVENT,
      {
        bundle: bundle.id,
        in: fixEventInput({ spec: { type: 'ASYNC_API', format: 'YAML', fetchRequest: { url: missing } } }),
      },
      tenant,
    );
    expect(event.spec).toEqual({
      data: null,
      format: 'YAML',
      type: 'ASYNC_API',
      fetchRequest: fetched(missing, 'FAILED', 'unexpected status code 404'),
    });
    expect(await okData(stack, REFETCH_EVENT, { id: event.id }, tenant)).toEqual({
      data: null,
      fetchRequest: fetched(missing, 'FAILED', 'unexpected status code 404'),
    });

    const huge = `${specs.url}/huge`;
    const doc = await okData(
      stack,
      ADD_DOCUMENT,
      { bundle: bundle.id, in: fixDocumentInput({ data: null, fetchRequest: { url: huge } }) },
      tenant,
    );
    expect(doc.fetchRequest).toEqual(fetched(huge, 'FAILED', 'response body exceeds 5242880 bytes'));
  });

  it('fetches the specs of bundles created with their application', async () => {
    const tenant = fixTenant();
    const url = `${specs.url}/spec`;
    const api = fixAPIInput({ spec: { type: 'OPEN_API', format: 'YAML', fetchRequest: { url } } });
    const app = await okData(
      stack,
      REGISTER,
      { in: fixApplicationInput({ bundles: [fixBundleInput({ apiDefinitions: [api] })] }) },
      tenant,
    );
    const read = await okData<{
      bundles: { data: Array<{ apiDefinitions: { data: Array<{ spec: unknown }> } }> };
    }>(
      stack,
      `query ($id: ID!) { application(id: $id) { bundles { data { apiDefinitions { data { spec { data fetchRequest { status { condition } } } } } } } } }`,
      { id: app.id },
      tenant,
    );
    expect(read.bundles.data[0]!.apiDefinitions.data).toEqual([
      {
        spec: {
          data: 'openapi: 3.0.0\ninfo: { title: orders }',
          fetchRequest: { status: { condition: 'SUCCEEDED' } },
        },
      },
    ]);
  });
});

describe('spec fetches from private networks', () => {
  let guarded: Stack;
  beforeAll(async () => {
    guarded = await startStack({ specFetchAllowPrivateNetworks: false });
  });
  afterAll(async () => {
    await guarded?.close();
  });

  it('are refused by default: the definition is created, its fetch FAILED, nothing sent', async () => {
    const tenant = fixTenant();
    const app = await guarded.gql<{ registerApplication: Obj }>(
      REGISTER,
      { in: fixApplicationInput() },
      tenant,
    );
    const bundle = await guarded.gql<{ addBundle: Obj }>(
      ADD_BUNDLE,
      { app: app.body.data!.registerApplication.id, in: { name: 'b' } },
      tenant,
    );
    const before = specs.requests();
    const url = `${specs.url}/spec`;
    const res = await guarded.gql<{ addAPIDefinitionToBundle: Obj & { spec: unknown } }>(
      ADD_API,
      {
        bundle: bundle.body.data!.addBundle.id,
        in: fixAPIInput({ spec: { type: 'OPEN_API', format: 'YAML', fetchRequest: { url } } }),
      },
      tenant,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.addAPIDefinitionToBundle.spec).toMatchObject({
      data: null,
      fetchRequest: fetched(url, 'FAILED', 'address 127.0.0.1 of 127.0.0.1 is not allowed (private network)'),
    });
    expect(specs.requests()).toBe(before);
  });
});
