import {
  fixIntegrationSystemInput,
  GET_SYSTEM,
  LIST_SYSTEMS,
  REGISTER_SYSTEM,
  UNREGISTER_SYSTEM,
  UPDATE_SYSTEM,
} from '../fixtures/global-objects';
import { fixTenant, startStack, type Stack } from './harness';

interface System {
  id: string;
  name: string;
  description: string | null;
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false });
});
afterAll(async () => {
  await stack?.close();
});

async function register(input = fixIntegrationSystemInput(), tenant = fixTenant()): Promise<System> {
  const res = await stack.gql<{ registerIntegrationSystem: System }>(REGISTER_SYSTEM, { in: input }, tenant);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.registerIntegrationSystem;
}

function error(path: string, message: string, name: string, code: number) {
  return {
    message,
    locations: expect.any(Array),
    path: [path],
    extensions: { error: name, error_code: code },
  };
}

describe('integration systems', () => {
  it('registers, reads, updates and unregisters an integration system', async () => {
    const input = fixIntegrationSystemInput();
    const system = await register(input);
    expect(system).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: input.name,
      description: 'Manages ERPs',
    });
    const tenant = fixTenant();
    expect((await stack.gql(GET_SYSTEM, { id: system.id }, tenant)).body).toEqual({
      data: { integrationSystem: system },
    });

    const renamed = { id: system.id, name: `${String(input.name)}-b`, description: null };
    const updated = await stack.gql(UPDATE_SYSTEM, { id: system.id, in: { name: renamed.name } }, tenant);
    expect(updated.body).toEqual({ data: { updateIntegrationSystem: renamed } });

    expect((await stack.gql(UNREGISTER_SYSTEM, { id: system.id }, tenant)).body).toEqual({
      data: { unregisterIntegrationSystem: renamed },
    });
    expect((await stack.gql(GET_SYSTEM, { id: system.id }, tenant)).body).toEqual({
      data: { integrationSystem: null },
    });
  });

  it('is global: another tenant lists and reads the same systems, page by page', async () => {
    const a = await register();
    const b = await register();
    const other = fixTenant();
    const seen: System[] = [];
    let after: string | undefined;
    for (;;) {
      const res = await stack.gql<{
        integrationSystems: {
          data: System[];
          totalCount: number;
          pageInfo: { endCursor: string; hasNextPage: boolean };
        };
      }>(LIST_SYSTEMS, { first: 1, after }, other);
      expect(res.body.errors).toBeUndefined();
      const page = res.body.data!.integrationSystems;
      expect(page.data).toHaveLength(1);
      seen.push(...page.data);
      if (!page.pageInfo.hasNextPage) {
        expect(seen).toHaveLength(page.totalCount);
        break;
      }
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(expect.arrayContaining([a, b]));
    expect((await stack.gql(GET_SYSTEM, { id: a.id }, other)).body).toEqual({
      data: { integrationSystem: a },
    });
  });

  it('refuses a name another system holds, on register and on update (NotUnique)', async () => {
    const a = await register();
    const b = await register();
    const tenant = fixTenant();
    const dup = await stack.gql(REGISTER_SYSTEM, { in: { name: a.name } }, tenant);
    expect(dup.body).toEqual({
      data: null,
      errors: [
        error(
          'registerIntegrationSystem',
          'Object name is not unique [object=integrationSystem]',
          'NotUnique',
          21,
        ),
      ],
    });
    const rename = await stack.gql(UPDATE_SYSTEM, { id: b.id, in: { name: a.name } }, tenant);
    expect(rename.body).toEqual({
      data: null,
      errors: [
        error(
          'updateIntegrationSystem',
          'Object name is not unique [object=integrationSystem]',
          'NotUnique',
          21,
        ),
      ],
    });
    expect((await stack.gql(GET_SYSTEM, { id: b.id }, tenant)).body).toEqual({
      data: { integrationSystem: b },
    });
  });

  it('refuses a name that breaks the application name rule (InvalidData)', async () => {
    const res = await stack.gql(
      REGISTER_SYSTEM,
      { in: { name: '1-Bad', description: 'x'.repeat(2001) } },
      fixTenant(),
    );
    expect(res.body).toEqual({
      data: null,
      errors: [
        error(
          'registerIntegrationSystem',
          'Invalid data IntegrationSystemInput [name=cannot start with digit; description=the length must be no more than 2000]',
          'InvalidData',
          22,
        ),
      ],
    });
  });

  it('answers NotFound for updating or unregistering an unknown system, and null for reading it', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const tenant = fixTenant();
    const message = `Object not found [object=integrationSystem; ID=${id}]`;
    expect((await stack.gql(GET_SYSTEM, { id }, tenant)).body).toEqual({ data: { integrationSystem: null } });
    expect((await stack.gql(UPDATE_SYSTEM, { id, in: fixIntegrationSystemInput() }, tenant)).body).toEqual({
      data: null,
      errors: [error('updateIntegrationSystem', message, 'NotFound', 20)],
    });
    expect((await stack.gql(UNREGISTER_SYSTEM, { id }, tenant)).body).toEqual({
      data: null,
      errors: [error('unregisterIntegrationSystem', message, 'NotFound', 20)],
    });
  });
});
