import { fixApplicationInput, REGISTER } from '../../fixtures/applications';
import { graphqlError } from '../../fixtures/errors';
import {
  CREATE_LABEL_DEFINITION,
  LABEL_DEFINITION,
  LABEL_DEFINITIONS,
  UPDATE_LABEL_DEFINITION,
  fixScenariosSchema,
} from '../../fixtures/labels';
import {
  ASAS_FOR_SELECTOR,
  CREATE_ASA,
  DELETE_ASAS_FOR_SELECTOR,
  REGISTER_RUNTIME,
  UPDATE_RUNTIME,
  fixRuntimeInput,
} from '../../fixtures/runtimes';
import { fixTenant, okData, startStack, type Stack } from '../harness';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

interface Labelled {
  id: string;
  labels: Record<string, unknown>;
}

/** The scenarios schema as Compass itself writes it: no pattern, no maxLength, `items` first. */
function compassScenariosSchema(names: readonly string[]): string {
  return JSON.stringify({
    items: { enum: names, type: 'string' },
    type: 'array',
    minItems: 1,
    uniqueItems: true,
  });
}

const DEFAULT_DEFINITION = { key: 'scenarios', schema: fixScenariosSchema(['DEFAULT']) };

function registerApp(tenant: string, labels: Record<string, unknown> = {}) {
  return okData<Labelled>(stack, REGISTER, { in: fixApplicationInput({ labels }) }, tenant);
}

function registerRuntime(tenant: string, overrides: Record<string, unknown> = {}) {
  return okData<Labelled>(stack, REGISTER_RUNTIME, { in: fixRuntimeInput(overrides) }, tenant);
}

async function definitions(tenant: string): Promise<unknown> {
  return (await stack.gql(LABEL_DEFINITIONS, {}, tenant)).body;
}

describe('the scenarios label definition appears once something asks for it or uses it', () => {
  it('is not listed in a fresh tenant, and reading it creates it with DEFAULT', async () => {
    const tenant = fixTenant();
    expect(await definitions(tenant)).toEqual({ data: { labelDefinitions: [] } });
    expect((await stack.gql(LABEL_DEFINITION, { key: 'scenarios' }, tenant)).body).toEqual({
      data: { labelDefinition: DEFAULT_DEFINITION },
    });
    expect(await definitions(tenant)).toEqual({ data: { labelDefinitions: [DEFAULT_DEFINITION] } });
  });

  it.each([
    ['registering an application', (tenant: string) => registerApp(tenant)],
    ['registering a runtime', (tenant: string) => registerRuntime(tenant)],
    [
      'creating an automatic scenario assignment',
      (tenant: string) =>
        okData(
          stack,
          CREATE_ASA,
          { in: { scenarioName: 'DEFAULT', selector: { key: 'env', value: 'x' } } },
          tenant,
        ),
    ],
  ])('is created by %s', async (_what, use) => {
    const tenant = fixTenant();
    await use(tenant);
    const listed = (await stack.gql<{ labelDefinitions: { key: string }[] }>(LABEL_DEFINITIONS, {}, tenant))
      .body;
    expect(listed.data!.labelDefinitions).toContainEqual(DEFAULT_DEFINITION);
  });

  it('may be created in Compass form in a fresh tenant, once', async () => {
    const tenant = fixTenant();
    const schema = compassScenariosSchema(['DEFAULT', 'sales']);
    expect(
      (await stack.gql(CREATE_LABEL_DEFINITION, { in: { key: 'scenarios', schema } }, tenant)).body,
    ).toEqual({
      data: { createLabelDefinition: { key: 'scenarios', schema } },
    });
    const again = await stack.gql(CREATE_LABEL_DEFINITION, { in: { key: 'scenarios', schema } }, tenant);
    expect(again.body.errors).toEqual(
      graphqlError('Object name is not unique [object=LabelDefinition]', 'NotUnique', 21),
    );
    expect(await registerApp(tenant, { scenarios: ['sales'] })).toMatchObject({
      labels: { scenarios: ['sales'] },
    });
  });
});

