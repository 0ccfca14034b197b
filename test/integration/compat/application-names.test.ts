import { APPLICATIONS, ensureApplicationIndexes } from '../../../store/applications';
import { fixApplicationInput, REGISTER } from '../../fixtures/applications';
import { graphqlError, MISSING_ID, notFoundError } from '../../fixtures/errors';
import { fixIntegrationSystemInput, REGISTER_SYSTEM } from '../../fixtures/global-objects';
import { UPDATE_APPLICATION } from '../../fixtures/labels';
import { fixTenant, okData, startStack, type Obj, type Stack } from '../harness';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

function register(tenant: string, overrides: Record<string, unknown>) {
  return stack.gql<{ registerApplication: Obj & { name: string; labels: Record<string, unknown> } }>(
    REGISTER,
    { in: fixApplicationInput(overrides) },
    tenant,
  );
}

function storedCount(tenant: string): Promise<number> {
  return stack.mongo.db.collection(APPLICATIONS).countDocuments({ tenantId: tenant });
}

const NOT_UNIQUE = graphqlError('Object name is not unique [object=Application]', 'NotUnique', 21);

describe('application names as Compass validates them', () => {
  it.each([
    ['app@wordpress', 'mp-app-wordpress'],
    ['Wordpress', 'mp-wordpress'],
    ['1st App', 'mp-1st-app'],
    ['x'.repeat(36), `mp-${'x'.repeat(36)}`],
  ])('accepts %s and labels it with its normalised name %s', async (name, normalized) => {
    const res = await register(fixTenant(), { name });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.registerApplication).toMatchObject({ name, labels: { name: normalized } });
  });

  it.each([
    ['an empty name', '', 'cannot be blank'],
    ['37 characters', 'x'.repeat(37), 'the length must be between 1 and 36'],
  ])('refuses %s (InvalidData, 22) and writes nothing', async (_what, name, problem) => {
    const tenant = fixTenant();
    const res = await register(tenant, { name });
    expect(res.body.errors).toEqual(
      graphqlError(`Invalid data ApplicationRegisterInput [name=${problem}]`, 'InvalidData', 22),
    );
    expect(await storedCount(tenant)).toBe(0);
  });

  it.each([
    ['appwordpress', 'mp-appwordpress'],
    ['wordpress', 'WordPress'],
    ['app.wordpress', 'app@wordpress'],
  ])('refuses %s then %s in one tenant: their normalised names clash (NotUnique)', async (first, second) => {
    const tenant = fixTenant();
    expect((await register(tenant, { name: first })).body.errors).toBeUndefined();
    expect((await register(tenant, { name: second })).body.errors).toEqual(NOT_UNIQUE);
    expect(await storedCount(tenant)).toBe(1);
    expect((await register(fixTenant(), { name: second })).body.errors).toBeUndefined();
  });

  it('lets only one of two concurrent registrations with clashing names through', async () => {
    const tenant = fixTenant();
    const results = await Promise.all([
      register(tenant, { name: 'Concurrent' }),
      register(tenant, { name: 'concurrent' }),
    ]);
    expect(results.filter((r) => r.body.errors === undefined)).toHaveLength(1);
    expect(results.flatMap((r) => r.body.errors ?? [])).toEqual(NOT_UNIQUE);
    expect(await storedCount(tenant)).toBe(1);
  });

  it('gives applications stored before normalised names one when the indexes are built', async () => {
    const tenant = fixTenant();
    const col = stack.mongo.db.collection(APPLICATIONS);
    await col.dropIndexes();
    await col.createIndex({ tenantId: 1, name: 1 }, { unique: true, name: 'tenant_name_unique' });
    const legacy = (id: string, name: string, createdAt: string) => ({
      _id: id,
      tenantId: tenant,
      name,
      labels: { name, integrationSystemID: '' },
      status: { condition: 'INITIAL', timestamp: createdAt },
      createdAt,
    });
    await col.insertMany([
      legacy('legacy-1', 'erp.old', '2020-01-01T00:00:00.000Z'),
      legacy('legacy-2', 'erp-old', '2020-01-02T00:00:00.000Z'),
    ] as never[]);
    await ensureApplicationIndexes(stack.mongo.db);
    const indexes = (await col.listIndexes().toArray()).map((i) => String(i.name));
    expect(indexes).toContain('tenant_normalized_name_unique');
    expect(indexes).not.toContain('tenant_name_unique');

    const stored = await col.find({ tenantId: tenant }).sort({ createdAt: 1 }).toArray();
    expect(stored.map((d) => [d.normalizedName, d.labels.name])).toEqual([
      ['mp-erp-old', 'mp-erp-old'],
      ['mp-erp-old#legacy-2', 'mp-erp-old'],
    ]);
    expect((await register(tenant, { name: 'ERP old' })).body.errors).toEqual(NOT_UNIQUE);
    expect(await storedCount(tenant)).toBe(2);
  });
});

describe('the integration system an application names', () => {
  it('must exist on registration (NotFound, 20); nothing is written', async () => {
    const tenant = fixTenant();
    const res = await register(tenant, { integrationSystemID: MISSING_ID });
    expect(res.body.errors).toEqual(notFoundError('integrationSystem', MISSING_ID));
    expect(await storedCount(tenant)).toBe(0);

    const system = await okData(stack, REGISTER_SYSTEM, { in: fixIntegrationSystemInput() }, tenant);
    const ok = await register(tenant, { integrationSystemID: system.id });
    expect(ok.body.data?.registerApplication.labels).toMatchObject({ integrationSystemID: system.id });
  });

  it('must exist on update (NotFound, 20); the application is unchanged', async () => {
    const tenant = fixTenant();
    const app = (await register(tenant, {})).body.data!.registerApplication;
    const res = await stack.gql(
      UPDATE_APPLICATION,
      { id: app.id, in: { description: 'changed', integrationSystemID: MISSING_ID } },
      tenant,
    );
    expect(res.body.errors).toEqual(notFoundError('integrationSystem', MISSING_ID));
    const stored = await stack.mongo.db.collection(APPLICATIONS).findOne({ _id: app.id as never });
    expect(stored).toMatchObject({ description: 'The ERP', labels: { integrationSystemID: '' } });
  });
});
