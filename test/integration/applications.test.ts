import { applicationWorkflowId } from '../../domain/ids';
import { APPLICATIONS } from '../../store/applications';
import { fixApplicationInput, GET, LIST, REGISTER, UNREGISTER } from '../fixtures/applications';
import { eventually, fixTenant, startStack, type Stack } from './harness';

interface App {
  id: string;
  name: string;
  labels: Record<string, unknown>;
  status: { condition: string; timestamp: string };
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

async function register(tenant: string, input = fixApplicationInput()): Promise<App> {
  const res = await stack.gql<{ registerApplication: App }>(REGISTER, { in: input }, tenant);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.registerApplication;
}

function storedCount(tenant: string): Promise<number> {
  return stack.mongo.db.collection(APPLICATIONS).countDocuments({ tenantId: tenant });
}

describe('application lifecycle', () => {
  it('registers, reads, lists and unregisters an application through its workflow', async () => {
    const tenant = fixTenant();
    const app = await register(tenant);
    expect(app).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'erp-system',
      providerName: 'ACME',
      description: 'The ERP',
      healthCheckURL: 'https://erp.example.com/health',
      labels: {
        region: 'eu-1',
        tier: ['gold'],
        name: 'mp-erp-system',
        integrationSystemID: '',
        scenarios: ['DEFAULT'],
      },
      status: { condition: 'INITIAL', timestamp: expect.any(String) },
    });

    const got = await stack.gql<{ application: App }>(GET, { id: app.id }, tenant);
    expect(got.body).toEqual({ data: { application: app } });

    const list = await stack.gql(LIST, {}, tenant);
    expect(list.body).toEqual({
      data: {
        applications: {
          data: [{ id: app.id, name: 'erp-system' }],
          pageInfo: { startCursor: '', endCursor: '', hasNextPage: false },
          totalCount: 1,
        },
      },
    });

    const removed = await stack.gql<{ unregisterApplication: App }>(UNREGISTER, { id: app.id }, tenant);
    expect(removed.body).toEqual({ data: { unregisterApplication: app } });
    expect((await stack.gql(GET, { id: app.id }, tenant)).body).toEqual({ data: { application: null } });
    expect(await storedCount(tenant)).toBe(0);

    const handle = stack.client.workflow.getHandle(applicationWorkflowId(tenant, app.id));
    await expect(handle.result()).resolves.toBeUndefined();
  });

  it('honours a given status condition', async () => {
    const app = await register(fixTenant(), fixApplicationInput({ statusCondition: 'CONNECTED' }));
    expect(app.status.condition).toBe('CONNECTED');
  });

  it('refuses a second application with the same name in a tenant (NotUnique) but allows it in another', async () => {
    const tenant = fixTenant();
    await register(tenant);
    const dup = await stack.gql(REGISTER, { in: fixApplicationInput() }, tenant);
    expect(dup.body.data).toBeNull();
    expect(dup.body.errors).toEqual([
      expect.objectContaining({
        message: 'Object name is not unique [object=Application]',
        extensions: { error: 'NotUnique', error_code: 21 },
      }),
    ]);
    expect(await storedCount(tenant)).toBe(1);
    await register(fixTenant());
  });
});

describe('tenant', () => {
  it.each([
    ['query', LIST, {}],
    ['mutation', REGISTER, { in: fixApplicationInput() }],
  ])('is required for every %s (TenantRequired, 24)', async (_kind, query, variables) => {
    const res = await stack.gql(query, variables, undefined);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message: 'Tenant is required',
        extensions: { error: 'TenantRequired', error_code: 24 },
      }),
    ]);
  });

  it('isolates applications: another tenant can neither read, list nor unregister them by ID', async () => {
    const owner = fixTenant();
    const intruder = fixTenant();
    const app = await register(owner);

    expect((await stack.gql(GET, { id: app.id }, intruder)).body).toEqual({ data: { application: null } });
    const list = await stack.gql<{ applications: { totalCount: number; data: unknown[] } }>(
      LIST,
      {},
      intruder,
    );
    expect(list.body.data!.applications).toMatchObject({ totalCount: 0, data: [] });

    const unregister = await stack.gql(UNREGISTER, { id: app.id }, intruder);
    expect(unregister.body.errors).toEqual([
      expect.objectContaining({
        message: `Object not found [object=application; ID=${app.id}]`,
        extensions: { error: 'NotFound', error_code: 20 },
      }),
    ]);
    expect((await stack.gql(GET, { id: app.id }, owner)).body).toEqual({ data: { application: app } });
  });
});