describe("Compass's own form of the scenarios schema", () => {
  it('is accepted whatever the key order, without pattern and maxLength, and its scenarios are usable', async () => {
    const tenant = fixTenant();
    const schema = compassScenariosSchema(['DEFAULT', 'ADDITIONAL']);
    expect(
      (await stack.gql(UPDATE_LABEL_DEFINITION, { in: { key: 'scenarios', schema } }, tenant)).body,
    ).toEqual({
      data: { updateLabelDefinition: { key: 'scenarios', schema } },
    });
    expect((await stack.gql(LABEL_DEFINITION, { key: 'scenarios' }, tenant)).body).toEqual({
      data: { labelDefinition: { key: 'scenarios', schema } },
    });
    const app = await registerApp(tenant, { scenarios: ['DEFAULT', 'ADDITIONAL'] });
    expect(app.labels.scenarios).toEqual(['DEFAULT', 'ADDITIONAL']);
  });

  it.each([
    ['with only pattern', { pattern: '^[A-Za-z0-9]([-_A-Za-z0-9\\s]*[A-Za-z0-9])$' }],
    ['with only maxLength', { maxLength: 128 }],
  ])('is accepted %s', async (_what, extra) => {
    const tenant = fixTenant();
    const schema = JSON.stringify({
      type: 'array',
      uniqueItems: true,
      minItems: 1,
      items: { ...extra, enum: ['DEFAULT', 'x-1'], type: 'string' },
    });
    const res = await stack.gql(UPDATE_LABEL_DEFINITION, { in: { key: 'scenarios', schema } }, tenant);
    expect(res.body).toEqual({ data: { updateLabelDefinition: { key: 'scenarios', schema } } });
  });

  it.each([
    ['a changed minItems', { minItems: 2 }, 'minItems: minItems does not match: 1'],
    [
      'a changed maxLength',
      { items: { type: 'string', enum: ['DEFAULT'], maxLength: 64 } },
      'items.maxLength: items.maxLength does not match: 128',
    ],
    [
      'a key Compass does not allow',
      { title: 'Scenarios' },
      '(root): Additional property title is not allowed',
    ],
    [
      'a scenario name with a forbidden character',
      { items: { type: 'string', enum: ['DEFAULT', 'a&b'] } },
      "items.enum.1: Does not match pattern '^[A-Za-z0-9]([-_A-Za-z0-9\\s]*[A-Za-z0-9])$'",
    ],
  ])('refuses %s (InvalidData, 22) and keeps the definition', async (_what, change, problem) => {
    const tenant = fixTenant();
    const schema = JSON.stringify({ ...JSON.parse(compassScenariosSchema(['DEFAULT'])), ...change });
    const res = await stack.gql(UPDATE_LABEL_DEFINITION, { in: { key: 'scenarios', schema } }, tenant);
    expect(res.body.errors).toEqual(
      graphqlError(
        `Invalid data LabelDefinitionInput [rule.validSchema=while validating schema for key scenarios: ${problem}]`,
        'InvalidData',
        22,
      ),
    );
    expect(await definitions(tenant)).toEqual({ data: { labelDefinitions: [] } });
  });
});

describe('runtime registration and the DEFAULT scenario', () => {
  it('gives a runtime registered without scenarios the DEFAULT scenario, as applications get', async () => {
    const tenant = fixTenant();
    const rt = await registerRuntime(tenant, { labels: { region: 'eu' } });
    expect(rt.labels).toEqual({ region: 'eu', isNormalized: 'true', scenarios: ['DEFAULT'] });
    const app = await registerApp(tenant);
    expect(app.labels.scenarios).toEqual(['DEFAULT']);
  });

  it('keeps the scenarios a registration names, and adds none to a runtime an assignment matches', async () => {
    const tenant = fixTenant();
    await okData(
      stack,
      UPDATE_LABEL_DEFINITION,
      { in: { key: 'scenarios', schema: fixScenariosSchema(['DEFAULT', 'PROD']) } },
      tenant,
    );
    const named = await registerRuntime(tenant, { name: 'named', labels: { scenarios: ['PROD'] } });
    expect(named.labels.scenarios).toEqual(['PROD']);
    await okData(
      stack,
      CREATE_ASA,
      { in: { scenarioName: 'PROD', selector: { key: 'env', value: 'prod' } } },
      tenant,
    );
    const matched = await registerRuntime(tenant, { name: 'matched', labels: { env: 'prod' } });
    expect(matched.labels.scenarios).toEqual(['PROD']);
  });

  it('leaves updateRuntime as a full replace that adds no scenario', async () => {
    const tenant = fixTenant();
    const rt = await registerRuntime(tenant);
    const updated = await okData<Labelled>(
      stack,
      UPDATE_RUNTIME,
      { id: rt.id, in: { name: 'kyma-eu' } },
      tenant,
    );
    expect(updated.labels).toEqual({ isNormalized: 'true' });
  });
});

describe('automatic scenario assignment selectors', () => {
  it('accept any label key Compass accepts, such as test-key', async () => {
    const tenant = fixTenant();
    const selector = { key: 'test-key', value: 'test-value' };
    const created = await stack.gql(CREATE_ASA, { in: { scenarioName: 'DEFAULT', selector } }, tenant);
    expect(created.body).toEqual({
      data: { createAutomaticScenarioAssignment: { scenarioName: 'DEFAULT', selector } },
    });
    expect((await stack.gql(ASAS_FOR_SELECTOR, { selector }, tenant)).body).toEqual({
      data: { automaticScenarioAssignmentsForSelector: [{ scenarioName: 'DEFAULT' }] },
    });
    expect((await stack.gql(DELETE_ASAS_FOR_SELECTOR, { selector }, tenant)).body).toEqual({
      data: { deleteAutomaticScenarioAssignmentsForSelector: [{ scenarioName: 'DEFAULT', selector }] },
    });
  });
});
