import { fixApplicationInput, LIST, REGISTER } from '../fixtures/applications';
import { fixTenantMapping, HEALTH_CHECKS, TENANTS, VIEWER, WRITE_TENANTS } from '../fixtures/global-objects';
import { fixTenant, startStack, type Stack } from './harness';

interface Tenant {
  id: string;
  internalID: string;
  name: string;
  initialized: boolean;
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

async function tenants(): Promise<Tenant[]> {
  const res = await stack.gql<{ tenants: Tenant[] }>(TENANTS);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.tenants;
}

describe('tenants', () => {
  it('lists tenants created on first use and by writeTenants, initialized once they hold an application', async () => {
    const used = fixTenant();
    const written = fixTenant();
    const reg = await stack.gql(REGISTER, { in: fixApplicationInput() }, used);
    expect(reg.body.errors).toBeUndefined();
    const write = await stack.gql(WRITE_TENANTS, { in: [fixTenantMapping(written, { name: 'Written' })] });
    expect(write.body).toEqual({ data: { writeTenants: 1 } });

    const all = await tenants();
    expect(all).toEqual(
      expect.arrayContaining([
        { id: used, internalID: used, name: used, initialized: true },
        { id: written, internalID: written, name: 'Written', initialized: false },
      ]),
    );
  });

  it('writes tenants idempotently, renaming existing ones', async () => {
    const id = fixTenant();
    const twice = [fixTenantMapping(id, { name: 'First' })];
    expect((await stack.gql(WRITE_TENANTS, { in: twice })).body).toEqual({ data: { writeTenants: 1 } });
    const again = [fixTenantMapping(id, { name: 'Second' }), fixTenantMapping(fixTenant())];
    expect((await stack.gql(WRITE_TENANTS, { in: again })).body).toEqual({ data: { writeTenants: 2 } });
    expect((await tenants()).filter((t) => t.id === id)).toEqual([
      { id, internalID: id, name: 'Second', initialized: false },
    ]);
  });

  it('refuses the whole writeTenants call when one entry is invalid, writing nothing (InvalidData)', async () => {
    const good = fixTenant();
    const res = await stack.gql(WRITE_TENANTS, {
      in: [fixTenantMapping(good), fixTenantMapping('bad/tenant')],
    });
    expect(res.body).toEqual({
      data: null,
      errors: [
        {
          message:
            'Invalid data BusinessTenantMappingInput [in[1].externalTenant=must be 1-128 letters, digits, dots, dashes or underscores]',
          locations: expect.any(Array),
          path: ['writeTenants'],
          extensions: { error: 'InvalidData', error_code: 22 },
        },
      ],
    });
    expect((await tenants()).map((t) => t.id)).not.toContain(good);
  });
});

describe('viewer', () => {
  it('is the authenticated caller', async () => {
    const tenant = fixTenant();
    expect((await stack.gql(VIEWER, {}, tenant)).body).toEqual({
      data: { viewer: { id: 'tester', type: 'USER' } },
    });
  });

  it('needs a tenant (TenantRequired)', async () => {
    expect((await stack.gql(VIEWER)).body).toEqual({
      data: null,
      errors: [
        {
          message: 'Tenant is required',
          locations: expect.any(Array),
          path: ['viewer'],
          extensions: { error: 'TenantRequired', error_code: 24 },
        },
      ],
    });
  });
});

describe('health checks', () => {
  const check = (origin: string) => ({
    type: 'MANAGEMENT_PLANE_APPLICATION_HEALTHCHECK',
    condition: 'SUCCEEDED',
    origin,
    message: `${origin} answered`,
    timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
  });

  it('reports every dependency of the management plane, ordered by origin', async () => {
    const res = await stack.gql(HEALTH_CHECKS, {}, fixTenant());
    expect(res.body).toEqual({
      data: {
        healthChecks: {
          data: [check('mongodb'), check('temporal')],
          pageInfo: { startCursor: expect.any(String), endCursor: expect.any(String), hasNextPage: false },
          totalCount: 2,
        },
      },
    });
  });

  it('narrows by origin and type and pages', async () => {
    const tenant = fixTenant();
    const byOrigin = await stack.gql(HEALTH_CHECKS, { origin: 'temporal' }, tenant);
    expect(byOrigin.body).toMatchObject({
      data: { healthChecks: { data: [check('temporal')], totalCount: 1 } },
    });
    const noType = await stack.gql(HEALTH_CHECKS, { types: [] }, tenant);
    expect(noType.body).toMatchObject({ data: { healthChecks: { data: [], totalCount: 0 } } });

    const first = await stack.gql<{ healthChecks: { pageInfo: { endCursor: string } } }>(
      HEALTH_CHECKS,
      { first: 1 },
      tenant,
    );
    expect(first.body).toMatchObject({
      data: { healthChecks: { data: [check('mongodb')], totalCount: 2, pageInfo: { hasNextPage: true } } },
    });
    const after = first.body.data!.healthChecks.pageInfo.endCursor;
    const second = await stack.gql(HEALTH_CHECKS, { first: 1, after }, tenant);
    expect(second.body).toMatchObject({
      data: { healthChecks: { data: [check('temporal')], totalCount: 2, pageInfo: { hasNextPage: false } } },
    });
  });
});

describe('without tenant auto-creation', () => {
  let strict: Stack;
  beforeAll(async () => {
    strict = await startStack({ tenantAutoCreate: false, worker: false });
  });
  afterAll(async () => {
    await strict?.close();
  });

  it('refuses an unknown tenant on every Director call (TenantNotFound)', async () => {
    const unknown = fixTenant();
    for (const [query, path] of [
      [LIST, 'applications'],
      [VIEWER, 'viewer'],
      [HEALTH_CHECKS, 'healthChecks'],
    ] as const) {
      const res = await strict.gql(query, {}, unknown);
      expect(res.body).toEqual({
        data: null,
        errors: [
          {
            message: `Tenant not found [externalTenant=${unknown}]`,
            locations: expect.any(Array),
            path: [path],
            extensions: { error: 'TenantNotFound', error_code: 25 },
          },
        ],
      });
    }
  });

  it('answers calls on global objects whatever tenant they name: they need none', async () => {
    const res = await strict.gql(
      '{ applicationTemplates { totalCount } integrationSystems { totalCount } }',
      {},
      fixTenant(),
    );
    expect(res.body).toEqual({
      data: { applicationTemplates: { totalCount: 0 }, integrationSystems: { totalCount: 0 } },
    });
  });

  it('accepts a tenant created with writeTenants', async () => {
    const tenant = fixTenant();
    expect((await strict.gql(WRITE_TENANTS, { in: [fixTenantMapping(tenant)] })).body).toEqual({
      data: { writeTenants: 1 },
    });
    expect((await strict.gql(VIEWER, {}, tenant)).body).toEqual({
      data: { viewer: { id: 'tester', type: 'USER' } },
    });
    expect((await strict.gql(LIST, {}, tenant)).body).toMatchObject({
      data: { applications: { totalCount: 0 } },
    });
  });
});

describe('first use of a tenant', () => {
  it('creates it once when many requests arrive at once', async () => {
    const tenant = fixTenant();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        stack.gql(`mutation { registerApplication(in: { name: "first-${i}" }) { id } }`, {}, tenant),
      ),
    );
    expect(results.flatMap((r) => r.body.errors ?? [])).toEqual([]);
  });
});
