import { fixApplicationInput, REGISTER } from '../../fixtures/applications';
import { ADD_BUNDLE, ADD_DOCUMENT, fixDocumentInput } from '../../fixtures/bundles';
import { graphqlError } from '../../fixtures/errors';
import {
  CREATE_LABEL_DEFINITION,
  DELETE_LABEL_DEFINITION,
  LABEL_DEFINITION,
  LABEL_DEFINITIONS,
  LABELS_OF,
  SET_LABEL,
  UPDATE_LABEL_DEFINITION,
  fixScenariosSchema,
} from '../../fixtures/labels';
import { fixTenant, type Obj, okData, startStack, type Stack } from '../harness';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const INVALID_DATA = ['InvalidData', 22] as const;
const INVALID_OPERATION = ['InvalidOperation', 27] as const;

/** The schema of Compass's own label definition tests, and how Compass prints it (keys sorted). */
const FOO_SCHEMA = JSON.stringify({
  title: 'foobarbaz',
  type: 'object',
  properties: { foo: { type: 'string', description: 'foo' } },
  required: ['foo'],
});
const FOO_SCHEMA_PRINTED =
  '{"properties":{"foo":{"description":"foo","type":"string"}},"required":["foo"],"title":"foobarbaz","type":"object"}';
const PATTERN_PRINTED = '"pattern":"^[A-Za-z0-9]([-_A-Za-z0-9\\\\s]*[A-Za-z0-9])$"';

function registerApp(tenant: string, labels: Record<string, unknown> = {}) {
  return okData<Obj>(stack, REGISTER, { in: fixApplicationInput({ labels }) }, tenant);
}

async function labelsOf(tenant: string, id: string): Promise<Record<string, unknown>> {
  const res = await stack.gql<{ application: { labels: Record<string, unknown> } }>(
    LABELS_OF,
    { id },
    tenant,
  );
  return res.body.data!.application.labels;
}

describe('label definition input, worded as Compass', () => {
  it.each([
    ['an empty key', '', 'Invalid data LabelDefinitionInput [key=cannot be blank]'],
    [
      'a key over 256 characters',
      'k'.repeat(257),
      'Invalid data LabelDefinitionInput [key=the length must be no more than 256]',
    ],
    [
      'a key outside letters, digits and _',
      'a-b',
      'Invalid data LabelDefinitionInput [key=must be in a valid format]',
    ],
  ])('refuses %s', async (_what, key, message) => {
    const tenant = fixTenant();
    const res = await stack.gql(CREATE_LABEL_DEFINITION, { in: { key } }, tenant);
    expect(res.body.errors).toEqual(graphqlError(message, ...INVALID_DATA));
    expect((await stack.gql(LABEL_DEFINITIONS, {}, tenant)).body).toEqual({ data: { labelDefinitions: [] } });
  });

  it('refuses a scenarios schema without DEFAULT under rule.validSchema', async () => {
    const tenant = fixTenant();
    const schema = fixScenariosSchema(['Christmas']);
    const res = await stack.gql(UPDATE_LABEL_DEFINITION, { in: { key: 'scenarios', schema } }, tenant);
    expect(res.body.errors).toEqual(
      graphqlError(
        'Invalid data LabelDefinitionInput [rule.validSchema=while validating schema for key scenarios: ' +
          'items.enum: At least one of the items must match, items.enum.0: items.enum.0 does not match: "DEFAULT"]',
        ...INVALID_DATA,
      ),
    );
  });

  it('refuses a scenarios definition without schema under rule.validSchema', async () => {
    const res = await stack.gql(UPDATE_LABEL_DEFINITION, { in: { key: 'scenarios' } }, fixTenant());
    expect(res.body.errors).toEqual(
      graphqlError(
        'Invalid data LabelDefinitionInput [rule.validSchema=while validating schema for key scenarios: schema can not be nil]',
        ...INVALID_DATA,
      ),
    );
  });

  it('refuses to delete the scenarios definition', async () => {
    const res = await stack.gql(DELETE_LABEL_DEFINITION, { key: 'scenarios' }, fixTenant());
    expect(res.body.errors).toEqual(
      graphqlError(
        'The operation is not allowed [reason=Label Definition with key scenarios can not be deleted]',
        ...INVALID_OPERATION,
      ),
    );
  });
});

