import {
  APP_EVENTING,
  APPS_FOR_RUNTIME,
  DELETE_DEFAULT_EVENTING,
  SET_DEFAULT_EVENTING,
  SET_RUNTIME_LABEL,
} from '../fixtures/runtimes';
import { graphqlError } from '../fixtures/errors';
import { fixScenarioKit } from '../fixtures/runtime-scenarios';
import { fixTenant, startStack, type Stack } from './harness';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ appHideSelectors: { applicationType: ['Test Application'] } });
});
afterAll(async () => {
  await stack?.close();
});

const { fixTenantWithScenarios, registerRuntime, registerApp, labelsOf } = fixScenarioKit(() => stack);

describe('applicationsForRuntime', () => {
  it('lists applications sharing a scenario, normalized, without hidden ones, paged', async () => {
    const tenant = await fixTenantWithScenarios('SA', 'SB', 'SC');
    const rt = await registerRuntime(tenant, { labels: { scenarios: ['SA', 'SB'] } });
    const erp = await registerApp(tenant, 'erp.system', { scenarios: ['SA'] });
    const crm = await registerApp(tenant, 'crm--x-', { scenarios: ['SB', 'SC'] });
    await registerApp(tenant, 'elsewhere', { scenarios: ['SC'] });
    await registerApp(tenant, 'hidden', { scenarios: ['SA'], applicationType: 'Test Application' });

    const res = await stack.gql<{ applicationsForRuntime: { data: { id: string; name: string }[] } }>(
      APPS_FOR_RUNTIME,
      { id: rt.id },
      tenant,
    );
    expect(res.body.errors).toBeUndefined();
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    const matching = [
      { id: erp, name: 'mp-erp-system' },
      { id: crm, name: 'mp-crm-x' },
    ].sort(byId);
    // The server's order (by ID on MongoDB, by insertion on FerretDB), kept across pages.
    const expected = res.body.data!.applicationsForRuntime.data;
    expect([...expected].sort(byId)).toEqual(matching);
    expect(res.body.data!.applicationsForRuntime).toEqual({
      data: expected,
      pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
      totalCount: 2,
    });

    const first = await stack.gql<{
      applicationsForRuntime: { data: unknown[]; pageInfo: { endCursor: string } };
    }>(APPS_FOR_RUNTIME, { id: rt.id, first: 1 }, tenant);
    expect(first.body.data!.applicationsForRuntime.data).toEqual([expected[0]]);
    const second = await stack.gql(
      APPS_FOR_RUNTIME,
      { id: rt.id, first: 1, after: first.body.data!.applicationsForRuntime.pageInfo.endCursor },
      tenant,
    );
    expect(second.body.data).toEqual({
      applicationsForRuntime: {
        data: [expected[1]],
        pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
        totalCount: 2,
      },
    });

    await stack.gql(SET_RUNTIME_LABEL, { id: rt.id, key: 'isNormalized', value: 'false' }, tenant);
    const raw = await stack.gql<{ applicationsForRuntime: { data: { name: string }[] } }>(
      APPS_FOR_RUNTIME,
      { id: rt.id },
      tenant,
    );
    expect(raw.body.data!.applicationsForRuntime.data.map((a) => a.name).sort()).toEqual([
      'crm--x-',
      'erp.system',
    ]);
  });

  it('is empty for a runtime sharing no scenario and NotFound (20) for a runtime of another tenant', async () => {
    const tenant = await fixTenantWithScenarios('SA');
    await registerApp(tenant, 'erp', { scenarios: ['SA'] });
    const rt = await registerRuntime(tenant);
    expect((await stack.gql(APPS_FOR_RUNTIME, { id: rt.id }, tenant)).body).toEqual({
      data: {
        applicationsForRuntime: { data: [], pageInfo: { hasNextPage: false, endCursor: '' }, totalCount: 0 },
      },
    });
    const other = fixTenant();
    expect((await stack.gql(APPS_FOR_RUNTIME, { id: rt.id }, other)).body.errors).toEqual(
      graphqlError(`Object not found [object=runtime; ID=${rt.id}]`, 'NotFound', 20),
    );
  });
});

