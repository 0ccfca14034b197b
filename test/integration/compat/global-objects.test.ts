import { decodeJwt } from 'jose';
import { fixApplicationInput, REGISTER } from '../../fixtures/applications';
import { errorCode, graphqlError } from '../../fixtures/errors';
import {
  CREATE_TEMPLATE,
  DELETE_TEMPLATE,
  fixIntegrationSystemInput,
  fixTemplateInput,
  GET_SYSTEM,
  GET_TEMPLATE,
  LIST_SYSTEMS,
  LIST_TEMPLATES,
  REGISTER_FROM_TEMPLATE,
  REGISTER_SYSTEM,
  UNREGISTER_SYSTEM,
  UPDATE_SYSTEM,
  UPDATE_TEMPLATE,
} from '../../fixtures/global-objects';
import { fixTenant, startStack, type Obj, type Stack } from '../harness';
import { accessToken, fixClientCredentials, gqlAs } from '../oauth-client';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false });
});
afterAll(async () => {
  await stack?.close();
});

/** Runs an operation without a Tenant header (the local token names no tenant either). */
async function global<T = Obj>(query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await stack.gql<Record<string, T>>(query, variables);
  expect(res.body.errors).toBeUndefined();
  return Object.values(res.body.data!)[0]!;
}

describe('global objects need no tenant', () => {
  it('registers, lists, reads, updates and unregisters an integration system without a tenant', async () => {
    const input = fixIntegrationSystemInput();
    const system = await global(REGISTER_SYSTEM, { in: input });
    expect(system).toEqual({ id: expect.any(String), name: input.name, description: 'Manages ERPs' });

    const page = await global<{ data: Obj[]; totalCount: number }>(LIST_SYSTEMS, { first: 200 });
    expect(page.data).toContainEqual(system);
    expect(await global(GET_SYSTEM, { id: system.id })).toEqual(system);

    const renamed = { id: system.id, name: `${String(input.name)}-b`, description: null };
    expect(await global(UPDATE_SYSTEM, { id: system.id, in: { name: renamed.name } })).toEqual(renamed);
    expect(await global(UNREGISTER_SYSTEM, { id: system.id })).toEqual(renamed);
    expect((await stack.gql(GET_SYSTEM, { id: system.id })).body).toEqual({
      data: { integrationSystem: null },
    });
  });

  it('creates, lists, reads, updates and deletes an application template without a tenant', async () => {
    const input = fixTemplateInput();
    const template = await global(CREATE_TEMPLATE, { in: input });
    expect(template).toMatchObject({ name: input.name });

    const page = await global<{ data: Obj[] }>(LIST_TEMPLATES, { first: 200 });
    expect(page.data).toContainEqual({ id: template.id, name: input.name });
    expect(await global(GET_TEMPLATE, { id: template.id })).toEqual(template);

    const changed = fixTemplateInput({ placeholders: [], applicationInput: { name: 'fixed' } });
    expect(await global(UPDATE_TEMPLATE, { id: template.id, in: changed })).toMatchObject({
      id: template.id,
      name: changed.name,
    });
    expect(await global(DELETE_TEMPLATE, { id: template.id })).toMatchObject({ id: template.id });
    expect((await stack.gql(GET_TEMPLATE, { id: template.id })).body).toEqual({
      data: { applicationTemplate: null },
    });
  });

  it('still requires a tenant for tenant-scoped operations, from a template too (TenantRequired, 24)', async () => {
    const template = await global(CREATE_TEMPLATE, { in: fixTemplateInput() });
    const fromTemplate = await stack.gql(REGISTER_FROM_TEMPLATE, {
      in: {
        templateName: template.name,
        values: [
          { placeholder: 'name', value: 'erp-a' },
          { placeholder: 'host', value: 'erp.example.com' },
        ],
      },
    });
    expect(fromTemplate.body.errors).toEqual(graphqlError('Tenant is required', 'TenantRequired', 24));
    const direct = await stack.gql(REGISTER, { in: fixApplicationInput() });
    expect(direct.body.errors).toEqual(graphqlError('Tenant is required', 'TenantRequired', 24));
  });

  it('lets an integration system read global objects without a tenant and act in the one it names', async () => {
    const tenant = fixTenant();
    const system = await global(REGISTER_SYSTEM, { in: fixIntegrationSystemInput() });
    const token = await accessToken(
      await fixClientCredentials(stack, 'IntegrationSystem', system.id, tenant),
    );
    expect(decodeJwt(token)).toMatchObject({ consumerType: 'Integration System' });

    const read = await gqlAs<{ integrationSystem: Obj }>(stack, token, GET_SYSTEM, { id: system.id });
    expect(read.body).toEqual({ data: { integrationSystem: system } });
    expect(errorCode(await gqlAs(stack, token, `{ applications { totalCount } }`))).toBe(24);
    const inTenant = await gqlAs(stack, token, `{ applications { totalCount } }`, {}, tenant);
    expect(inTenant.body).toEqual({ data: { applications: { totalCount: 0 } } });
  });
});