describe('label values, worded as Compass', () => {
  it('refuses a value its definition does not accept: input value=123, key=foo', async () => {
    const tenant = fixTenant();
    await okData(stack, CREATE_LABEL_DEFINITION, { in: { key: 'foo', schema: FOO_SCHEMA } }, tenant);
    const app = await registerApp(tenant);
    const res = await stack.gql(SET_LABEL, { id: app.id, key: 'foo', value: 123 }, tenant);
    expect(res.body.errors).toEqual(
      graphqlError(
        `Invalid data [reason=input value=123, key=foo, is not valid against JSON Schema=${FOO_SCHEMA_PRINTED},` +
          'result=(root): Invalid type. Expected: object, given: integer]',
        ...INVALID_DATA,
      ),
    );
    expect(await labelsOf(tenant, app.id)).not.toHaveProperty('foo');
  });

  it('lists the allowed scenarios for one outside the enum', async () => {
    const tenant = fixTenant();
    const schema = fixScenariosSchema(['DEFAULT', 'Christmas']);
    await okData(stack, UPDATE_LABEL_DEFINITION, { in: { key: 'scenarios', schema } }, tenant);
    const app = await registerApp(tenant);
    const res = await stack.gql(SET_LABEL, { id: app.id, key: 'scenarios', value: ['Easter'] }, tenant);
    expect(res.body.errors).toEqual(
      graphqlError(
        'Invalid data [reason=input value=[Easter], key=scenarios, is not valid against JSON Schema=' +
          `{"items":{"enum":["DEFAULT","Christmas"],"maxLength":128,${PATTERN_PRINTED},"type":"string"},` +
          '"minItems":1,"type":"array","uniqueItems":true},' +
          'result=0: 0 must be one of the following: "DEFAULT", "Christmas"]',
        ...INVALID_DATA,
      ),
    );
    expect((await labelsOf(tenant, app.id)).scenarios).toEqual(['DEFAULT']);
  });

  it('refuses a label key outside letters, digits and _ as a LabelInput', async () => {
    const tenant = fixTenant();
    const app = await registerApp(tenant);
    const res = await stack.gql(SET_LABEL, { id: app.id, key: 'a-b', value: 'x' }, tenant);
    expect(res.body.errors).toEqual(
      graphqlError('Invalid data LabelInput [key=must be in a valid format]', ...INVALID_DATA),
    );
  });

  it('refuses a new schema a label in use does not satisfy: label with key="foo"', async () => {
    const tenant = fixTenant();
    await okData(stack, CREATE_LABEL_DEFINITION, { in: { key: 'foo', schema: FOO_SCHEMA } }, tenant);
    const app = await registerApp(tenant, { foo: { foo: 'foo' } });
    const integer = JSON.stringify({
      title: 'foobarbaz',
      type: 'object',
      properties: { foo: { type: 'integer', description: 'integer value' } },
      required: ['foo'],
    });
    const res = await stack.gql(UPDATE_LABEL_DEFINITION, { in: { key: 'foo', schema: integer } }, tenant);
    expect(res.body.errors).toEqual(
      graphqlError(
        `Invalid data [reason=label with key="foo" is not valid against new schema for Application with ID="${app.id}": ` +
          'foo: Invalid type. Expected: integer, given: string]',
        ...INVALID_DATA,
      ),
    );
    expect((await stack.gql(LABEL_DEFINITION, { key: 'foo' }, tenant)).body).toEqual({
      data: { labelDefinition: { key: 'foo', schema: FOO_SCHEMA } },
    });
  });

  it('refuses to delete a definition labels still use', async () => {
    const tenant = fixTenant();
    await registerApp(tenant, { region: 'eu' });
    const res = await stack.gql(DELETE_LABEL_DEFINITION, { key: 'region' }, tenant);
    expect(res.body.errors).toEqual(
      graphqlError(
        'The operation is not allowed [reason=could not delete label definition, it is already used by at least one label]',
        ...INVALID_OPERATION,
      ),
    );
    expect((await stack.gql(LABEL_DEFINITION, { key: 'region' }, tenant)).body).toEqual({
      data: { labelDefinition: { key: 'region', schema: null } },
    });
  });
});

describe('document input, worded as Compass', () => {
  it.each([
    [
      'a displayName over 128 characters',
      'displayName',
      'd'.repeat(129),
      'the length must be between 1 and 128',
    ],
    ['a title over 128 characters', 'title', 't'.repeat(129), 'the length must be between 1 and 128'],
    [
      'a description over 2000 characters',
      'description',
      'x'.repeat(2001),
      'the length must be between 1 and 2000',
    ],
    ['an empty displayName', 'displayName', '', 'cannot be blank'],
  ])('refuses %s', async (_what, field, value, problem) => {
    const tenant = fixTenant();
    const app = await registerApp(tenant);
    const bundle = await okData<Obj>(stack, ADD_BUNDLE, { app: app.id, in: { name: 'docs' } }, tenant);
    const res = await stack.gql(
      ADD_DOCUMENT,
      { bundle: bundle.id, in: fixDocumentInput({ [field]: value }) },
      tenant,
    );
    expect(res.body.errors).toEqual(
      graphqlError(`Invalid data DocumentInput [${field}=${problem}]`, ...INVALID_DATA),
    );
  });
});