describe('invalid input', () => {
  it.each([
    ['an empty name', { name: '' }, 'Invalid data ApplicationRegisterInput [name=cannot be blank]'],
    [
      'an over-long name',
      { name: 'a'.repeat(37) },
      'Invalid data ApplicationRegisterInput [name=the length must be between 1 and 36]',
    ],
    [
      'a bad URL',
      { healthCheckURL: 'ftp:/x' },
      'Invalid data ApplicationRegisterInput [healthCheckURL=must be a valid URL]',
    ],
    [
      'an operator key in a label value',
      { labels: { x: { $where: 'sleep(1)' } } },
      "Invalid data ApplicationRegisterInput [labels.x=object keys may not start with '$' or contain '.']",
    ],
    [
      'a bad label key',
      { labels: { 'a-b': 1 } },
      'Invalid data ApplicationRegisterInput [labels.a-b=key must be 1-256 letters, digits or underscores]',
    ],
  ])('rejects %s with InvalidData (22) and writes nothing', async (_what, overrides, message) => {
    const tenant = fixTenant();
    const res = await stack.gql(REGISTER, { in: fixApplicationInput(overrides) }, tenant);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ message, extensions: { error: 'InvalidData', error_code: 22 } }),
    ]);
    expect(await storedCount(tenant)).toBe(0);
    expect(await stack.client.workflow.count(`TenantId = "${tenant}"`)).toEqual({ count: 0, groups: [] });
  });

  it('rejects unknown input fields with InvalidData (22)', async () => {
    const tenant = fixTenant();
    const res = await stack.gql(REGISTER, { in: fixApplicationInput({ owner: 'me' }) }, tenant);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('"owner" is not defined by type "ApplicationRegisterInput"'),
        extensions: { error: 'InvalidData', error_code: 22 },
      }),
    ]);
    expect(await storedCount(tenant)).toBe(0);
  });
});

describe('pagination', () => {
  it('pages with opaque cursors, a stable order and a total count', async () => {
    const tenant = fixTenant();
    const ids = [];
    for (const name of ['a-one', 'a-two', 'a-three'])
      ids.push((await register(tenant, fixApplicationInput({ name }))).id);
    type Page = {
      applications: {
        data: { id: string }[];
        pageInfo: { endCursor: string; hasNextPage: boolean };
        totalCount: number;
      };
    };

    const first = await stack.gql<Page>(LIST, { first: 2 }, tenant);
    expect(first.body.data!.applications).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    const second = await stack.gql<Page>(
      LIST,
      { first: 2, after: first.body.data!.applications.pageInfo.endCursor },
      tenant,
    );
    expect(second.body.data!.applications).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: false } });

    const seen = [...first.body.data!.applications.data, ...second.body.data!.applications.data].map(
      (a) => a.id,
    );
    expect([...seen].sort()).toEqual([...ids].sort());
    const again = await stack.gql<Page>(LIST, { first: 2 }, tenant);
    expect(again.body.data!.applications.data).toEqual(first.body.data!.applications.data);
  });

  it.each([0, 201, -1])('refuses page size %p with Compass message', async (first) => {
    const res = await stack.gql(LIST, { first }, fixTenant());
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message: 'Invalid data [first=page size must be between 1 and 200]',
        extensions: { error: 'InvalidData', error_code: 22 },
      }),
    ]);
  });

  it('refuses a forged cursor', async () => {
    const res = await stack.gql(LIST, { after: 'bm90LWEtY3Vyc29y' }, fixTenant());
    expect(res.body.errors).toEqual([
      expect.objectContaining({ extensions: { error: 'InvalidData', error_code: 22 } }),
    ]);
  });
});

describe('durability', () => {
  it('loses nothing when the worker is down during registration and a new one takes over', async () => {
    const tenant = fixTenant();
    await stack.stopWorker();
    const pending = stack.gql<{ registerApplication: App }>(REGISTER, { in: fixApplicationInput() }, tenant);

    const workflowId = await eventually(async () => {
      for await (const wf of stack.client.workflow.list({ query: `TenantId = "${tenant}"` }))
        return wf.workflowId;
      return undefined;
    }, 'the registration workflow to be visible');
    expect(await storedCount(tenant)).toBe(0);

    await stack.startWorker();
    const res = await pending;
    expect(res.body.errors).toBeUndefined();
    const app = res.body.data!.registerApplication;
    expect(workflowId).toBe(applicationWorkflowId(tenant, app.id));
    expect((await stack.gql(GET, { id: app.id }, tenant)).body).toEqual({ data: { application: app } });
  });
});

describe('operator visibility', () => {
  it('exposes each application workflow with its search attributes, filterable by TenantId', async () => {
    const tenant = fixTenant();
    const app = await register(tenant);
    const description = await stack.client.workflow
      .getHandle(applicationWorkflowId(tenant, app.id))
      .describe();
    const ours = ['TenantId', 'ApplicationId', 'CompassStatus', 'RuntimeId'];
    const attrs = Object.fromEntries(
      description.typedSearchAttributes
        .getAll()
        .filter((p) => ours.includes(p.key.name))
        .map((p) => [p.key.name, p.value]),
    );
    expect(attrs).toEqual({ TenantId: tenant, ApplicationId: app.id, CompassStatus: 'INITIAL' });
    expect(description.type).toBe('applicationWorkflow');

    const found = await eventually(async () => {
      const ids: string[] = [];
      for await (const wf of stack.client.workflow.list({
        query: `TenantId = "${tenant}" AND CompassStatus = "INITIAL"`,
      })) {
        ids.push(wf.workflowId);
      }
      return ids.length > 0 ? ids : undefined;
    }, 'visibility to index the workflow');
    expect(found).toEqual([applicationWorkflowId(tenant, app.id)]);
  });
});