describe('default eventing', () => {
  it('picks the oldest runtime sharing a scenario, can be moved and deleted', async () => {
    const tenant = await fixTenantWithScenarios('SA');
    const oldest = await registerRuntime(tenant, {
      name: 'old',
      labels: { scenarios: ['SA'], runtime_eventServiceUrl: 'https://old.example.com/x' },
    });
    const newer = await registerRuntime(tenant, {
      name: 'new',
      labels: { scenarios: ['SA'], runtime_eventServiceUrl: 'https://new.example.com' },
    });
    const lonely = await registerRuntime(tenant, { name: 'lonely' });
    const appId = await registerApp(tenant, 'my-app', { scenarios: ['SA'] });

    const read = await stack.gql(APP_EVENTING, { id: appId }, tenant);
    expect(read.body).toEqual({
      data: {
        application: {
          id: appId,
          eventingConfiguration: { defaultURL: 'https://old.example.com/mp-my-app/v1/events' },
        },
      },
    });
    expect((await labelsOf(tenant, oldest.id))[`${appId}_defaultEventing`]).toBe('true');

    const moved = await stack.gql(SET_DEFAULT_EVENTING, { app: appId, rt: newer.id }, tenant);
    expect(moved.body).toEqual({
      data: {
        setDefaultEventingForApplication: { defaultURL: 'https://new.example.com/mp-my-app/v1/events' },
      },
    });
    expect((await labelsOf(tenant, oldest.id))[`${appId}_defaultEventing`]).toBeUndefined();
    expect((await stack.gql(APP_EVENTING, { id: appId }, tenant)).body.data).toEqual({
      application: {
        id: appId,
        eventingConfiguration: { defaultURL: 'https://new.example.com/mp-my-app/v1/events' },
      },
    });

    const notShared = await stack.gql(SET_DEFAULT_EVENTING, { app: appId, rt: lonely.id }, tenant);
    expect(notShared.body.errors).toEqual(
      graphqlError(
        `The operation is not allowed [reason=the runtime shares no scenario with the application; applicationID=${appId}; runtimeID=${lonely.id}]`,
        'InvalidOperation',
        27,
      ),
    );

    const deleted = await stack.gql(DELETE_DEFAULT_EVENTING, { app: appId }, tenant);
    expect(deleted.body).toEqual({
      data: {
        deleteDefaultEventingForApplication: { defaultURL: 'https://new.example.com/mp-my-app/v1/events' },
      },
    });
    expect((await labelsOf(tenant, newer.id))[`${appId}_defaultEventing`]).toBeUndefined();
  });

  it('answers an empty URL without a runtime and NotFound (20) for unknown applications or runtimes', async () => {
    const tenant = await fixTenantWithScenarios('SA');
    const appId = await registerApp(tenant, 'erp', { scenarios: ['SA'] });
    expect((await stack.gql(APP_EVENTING, { id: appId }, tenant)).body.data).toEqual({
      application: { id: appId, eventingConfiguration: { defaultURL: '' } },
    });
    const rt = await registerRuntime(tenant, { labels: { scenarios: ['SA'] } });
    const missing = '00000000-0000-4000-8000-000000000009';
    expect((await stack.gql(SET_DEFAULT_EVENTING, { app: missing, rt: rt.id }, tenant)).body.errors).toEqual(
      graphqlError(`Object not found [object=application; ID=${missing}]`, 'NotFound', 20),
    );
    expect((await stack.gql(SET_DEFAULT_EVENTING, { app: appId, rt: missing }, tenant)).body.errors).toEqual(
      graphqlError(`Object not found [object=runtime; ID=${missing}]`, 'NotFound', 20),
    );
    expect((await stack.gql(DELETE_DEFAULT_EVENTING, { app: missing }, tenant)).body.errors).toEqual(
      graphqlError(`Object not found [object=application; ID=${missing}]`, 'NotFound', 20),
    );
    const intruder = fixTenant();
    expect((await stack.gql(SET_DEFAULT_EVENTING, { app: appId, rt: rt.id }, intruder)).body.errors).toEqual(
      graphqlError(`Object not found [object=application; ID=${appId}]`, 'NotFound', 20),
    );
  });
});
