import { WEBHOOKS } from '../../store/webhooks';
import { fixApplicationInput, REGISTER, UNREGISTER } from '../fixtures/applications';
import { ADD_WEBHOOK, DELETE_WEBHOOK, LIST_WEBHOOKS, UPDATE_WEBHOOK, WEBHOOKS_OF } from '../fixtures/labels';
import { fixTenant, startStack, type Stack } from './harness';
import { graphqlError } from '../fixtures/errors';

interface Webhook {
  id: string;
  applicationID: string;
  type: string;
  url: string;
  auth: unknown;
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

function fixWebhookInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'CONFIGURATION_CHANGED',
    url: 'https://erp.example.com/hooks',
    auth: { credential: { basic: { username: 'u', password: 'p' } }, additionalHeaders: { 'X-A': ['1'] } },
    ...overrides,
  };
}

async function register(tenant: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await stack.gql<{ registerApplication: { id: string } }>(
    REGISTER,
    { in: fixApplicationInput(overrides) },
    tenant,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.registerApplication.id;
}

async function webhooksOf(tenant: string, id: string): Promise<Webhook[] | null | undefined> {
  const res = await stack.gql<{ application: { webhooks: Webhook[] | null } | null }>(
    WEBHOOKS_OF,
    { id },
    tenant,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.application?.webhooks;
}

describe('webhooks', () => {
  it('are added, read through the application, updated and deleted', async () => {
    const tenant = fixTenant();
    const appId = await register(tenant);
    const added = await stack.gql<{ addWebhook: Webhook }>(
      ADD_WEBHOOK,
      { app: appId, in: fixWebhookInput() },
      tenant,
    );
    const webhook = {
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      applicationID: appId,
      type: 'CONFIGURATION_CHANGED',
      url: 'https://erp.example.com/hooks',
      auth: { credential: { username: 'u', password: 'p' }, additionalHeaders: { 'X-A': ['1'] } },
    };
    expect(added.body).toEqual({ data: { addWebhook: webhook } });
    const id = added.body.data!.addWebhook.id;
    expect(await webhooksOf(tenant, appId)).toEqual([webhook]);

    const oauth = { clientId: 'c', clientSecret: 's', url: 'https://auth.example.com/token' };
    const updated = await stack.gql(
      UPDATE_WEBHOOK,
      {
        id,
        in: {
          type: 'REGISTER_APPLICATION',
          url: 'https://erp.example.com/register',
          auth: { credential: { oauth } },
        },
      },
      tenant,
    );
    const replaced = {
      id,
      applicationID: appId,
      type: 'REGISTER_APPLICATION',
      url: 'https://erp.example.com/register',
      auth: { credential: oauth, additionalHeaders: null },
    };
    expect(updated.body).toEqual({ data: { updateWebhook: replaced } });

    expect((await stack.gql(DELETE_WEBHOOK, { id }, tenant)).body).toEqual({
      data: { deleteWebhook: replaced },
    });
    expect(await webhooksOf(tenant, appId)).toEqual([]);
  });

  it('given at registration are stored with the application and removed with it', async () => {
    const tenant = fixTenant();
    const appId = await register(tenant, {
      webhooks: [fixWebhookInput(), fixWebhookInput({ type: 'UNREGISTER_APPLICATION', auth: null })],
    });
    const hooks = await webhooksOf(tenant, appId);
    expect(hooks).toHaveLength(2);
    expect(hooks!.map((h) => [h.type, h.applicationID]).sort()).toEqual([
      ['CONFIGURATION_CHANGED', appId],
      ['UNREGISTER_APPLICATION', appId],
    ]);
    await register(tenant, {
      name: 'other',
      webhooks: [fixWebhookInput({ url: 'https://other.example.com' })],
    });
    const list = await stack.gql<{ applications: { data: { name: string; webhooks: unknown[] }[] } }>(
      LIST_WEBHOOKS,
      {},
      tenant,
    );
    expect(list.body.data!.applications.data.map((a) => [a.name, a.webhooks.length]).sort()).toEqual([
      ['erp-system', 2],
      ['other', 1],
    ]);

    await stack.gql(UNREGISTER, { id: appId }, tenant);
    expect(
      await stack.mongo.db.collection(WEBHOOKS).countDocuments({ tenantId: tenant, applicationId: appId }),
    ).toBe(0);
  });

  it('refuse a registration with an invalid webhook (InvalidData, 22) and write nothing', async () => {
    const tenant = fixTenant();
    const res = await stack.gql(
      REGISTER,
      { in: fixApplicationInput({ webhooks: [fixWebhookInput({ url: 'nope' })] }) },
      tenant,
    );
    expect(res.body.errors).toEqual(
      graphqlError(
        'Invalid data ApplicationRegisterInput [webhooks.0.url=must be a valid URL]',
        'InvalidData',
        22,
      ),
    );
    expect(await stack.mongo.db.collection(WEBHOOKS).countDocuments({ tenantId: tenant })).toBe(0);
  });

  it.each([
    ['a bad URL', { url: 'ftp:/x' }, 'Invalid data WebhookInput [url=must be a valid URL]'],
    [
      'two credentials',
      {
        auth: {
          credential: {
            basic: { username: 'u', password: 'p' },
            oauth: { clientId: 'c', clientSecret: 's', url: 'https://a.example.com' },
          },
        },
      },
      'Invalid data WebhookInput [auth.credential=exactly one of basic or oauth]',
    ],
  ])('refuse %s (InvalidData, 22)', async (_what, overrides, message) => {
    const tenant = fixTenant();
    const appId = await register(tenant);
    const res = await stack.gql(ADD_WEBHOOK, { app: appId, in: fixWebhookInput(overrides) }, tenant);
    expect(res.body.errors).toEqual(graphqlError(message, 'InvalidData', 22));
    expect(await webhooksOf(tenant, appId)).toEqual([]);
  });

  it('report a missing application or webhook as NotFound (20)', async () => {
    const tenant = fixTenant();
    const missing = 'f0e1d2c3-b4a5-4697-8879-6a5b4c3d2e1f';
    expect(
      (await stack.gql(ADD_WEBHOOK, { app: missing, in: fixWebhookInput() }, tenant)).body.errors,
    ).toEqual(graphqlError(`Object not found [object=application; ID=${missing}]`, 'NotFound', 20));
    for (const [query, variables] of [
      [UPDATE_WEBHOOK, { id: missing, in: fixWebhookInput() }],
      [DELETE_WEBHOOK, { id: missing }],
    ] as const) {
      expect((await stack.gql(query, variables, tenant)).body.errors).toEqual(
        graphqlError(`Object not found [object=webhook; ID=${missing}]`, 'NotFound', 20),
      );
    }
  });

  it('are isolated per tenant: another tenant guessing IDs gets NotFound and changes nothing', async () => {
    const owner = fixTenant();
    const intruder = fixTenant();
    const appId = await register(owner);
    const added = await stack.gql<{ addWebhook: Webhook }>(
      ADD_WEBHOOK,
      { app: appId, in: fixWebhookInput() },
      owner,
    );
    const hook = added.body.data!.addWebhook;

    expect(
      (await stack.gql(ADD_WEBHOOK, { app: appId, in: fixWebhookInput() }, intruder)).body.errors,
    ).toEqual(graphqlError(`Object not found [object=application; ID=${appId}]`, 'NotFound', 20));
    for (const [query, variables] of [
      [UPDATE_WEBHOOK, { id: hook.id, in: fixWebhookInput({ url: 'https://evil.example.com' }) }],
      [DELETE_WEBHOOK, { id: hook.id }],
    ] as const) {
      expect((await stack.gql(query, variables, intruder)).body.errors).toEqual(
        graphqlError(`Object not found [object=webhook; ID=${hook.id}]`, 'NotFound', 20),
      );
    }
    expect(await webhooksOf(intruder, appId)).toBeUndefined();
    expect(await webhooksOf(owner, appId)).toEqual([hook]);
  });
});
