import {
  CREATE_TEMPLATE,
  fixTemplateInput,
  GET_TEMPLATE,
  REGISTER_FROM_TEMPLATE,
  UPDATE_TEMPLATE,
} from '../../fixtures/global-objects';
import { fixTenant, okData, startStack, type Obj, type Stack } from '../harness';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const LIST_INPUTS = `query { applicationTemplates { data { id applicationInput } } }`;

describe('an application template’s applicationInput as Compass returns it', () => {
  it('is the GraphQL input literal, not JSON, on create, read, list and update', async () => {
    const tenant = fixTenant();
    const input = fixTemplateInput({
      placeholders: [],
      applicationInput: { name: 'app', labels: { a: ['b'] } },
    });
    const created = await okData(stack, CREATE_TEMPLATE, { in: input }, tenant);
    expect(created.applicationInput).toBe('{name: "app",labels: {a:["b"],},}');
    expect(await okData(stack, GET_TEMPLATE, { id: created.id }, tenant)).toEqual(created);
    const listed = await okData<{ data: Obj[] }>(stack, LIST_INPUTS, {}, tenant);
    expect(listed.data).toContainEqual({ id: created.id, applicationInput: created.applicationInput });

    const changed = fixTemplateInput({
      placeholders: [{ name: 'name' }],
      applicationInput: { name: '{{name}}', description: 'ERP', statusCondition: 'CONNECTED' },
    });
    const updated = await okData(stack, UPDATE_TEMPLATE, { id: created.id, in: changed }, tenant);
    expect(updated.applicationInput).toBe(
      '{name: "{{name}}",description: "ERP",statusCondition: CONNECTED,}',
    );
  });

  it('still registers applications from the stored input, values substituted', async () => {
    const tenant = fixTenant();
    const template = await okData(stack, CREATE_TEMPLATE, { in: fixTemplateInput() }, tenant);
    const app = await okData(
      stack,
      REGISTER_FROM_TEMPLATE,
      {
        in: {
          templateName: template.name,
          values: [
            { placeholder: 'name', value: 'Erp "A"' },
            { placeholder: 'host', value: 'erp.example.com' },
          ],
        },
      },
      tenant,
    );
    expect(app).toMatchObject({
      name: 'Erp "A"',
      description: 'ERP at erp.example.com',
      healthCheckURL: 'https://erp.example.com/health',
      labels: { host: 'erp.example.com', name: 'mp-erp-a' },
    });
  });
});
