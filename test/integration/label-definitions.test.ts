import { fixApplicationInput, REGISTER } from '../fixtures/applications';
import {
  CREATE_LABEL_DEFINITION,
  DELETE_LABEL_DEFINITION,
  LABEL_DEFINITION,
  LABEL_DEFINITIONS,
  LABELS_OF,
  UPDATE_LABEL_DEFINITION,
  fixScenariosSchema,
} from '../fixtures/labels';
import { fixTenant, startStack, type Stack } from './harness';
import { graphqlError } from '../fixtures/errors';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

async function registerApp(tenant: string, labels: Record<string, unknown>): Promise<string> {
  const res = await stack.gql<{ registerApplication: { id: string } }>(
    REGISTER,
    { in: fixApplicationInput({ labels }) },
    tenant,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.registerApplication.id;
}

async function addScenarios(tenant: string, names: string[]): Promise<void> {
  const res = await stack.gql(
    UPDATE_LABEL_DEFINITION,
    { in: { key: 'scenarios', schema: fixScenariosSchema(names) } },
    tenant,
  );
  expect(res.body.errors).toBeUndefined();
}

describe('the scenarios label definition', () => {
  it('is created with the DEFAULT scenario when first asked for', async () => {
    const tenant = fixTenant();
    const res = await stack.gql(LABEL_DEFINITION, { key: 'scenarios' }, tenant);
    expect(res.body).toEqual({
      data: { labelDefinition: { key: 'scenarios', schema: fixScenariosSchema(['DEFAULT']) } },
    });
    expect((await stack.gql(LABEL_DEFINITIONS, {}, tenant)).body).toEqual({
      data: { labelDefinitions: [{ key: 'scenarios', schema: fixScenariosSchema(['DEFAULT']) }] },
    });
  });

  it('gains a scenario through updateLabelDefinition', async () => {
    const tenant = fixTenant();
    const schema = fixScenariosSchema(['DEFAULT', 'sales']);
    const res = await stack.gql(UPDATE_LABEL_DEFINITION, { in: { key: 'scenarios', schema } }, tenant);
    expect(res.body).toEqual({ data: { updateLabelDefinition: { key: 'scenarios', schema } } });
    expect((await stack.gql(LABEL_DEFINITION, { key: 'scenarios' }, tenant)).body).toEqual({
      data: { labelDefinition: { key: 'scenarios', schema } },
    });
  });

  it('keeps DEFAULT: a schema without it is refused (InvalidData, 22)', async () => {
    const tenant = fixTenant();
    const res = await stack.gql(
      UPDATE_LABEL_DEFINITION,
      { in: { key: 'scenarios', schema: fixScenariosSchema(['sales']) } },
      tenant,
    );
    expect(res.body.errors).toEqual(
      graphqlError(
        'Invalid data LabelDefinitionInput [rule.validSchema=while validating schema for key scenarios: ' +
          'items.enum: At least one of the items must match, items.enum.0: items.enum.0 does not match: "DEFAULT"]',
        'InvalidData',
        22,
      ),
    );
    expect((await stack.gql(LABEL_DEFINITIONS, {}, tenant)).body).toEqual({ data: { labelDefinitions: [] } });
  });

  it('refuses to remove a scenario an application still uses (InvalidData, 22)', async () => {
    const tenant = fixTenant();
    await addScenarios(tenant, ['DEFAULT', 'sales']);
    const id = await registerApp(tenant, { scenarios: ['sales'] });
    const res = await stack.gql(
      UPDATE_LABEL_DEFINITION,
      { in: { key: 'scenarios', schema: fixScenariosSchema(['DEFAULT']) } },
      tenant,
    );
    expect(res.body.errors).toEqual(
      graphqlError(
        `Invalid data [reason=label with key="scenarios" is not valid against new schema for Application with ID="${id}": ` +
          '0: 0 must be one of the following: "DEFAULT"]',
        'InvalidData',
        22,
      ),
    );
    expect((await stack.gql(LABEL_DEFINITION, { key: 'scenarios' }, tenant)).body).toEqual({
      data: { labelDefinition: { key: 'scenarios', schema: fixScenariosSchema(['DEFAULT', 'sales']) } },
    });
  });

  it('cannot be deleted', async () => {
    const res = await stack.gql(DELETE_LABEL_DEFINITION, { key: 'scenarios' }, fixTenant());
    expect(res.body.errors).toEqual(
      graphqlError(
        'The operation is not allowed [reason=Label Definition with key scenarios can not be deleted]',
        'InvalidOperation',
        27,
      ),
    );
  });
});

describe('label definitions', () => {
  it('are created, read, listed, updated and deleted', async () => {
    const tenant = fixTenant();
    const schema = '{"type":"string","maxLength":10}';
    expect(
      (await stack.gql(CREATE_LABEL_DEFINITION, { in: { key: 'region', schema } }, tenant)).body,
    ).toEqual({
      data: { createLabelDefinition: { key: 'region', schema } },
    });
    expect((await stack.gql(LABEL_DEFINITION, { key: 'region' }, tenant)).body).toEqual({
      data: { labelDefinition: { key: 'region', schema } },
    });
    expect((await stack.gql(LABEL_DEFINITIONS, {}, tenant)).body).toEqual({
      data: { labelDefinitions: [{ key: 'region', schema }] },
    });
    expect((await stack.gql(UPDATE_LABEL_DEFINITION, { in: { key: 'region' } }, tenant)).body).toEqual({
      data: { updateLabelDefinition: { key: 'region', schema: null } },
    });
    expect((await stack.gql(DELETE_LABEL_DEFINITION, { key: 'region' }, tenant)).body).toEqual({
      data: { deleteLabelDefinition: { key: 'region', schema: null } },
    });
    expect((await stack.gql(LABEL_DEFINITION, { key: 'region' }, tenant)).body).toEqual({
      data: { labelDefinition: null },
    });
  });

  it('refuse a duplicate key (NotUnique, 21)', async () => {
    const tenant = fixTenant();
    await stack.gql(CREATE_LABEL_DEFINITION, { in: { key: 'region' } }, tenant);
    const res = await stack.gql(CREATE_LABEL_DEFINITION, { in: { key: 'region' } }, tenant);
    expect(res.body.errors).toEqual(
      graphqlError('Object name is not unique [object=LabelDefinition]', 'NotUnique', 21),
    );
  });

  it.each([
    [
      'not JSON',
      '{nope',
      'Invalid data LabelDefinitionInput [rule.validSchema=while validating schema: [{nope]: schema is not valid JSON]',
    ],
    [
      'not a JSON Schema',
      '{"type":12}',
      'Invalid data LabelDefinitionInput [rule.validSchema=while validating schema: [{"type":12}]: schema is invalid]',
    ],
  ])('refuse a schema that is %s (InvalidData, 22)', async (_what, schema, message) => {
    const tenant = fixTenant();
    const res = await stack.gql(CREATE_LABEL_DEFINITION, { in: { key: 'region', schema } }, tenant);
    expect(res.body.errors).toEqual(graphqlError(message, 'InvalidData', 22));
    expect((await stack.gql(LABEL_DEFINITION, { key: 'region' }, tenant)).body).toEqual({
      data: { labelDefinition: null },
    });
  });

  it('refuse a bad key (InvalidData, 22)', async () => {
    const res = await stack.gql(CREATE_LABEL_DEFINITION, { in: { key: 'a-b' } }, fixTenant());
    expect(res.body.errors).toEqual(
      graphqlError('Invalid data LabelDefinitionInput [key=must be in a valid format]', 'InvalidData', 22),
    );
  });

  it('refuse a schema that labels in use violate (InvalidData, 22)', async () => {
    const tenant = fixTenant();
    const id = await registerApp(tenant, { region: 'eu-1' });
    const res = await stack.gql(
      UPDATE_LABEL_DEFINITION,
      { in: { key: 'region', schema: '{"type":"integer"}' } },
      tenant,
    );
    expect(res.body.errors).toEqual(
      graphqlError(
        `Invalid data [reason=label with key="region" is not valid against new schema for Application with ID="${id}": ` +
          '(root): Invalid type. Expected: integer, given: string]',
        'InvalidData',
        22,
      ),
    );
    expect((await stack.gql(LABEL_DEFINITION, { key: 'region' }, tenant)).body).toEqual({
      data: { labelDefinition: { key: 'region', schema: null } },
    });
  });

  it('in use are kept (InvalidOperation, 27) unless their labels are deleted with them', async () => {
    const tenant = fixTenant();
    const id = await registerApp(tenant, { region: 'eu-1' });
    const refused = await stack.gql(DELETE_LABEL_DEFINITION, { key: 'region' }, tenant);
    expect(refused.body.errors).toEqual(
      graphqlError(
        'The operation is not allowed [reason=could not delete label definition, it is already used by at least one label]',
        'InvalidOperation',
        27,
      ),
    );

    const deleted = await stack.gql(DELETE_LABEL_DEFINITION, { key: 'region', related: true }, tenant);
    expect(deleted.body).toEqual({ data: { deleteLabelDefinition: { key: 'region', schema: null } } });
    const labels = await stack.gql<{ application: { labels: Record<string, unknown> } }>(
      LABELS_OF,
      { id },
      tenant,
    );
    expect(labels.body.data!.application.labels).toEqual({
      name: 'mp-erp-system',
      integrationSystemID: '',
      scenarios: ['DEFAULT'],
    });
  });

  it('report a missing key as NotFound (20) on update and delete', async () => {
    const tenant = fixTenant();
    for (const [query, variables] of [
      [UPDATE_LABEL_DEFINITION, { in: { key: 'nope' } }],
      [DELETE_LABEL_DEFINITION, { key: 'nope' }],
    ] as const) {
      const res = await stack.gql(query, variables, tenant);
      expect(res.body.errors).toEqual(
        graphqlError('Object not found [object=labelDefinition; ID=nope]', 'NotFound', 20),
      );
    }
  });

  it('are isolated per tenant: another tenant neither sees nor changes them', async () => {
    const owner = fixTenant();
    const intruder = fixTenant();
    const schema = '{"type":"string"}';
    await stack.gql(CREATE_LABEL_DEFINITION, { in: { key: 'region', schema } }, owner);
    await addScenarios(owner, ['DEFAULT', 'secret']);

    expect((await stack.gql(LABEL_DEFINITION, { key: 'region' }, intruder)).body).toEqual({
      data: { labelDefinition: null },
    });
    expect((await stack.gql(LABEL_DEFINITIONS, {}, intruder)).body).toEqual({
      data: { labelDefinitions: [] },
    });
    const update = await stack.gql(
      UPDATE_LABEL_DEFINITION,
      { in: { key: 'region', schema: '{"type":"integer"}' } },
      intruder,
    );
    expect(update.body.errors).toEqual(
      graphqlError('Object not found [object=labelDefinition; ID=region]', 'NotFound', 20),
    );
    const del = await stack.gql(DELETE_LABEL_DEFINITION, { key: 'region' }, intruder);
    expect(del.body.errors).toEqual(
      graphqlError('Object not found [object=labelDefinition; ID=region]', 'NotFound', 20),
    );
    // The intruder may define the same key for itself without touching the owner's.
    expect((await stack.gql(CREATE_LABEL_DEFINITION, { in: { key: 'region' } }, intruder)).body).toEqual({
      data: { createLabelDefinition: { key: 'region', schema: null } },
    });
    expect((await stack.gql(LABEL_DEFINITIONS, {}, owner)).body).toEqual({
      data: {
        labelDefinitions: [
          { key: 'region', schema },
          { key: 'scenarios', schema: fixScenariosSchema(['DEFAULT', 'secret']) },
        ],
      },
    });
  });
});
