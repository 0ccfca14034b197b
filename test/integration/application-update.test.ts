import { applicationWorkflowId } from '../../domain/ids';
import { fixApplicationInput, GET, REGISTER } from '../fixtures/applications';
import { SET_LABEL, UPDATE_APPLICATION } from '../fixtures/labels';
import { fixTenant, okData, startStack, type Stack } from './harness';
import { graphqlError } from '../fixtures/errors';
import { fixIntegrationSystemInput, REGISTER_SYSTEM } from '../fixtures/global-objects';

interface App {
  id: string;
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

async function register(tenant: string, overrides: Record<string, unknown> = {}): Promise<App> {
  const res = await stack.gql<{ registerApplication: App }>(
    REGISTER,
    { in: fixApplicationInput(overrides) },
    tenant,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.registerApplication;
}

describe('updateApplication', () => {
  it('replaces the metadata, keeps the name and labels set meanwhile, and moves the status through the workflow', async () => {
    const tenant = fixTenant();
    const app = await register(tenant, { baseUrl: 'https://erp.example.com' });
    await stack.gql(SET_LABEL, { id: app.id, key: 'owner', value: 'team-a' }, tenant);
    const system = await okData(stack, REGISTER_SYSTEM, { in: fixIntegrationSystemInput() }, tenant);

    const res = await stack.gql<{ updateApplication: App }>(
      UPDATE_APPLICATION,
      {
        id: app.id,
        in: {
          description: 'The new ERP',
          integrationSystemID: system.id,
          baseUrl: 'https://erp2.example.com',
          statusCondition: 'CONNECTED',
        },
      },
      tenant,
    );
    expect(res.body).toEqual({
      data: {
        updateApplication: {
          id: app.id,
          name: 'erp-system',
          providerName: null,
          description: 'The new ERP',
          healthCheckURL: null,
          integrationSystemID: system.id,
          baseUrl: 'https://erp2.example.com',
          labels: {
            ...app.labels,
            owner: 'team-a',
            integrationSystemID: system.id,
          },
          status: { condition: 'CONNECTED', timestamp: expect.any(String) },
        },
      },
    });
    const updated = res.body.data!.updateApplication;
    expect(updated.status.timestamp > app.status.timestamp).toBe(true);
    expect((await stack.gql(GET, { id: app.id }, tenant)).body.data).toEqual({
      application: {
        id: app.id,
        name: 'erp-system',
        providerName: null,
        description: 'The new ERP',
        healthCheckURL: null,
        labels: updated.labels,
        status: updated.status,
      },
    });
    const description = await stack.client.workflow
      .getHandle(applicationWorkflowId(tenant, app.id))
      .describe();
    const status = description.typedSearchAttributes.getAll().find((p) => p.key.name === 'CompassStatus');
    expect(status?.value).toBe('CONNECTED');
  });

  it('keeps the status and its timestamp when no condition is given', async () => {
    const tenant = fixTenant();
    const app = await register(tenant);
    const res = await stack.gql<{ updateApplication: App }>(
      UPDATE_APPLICATION,
      { id: app.id, in: { providerName: 'X' } },
      tenant,
    );
    expect(res.body.data!.updateApplication.status).toEqual(app.status);
  });

  it.each([
    [
      'a bad URL',
      { healthCheckURL: 'nope' },
      'Invalid data ApplicationUpdateInput [healthCheckURL=must be a valid URL]',
    ],
    [
      'an over-long provider',
      { providerName: 'p'.repeat(257) },
      'Invalid data ApplicationUpdateInput [providerName=the length must be no more than 256]',
    ],
    [
      'an over-long base URL',
      { baseUrl: `https://x.example.com/${'a'.repeat(256)}` },
      'Invalid data ApplicationUpdateInput [baseUrl=the length must be no more than 256]',
    ],
  ])('refuses %s (InvalidData, 22) and changes nothing', async (_what, input, message) => {
    const tenant = fixTenant();
    const app = await register(tenant);
    const res = await stack.gql(UPDATE_APPLICATION, { id: app.id, in: input }, tenant);
    expect(res.body.errors).toEqual(graphqlError(message, 'InvalidData', 22));
    expect(
      (await stack.gql<{ application: App }>(GET, { id: app.id }, tenant)).body.data!.application,
    ).toEqual(
      expect.objectContaining({ providerName: 'ACME', healthCheckURL: 'https://erp.example.com/health' }),
    );
  });

  it('cannot rename: name is not part of the input', async () => {
    const tenant = fixTenant();
    const app = await register(tenant);
    const res = await stack.gql(UPDATE_APPLICATION, { id: app.id, in: { name: 'other' } }, tenant);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('"name" is not defined by type "ApplicationUpdateInput"'),
        extensions: { error: 'InvalidData', error_code: 22 },
      }),
    ]);
  });

  it('reports an unknown application, or one of another tenant, as NotFound (20) and changes nothing', async () => {
    const owner = fixTenant();
    const app = await register(owner);
    for (const [id, tenant] of [
      ['f0e1d2c3-b4a5-4697-8879-6a5b4c3d2e1f', owner],
      [app.id, fixTenant()],
    ] as const) {
      const res = await stack.gql(UPDATE_APPLICATION, { id, in: { statusCondition: 'FAILED' } }, tenant);
      expect(res.body.errors).toEqual(
        graphqlError(`Object not found [object=application; ID=${id}]`, 'NotFound', 20),
      );
    }
    expect(
      (await stack.gql<{ application: App }>(GET, { id: app.id }, owner)).body.data!.application.status,
    ).toEqual(app.status);
  });
});

describe('registration fields', () => {
  it('stores integrationSystemID and baseUrl and validates baseUrl', async () => {
    const tenant = fixTenant();
    const system = await okData(stack, REGISTER_SYSTEM, { in: fixIntegrationSystemInput() }, tenant);
    const ok = await stack.gql(
      `mutation R($in: ApplicationRegisterInput!) { registerApplication(in: $in) { integrationSystemID baseUrl } }`,
      { in: fixApplicationInput({ integrationSystemID: system.id, baseUrl: 'https://erp.example.com' }) },
      tenant,
    );
    expect(ok.body).toEqual({
      data: { registerApplication: { integrationSystemID: system.id, baseUrl: 'https://erp.example.com' } },
    });
    const bad = await stack.gql(
      REGISTER,
      { in: fixApplicationInput({ name: 'other', baseUrl: 'erp' }) },
      tenant,
    );
    expect(bad.body.errors).toEqual(
      graphqlError('Invalid data ApplicationRegisterInput [baseUrl=must be a valid URL]', 'InvalidData', 22),
    );
  });
});
