import { MISSING_ID, notFoundError } from '../fixtures/errors';
import { fixTenant, okData, startStack, type Stack } from './harness';

/** Refused calls found by `npm run test:fuzz`: each must leave the database as it was. */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const LABEL_DEFINITIONS = `{ labelDefinitions { key } }`;
const REGISTER_CONTEXT = `mutation($runtimeID: ID!, $in: RuntimeContextInput!) {
  registerRuntimeContext(runtimeID: $runtimeID, in: $in) { id } }`;
const UPDATE_CONTEXT = `mutation($id: ID!, $in: RuntimeContextInput!) { updateRuntimeContext(id: $id, in: $in) { id } }`;

async function labelKeys(tenant: string): Promise<string[]> {
  const defs = await okData<Array<{ key: string }>>(stack, LABEL_DEFINITIONS, {}, tenant);
  return defs.map((d) => d.key).sort();
}

describe('a refused runtime context call', () => {
  it('creates no label definition when the runtime does not exist', async () => {
    const tenant = fixTenant();
    const before = await labelKeys(tenant);
    const res = await stack.gql(
      REGISTER_CONTEXT,
      { runtimeID: MISSING_ID, in: { key: 'k', value: 'v', labels: { fuzzKey: 'x', otherKey: ['y'] } } },
      tenant,
    );
    expect(res.body).toEqual({ data: null, errors: notFoundError('runtime', MISSING_ID) });
    expect(await labelKeys(tenant)).toEqual(before);
  });

  it('creates no label definition when the context does not exist', async () => {
    const tenant = fixTenant();
    const before = await labelKeys(tenant);
    const res = await stack.gql(
      UPDATE_CONTEXT,
      { id: MISSING_ID, in: { key: 'k', value: 'v', labels: { fuzzKey: 'x' } } },
      tenant,
    );
    expect(res.body).toEqual({ data: null, errors: notFoundError('runtimeContext', MISSING_ID) });
    expect(await labelKeys(tenant)).toEqual(before);
  });

  it('creates no definition for a new key when another label breaks its definition', async () => {
    const tenant = fixTenant();
    const rt = await okData(stack, `mutation { registerRuntime(in: { name: "rt" }) { id } }`, {}, tenant);
    await okData(
      stack,
      `mutation { createLabelDefinition(in: { key: "size", schema: "{\\"type\\":\\"integer\\"}" }) { key } }`,
      {},
      tenant,
    );
    const before = await labelKeys(tenant);
    const res = await stack.gql(
      REGISTER_CONTEXT,
      { runtimeID: rt.id, in: { key: 'k', value: 'v', labels: { aNewKey: 'x', size: 'not a number' } } },
      tenant,
    );
    expect(res.body.data).toBeNull();
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ error: 'InvalidData', error_code: 22 });
    expect(await labelKeys(tenant)).toEqual(before);
  });
});
