import { APPLICATIONS } from '../../store/applications';
import {
  CREATE_TEMPLATE,
  DELETE_TEMPLATE,
  fixTemplateInput,
  GET_TEMPLATE,
  LIST_TEMPLATES,
  REGISTER_FROM_TEMPLATE,
  UPDATE_TEMPLATE,
} from '../fixtures/global-objects';
import { fixTenant, startStack, type Stack } from './harness';

interface Template {
  id: string;
  name: string;
  description: string | null;
  applicationInput: string;
  placeholders: Array<{ name: string; description: string | null }>;
  accessLevel: string;
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

async function create(input = fixTemplateInput(), tenant = fixTenant()): Promise<Template> {
  const res = await stack.gql<{ createApplicationTemplate: Template }>(
    CREATE_TEMPLATE,
    { in: input },
    tenant,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.createApplicationTemplate;
}

function storedApplications(tenant: string): Promise<number> {
  return stack.mongo.db.collection(APPLICATIONS).countDocuments({ tenantId: tenant });
}

const notFound = (id: string) => ({
  message: `Object not found [object=applicationTemplate; ID=${id}]`,
  path: expect.any(Array),
  locations: expect.any(Array),
  extensions: { error: 'NotFound', error_code: 20 },
});

describe('application templates', () => {
  it('creates, reads, updates and deletes a template', async () => {
    const input = fixTemplateInput();
    const template = await create(input);
    expect(template).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: input.name,
      description: 'ERP systems',
      applicationInput:
        '{name: "{{name}}",description: "ERP at {{host}}",labels: {host:"{{host}}",},healthCheckURL: "https://{{host}}/health",}',
      placeholders: [
        { name: 'name', description: 'Application name' },
        { name: 'host', description: null },
      ],
      accessLevel: 'GLOBAL',
    });
    const tenant = fixTenant();
    expect((await stack.gql(GET_TEMPLATE, { id: template.id }, tenant)).body).toEqual({
      data: { applicationTemplate: template },
    });

    const changed = fixTemplateInput({
      description: null,
      placeholders: [],
      applicationInput: { name: 'fixed' },
    });
    const updated = await stack.gql(UPDATE_TEMPLATE, { id: template.id, in: changed }, tenant);
    const expected = {
      id: template.id,
      name: changed.name,
      description: null,
      applicationInput: '{name: "fixed",}',
      placeholders: [],
      accessLevel: 'GLOBAL',
    };
    expect(updated.body).toEqual({ data: { updateApplicationTemplate: expected } });
    expect((await stack.gql(GET_TEMPLATE, { id: template.id }, tenant)).body).toEqual({
      data: { applicationTemplate: expected },
    });

    expect((await stack.gql(DELETE_TEMPLATE, { id: template.id }, tenant)).body).toEqual({
      data: { deleteApplicationTemplate: expected },
    });
    expect((await stack.gql(GET_TEMPLATE, { id: template.id }, tenant)).body).toEqual({
      data: { applicationTemplate: null },
    });
  });

  it('is global: every tenant lists, reads and uses the same templates', async () => {
    const template = await create();
    const other = fixTenant();
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const res = await stack.gql<{
        applicationTemplates: {
          data: Array<{ id: string }>;
          pageInfo: { endCursor: string; hasNextPage: boolean };
        };
      }>(LIST_TEMPLATES, { first: 1, after }, other);
      expect(res.body.errors).toBeUndefined();
      const page = res.body.data!.applicationTemplates;
      seen.push(...page.data.map((t) => t.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toContain(template.id);
    expect(new Set(seen).size).toBe(seen.length);
    const used = await stack.gql(
      REGISTER_FROM_TEMPLATE,
      {
        in: {
          templateName: template.name,
          values: [
            { placeholder: 'name', value: 'erp-b' },
            { placeholder: 'host', value: 'b.example.com' },
          ],
        },
      },
      other,
    );
    expect(used.body.errors).toBeUndefined();
  });

  it('refuses a second template with the same name (NotUnique)', async () => {
    const input = fixTemplateInput();
    await create(input);
    const dup = await stack.gql(CREATE_TEMPLATE, { in: input }, fixTenant());
    expect(dup.body).toEqual({
      data: null,
      errors: [
        {
          message: 'Object name is not unique [object=applicationTemplate]',
          locations: expect.any(Array),
          path: ['createApplicationTemplate'],
          extensions: { error: 'NotUnique', error_code: 21 },
        },
      ],
    });
  });

  it('refuses at creation a template that could never register an application (InvalidData)', async () => {
    const input = fixTemplateInput({
      applicationInput: { name: 'n'.repeat(37), healthCheckURL: 'https://{{host}}/{{path}}' },
    });
    const res = await stack.gql(CREATE_TEMPLATE, { in: input }, fixTenant());
    expect(res.body).toEqual({
      data: null,
      errors: [
        {
          message:
            'Invalid data ApplicationTemplateInput [applicationInput.{{path}}=is not a declared placeholder; applicationInput.name=the length must be between 1 and 36]',
          locations: expect.any(Array),
          path: ['createApplicationTemplate'],
          extensions: { error: 'InvalidData', error_code: 22 },
        },
      ],
    });
  });

  it('answers NotFound for updating or deleting an unknown template, and null for reading it', async () => {
    const tenant = fixTenant();
    const id = '00000000-0000-4000-8000-000000000000';
    expect((await stack.gql(GET_TEMPLATE, { id }, tenant)).body).toEqual({
      data: { applicationTemplate: null },
    });
    const updated = await stack.gql(UPDATE_TEMPLATE, { id, in: fixTemplateInput() }, tenant);
    expect(updated.body).toEqual({ data: null, errors: [notFound(id)] });
    const deleted = await stack.gql(DELETE_TEMPLATE, { id }, tenant);
    expect(deleted.body).toEqual({ data: null, errors: [notFound(id)] });
  });

  it('refuses renaming a template to a name another template holds (NotUnique)', async () => {
    const a = await create();
    const b = await create();
    const res = await stack.gql(
      UPDATE_TEMPLATE,
      { id: b.id, in: fixTemplateInput({ name: a.name }) },
      fixTenant(),
    );
    expect(res.body.errors).toEqual([
      expect.objectContaining({ extensions: { error: 'NotUnique', error_code: 21 } }),
    ]);
    expect((await stack.gql(GET_TEMPLATE, { id: b.id }, fixTenant())).body).toEqual({
      data: { applicationTemplate: b },
    });
  });
});

describe('registering an application from a template', () => {
  it('substitutes every placeholder and registers through the application workflow', async () => {
    const template = await create();
    const tenant = fixTenant();
    const res = await stack.gql(
      REGISTER_FROM_TEMPLATE,
      {
        in: {
          templateName: template.name,
          values: [
            { placeholder: 'host', value: 'erp.example.com' },
            { placeholder: 'name', value: 'erp-a' },
          ],
        },
      },
      tenant,
    );
    expect(res.body).toEqual({
      data: {
        registerApplicationFromTemplate: {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          name: 'erp-a',
          description: 'ERP at erp.example.com',
          healthCheckURL: 'https://erp.example.com/health',
          labels: expect.objectContaining({ host: 'erp.example.com' }),
          status: { condition: 'INITIAL' },
        },
      },
    });
    expect(await storedApplications(tenant)).toBe(1);
  });

  it.each([
    ['a missing value', [{ placeholder: 'name', value: 'erp-a' }], '[values.host=is required]'],
    [
      'a value for an unknown placeholder',
      [
        { placeholder: 'name', value: 'erp-a' },
        { placeholder: 'host', value: 'h.example.com' },
        { placeholder: 'port', value: '80' },
      ],
      '[values.port=is not a placeholder of the template]',
    ],
  ])('refuses %s (InvalidData) and registers nothing', async (_, values, details) => {
    const template = await create();
    const tenant = fixTenant();
    const res = await stack.gql(
      REGISTER_FROM_TEMPLATE,
      { in: { templateName: template.name, values } },
      tenant,
    );
    expect(res.body).toEqual({
      data: null,
      errors: [
        {
          message: `Invalid data ApplicationFromTemplateInput ${details}`,
          locations: expect.any(Array),
          path: ['registerApplicationFromTemplate'],
          extensions: { error: 'InvalidData', error_code: 22 },
        },
      ],
    });
    expect(await storedApplications(tenant)).toBe(0);
  });

  it('refuses values that make an invalid application (InvalidData) and registers nothing', async () => {
    const template = await create();
    const tenant = fixTenant();
    const values = [
      { placeholder: 'name', value: 'n'.repeat(37) },
      { placeholder: 'host', value: 'erp.example.com' },
    ];
    const res = await stack.gql(
      REGISTER_FROM_TEMPLATE,
      { in: { templateName: template.name, values } },
      tenant,
    );
    expect(res.body).toEqual({
      data: null,
      errors: [
        {
          message: 'Invalid data ApplicationRegisterInput [name=the length must be between 1 and 36]',
          locations: expect.any(Array),
          path: ['registerApplicationFromTemplate'],
          extensions: { error: 'InvalidData', error_code: 22 },
        },
      ],
    });
    expect(await storedApplications(tenant)).toBe(0);
  });

  it('answers NotFound for an unknown template name', async () => {
    const res = await stack.gql(
      REGISTER_FROM_TEMPLATE,
      { in: { templateName: 'no-such-template', values: [] } },
      fixTenant(),
    );
    expect(res.body).toEqual({ data: null, errors: [notFound('no-such-template')] });
  });
});
