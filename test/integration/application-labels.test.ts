import { APPLICATIONS } from '../../store/applications';
import { LABEL_DEFINITIONS } from '../../store/label-definitions';
import { fixApplicationInput, GET, REGISTER } from '../fixtures/applications';
import {
  DELETE_LABEL,
  FILTERED,
  LABELS_OF,
  SET_LABEL,
  UPDATE_LABEL_DEFINITION,
  fixScenariosSchema,
  fixUnknownScenarioMessage,
} from '../fixtures/labels';
import { fixTenant, okData, startStack, type Stack } from './harness';
import { graphqlError } from '../fixtures/errors';
import { fixIntegrationSystemInput, REGISTER_SYSTEM } from '../fixtures/global-objects';

interface App {
  id: string;
  labels: Record<string, unknown>;
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

async function labelsOf(tenant: string, id: string): Promise<Record<string, unknown> | undefined> {
  const res = await stack.gql<{ application: App | null }>(LABELS_OF, { id }, tenant);
  return res.body.data!.application?.labels;
}

describe('registration labels', () => {
  it('adds the protected name (normalised) and integrationSystemID labels and the DEFAULT scenario', async () => {
    const tenant = fixTenant();
    const system = await okData(stack, REGISTER_SYSTEM, { in: fixIntegrationSystemInput() }, tenant);
    const app = await register(tenant, { integrationSystemID: system.id });
    expect(app.labels).toEqual({
      region: 'eu-1',
      tier: ['gold'],
      name: 'mp-erp-system',
      integrationSystemID: system.id,
      scenarios: ['DEFAULT'],
    });
  });

  it('keeps given scenarios instead of DEFAULT', async () => {
    const tenant = fixTenant();
    await stack.gql(
      UPDATE_LABEL_DEFINITION,
      { in: { key: 'scenarios', schema: fixScenariosSchema(['DEFAULT', 'sales']) } },
      tenant,
    );
    const app = await register(tenant, { labels: { scenarios: ['sales'] } });
    expect(app.labels).toEqual({ scenarios: ['sales'], name: 'mp-erp-system', integrationSystemID: '' });
  });

  it('refuses an unknown scenario (InvalidData, 22) and writes nothing', async () => {
    const tenant = fixTenant();
    const res = await stack.gql(
      REGISTER,
      { in: fixApplicationInput({ labels: { fresh: 1, scenarios: ['nope'] } }) },
      tenant,
    );
    expect(res.body.errors).toEqual(graphqlError(fixUnknownScenarioMessage('nope'), 'InvalidData', 22));
    expect(await stack.mongo.db.collection(APPLICATIONS).countDocuments({ tenantId: tenant })).toBe(0);
    expect(
      await stack.mongo.db
        .collection(LABEL_DEFINITIONS)
        .find({ tenantId: tenant })
        .map((d) => d.key)
        .toArray(),
    ).toEqual(['scenarios']);
    expect(await stack.client.workflow.count(`TenantId = "${tenant}"`)).toEqual({ count: 0, groups: [] });
  });
});

describe('setApplicationLabel and deleteApplicationLabel', () => {
  it('set a label (upsert), then delete it returning its value', async () => {
    const tenant = fixTenant();
    const app = await register(tenant);
    expect(
      (await stack.gql(SET_LABEL, { id: app.id, key: 'owner', value: { team: 'a' } }, tenant)).body,
    ).toEqual({
      data: { setApplicationLabel: { key: 'owner', value: { team: 'a' } } },
    });
    expect((await stack.gql(SET_LABEL, { id: app.id, key: 'owner', value: ['b'] }, tenant)).body).toEqual({
      data: { setApplicationLabel: { key: 'owner', value: ['b'] } },
    });
    expect(await labelsOf(tenant, app.id)).toEqual({ ...app.labels, owner: ['b'] });
    expect((await stack.gql(DELETE_LABEL, { id: app.id, key: 'owner' }, tenant)).body).toEqual({
      data: { deleteApplicationLabel: { key: 'owner', value: ['b'] } },
    });
    expect(await labelsOf(tenant, app.id)).toEqual(app.labels);
  });

  it('validate the value against the label definition (InvalidData, 22)', async () => {
    const tenant = fixTenant();
    const app = await register(tenant);
    const res = await stack.gql(SET_LABEL, { id: app.id, key: 'scenarios', value: ['nope'] }, tenant);
    expect(res.body.errors).toEqual(graphqlError(fixUnknownScenarioMessage('nope'), 'InvalidData', 22));
    const injected = await stack.gql(SET_LABEL, { id: app.id, key: 'x', value: { $gt: '' } }, tenant);
    expect(injected.body.errors).toEqual(
      graphqlError(
        "Invalid data Label [value.x=object keys may not start with '$' or contain '.']",
        'InvalidData',
        22,
      ),
    );
    expect(await labelsOf(tenant, app.id)).toEqual(app.labels);
  });

  it.each(['name', 'integrationSystemID'])(
    'refuse to change the protected label %s (InvalidData, 22)',
    async (key) => {
      const tenant = fixTenant();
      const app = await register(tenant);
      const message = `Invalid data Label [${key}=is a protected label and cannot be changed]`;
      expect((await stack.gql(SET_LABEL, { id: app.id, key, value: 'x' }, tenant)).body.errors).toEqual(
        graphqlError(message, 'InvalidData', 22),
      );
      expect((await stack.gql(DELETE_LABEL, { id: app.id, key }, tenant)).body.errors).toEqual(
        graphqlError(message, 'InvalidData', 22),
      );
      expect(await labelsOf(tenant, app.id)).toEqual(app.labels);
    },
  );

  it('report a missing application or label as NotFound (20)', async () => {
    const tenant = fixTenant();
    const app = await register(tenant);
    const missingApp = 'f0e1d2c3-b4a5-4697-8879-6a5b4c3d2e1f';
    expect((await stack.gql(SET_LABEL, { id: missingApp, key: 'k', value: 1 }, tenant)).body.errors).toEqual(
      graphqlError(`Object not found [object=application; ID=${missingApp}]`, 'NotFound', 20),
    );
    expect((await stack.gql(DELETE_LABEL, { id: missingApp, key: 'region' }, tenant)).body.errors).toEqual(
      graphqlError(`Object not found [object=application; ID=${missingApp}]`, 'NotFound', 20),
    );
    expect((await stack.gql(DELETE_LABEL, { id: app.id, key: 'nope' }, tenant)).body.errors).toEqual(
      graphqlError('Object not found [object=label; ID=nope]', 'NotFound', 20),
    );
  });

  it("are isolated per tenant: another tenant cannot change an application's labels", async () => {
    const owner = fixTenant();
    const intruder = fixTenant();
    const app = await register(owner);
    const notFound = graphqlError(`Object not found [object=application; ID=${app.id}]`, 'NotFound', 20);
    expect(
      (await stack.gql(SET_LABEL, { id: app.id, key: 'region', value: 'x' }, intruder)).body.errors,
    ).toEqual(notFound);
    expect((await stack.gql(DELETE_LABEL, { id: app.id, key: 'region' }, intruder)).body.errors).toEqual(
      notFound,
    );
    expect(await labelsOf(owner, app.id)).toEqual(app.labels);
  });
});

describe('label filters on applications', () => {
  it('select by key, JSON containment and scenarios, ANDed', async () => {
    const tenant = fixTenant();
    await stack.gql(
      UPDATE_LABEL_DEFINITION,
      { in: { key: 'scenarios', schema: fixScenariosSchema(['DEFAULT', 'sales', 'hr']) } },
      tenant,
    );
    await register(tenant, {
      name: 'a-one',
      labels: { region: 'eu-1', tier: ['gold', 'silver'], scenarios: ['sales'] },
    });
    await register(tenant, {
      name: 'a-two',
      labels: { region: 'us-1', tier: ['silver'], scenarios: ['hr'] },
    });
    await register(tenant, { name: 'a-three', labels: {} });
    const names = async (filter: unknown) => {
      const res = await stack.gql<{ applications: { data: { name: string }[]; totalCount: number } }>(
        FILTERED,
        { filter },
        tenant,
      );
      expect(res.body.errors).toBeUndefined();
      return res.body.data!.applications.data.map((a) => a.name).sort();
    };
    expect(await names([{ key: 'region' }])).toEqual(['a-one', 'a-two']);
    expect(await names([{ key: 'region', query: '"eu-1"' }])).toEqual(['a-one']);
    expect(await names([{ key: 'tier', query: '["silver"]' }])).toEqual(['a-one', 'a-two']);
    expect(await names([{ key: 'scenarios', query: '$[*] ? (@ == "sales" || @ == "hr")' }])).toEqual([
      'a-one',
      'a-two',
    ]);
    expect(await names([{ key: 'scenarios', query: '$[*] ? (@ == "DEFAULT")' }])).toEqual(['a-three']);
    expect(
      await names([
        { key: 'tier', query: '["silver"]' },
        { key: 'region', query: '"us-1"' },
      ]),
    ).toEqual(['a-two']);
  });

  it.each([
    ['invalid JSON', 'region', '{eu', 'Invalid data LabelFilter [query=must be a JSON value for key region]'],
    [
      'an unsupported scenarios query',
      'scenarios',
      '$[*] ? (@ != "a")',
      'Invalid data LabelFilter [query=for the scenarios label, only $[*] ? (@ == "A" || @ == "B") is supported]',
    ],
  ])('refuse %s (InvalidData, 22)', async (_what, key, query, message) => {
    const res = await stack.gql(FILTERED, { filter: [{ key, query }] }, fixTenant());
    expect(res.body.errors).toEqual(graphqlError(message, 'InvalidData', 22));
  });
});

describe('hidden applications', () => {
  let hiding: Stack;
  beforeAll(async () => {
    hiding = await startStack({ appHideSelectors: { applicationType: ['Test Application'] } });
  });
  afterAll(async () => {
    await hiding?.close();
  });

  it('are left out of listings but stay readable by ID', async () => {
    const tenant = fixTenant();
    const reg = async (name: string, labels: Record<string, unknown>) => {
      const res = await hiding.gql<{ registerApplication: App }>(
        REGISTER,
        { in: fixApplicationInput({ name, labels }) },
        tenant,
      );
      return res.body.data!.registerApplication;
    };
    const hidden = await reg('a-hidden', { applicationType: 'Test Application' });
    await reg('a-listed', { applicationType: 'Production' });
    await reg('a-plain', {});
    const res = await hiding.gql(FILTERED, {}, tenant);
    expect(res.body).toEqual({
      data: {
        applications: {
          data: expect.arrayContaining([{ name: 'a-listed' }, { name: 'a-plain' }]),
          totalCount: 2,
        },
      },
    });
    const got = await hiding.gql<{ application: { id: string } }>(GET, { id: hidden.id }, tenant);
    expect(got.body.data!.application.id).toBe(hidden.id);
  });
});
