import { getIntrospectionQuery } from 'graphql';
import { fullSelection } from '../fixtures/full-selection';
import { fixTenant, startStack, type Stack } from './harness';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false });
});
afterAll(async () => {
  await stack?.close();
});

const INVALID = { error: 'InvalidData', error_code: 22 };

describe('query limits', () => {
  it('refuse a query nested deeper than the limit', async () => {
    const nested = (n: number): string => (n === 0 ? 'name' : `ofType { ${nested(n - 1)} }`);
    const res = await stack.gql(
      `{ __schema { types { fields { type { ${nested(25)} } } } } }`,
      {},
      fixTenant(),
    );
    expect(res.body.errors!.length).toBeGreaterThan(0);
    expect(res.body.errors!.every((e) => e.extensions?.error_code === 22)).toBe(true);
    expect(res.body.data).toBeUndefined();

    const ide = await stack.gql(getIntrospectionQuery(), {}, fixTenant());
    expect(ide.body.errors).toBeUndefined();
  });

  it('refuse too many aliases', async () => {
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: applications { totalCount }`).join(' ');
    const res = await stack.gql(`{ ${aliases} }`, {}, fixTenant());
    expect(res.body.errors).toEqual([expect.objectContaining({ extensions: INVALID })]);
    expect(res.body.data).toBeUndefined();
  });

  it('refuse a query whose cost exceeds the limit', async () => {
    // A full Compass application page (pages of 200 nested three deep) fits the limit; 25 do not.
    const heavy = `applications { ${fullSelection('ApplicationPage')} }`;
    const wide = Array.from({ length: 25 }, (_, i) => `a${i}: ${heavy}`).join(' ');
    const res = await stack.gql(`{ ${wide} }`, {}, fixTenant());
    expect(res.body.errors!.length).toBeGreaterThan(0);
    expect(res.body.errors!.every((e) => e.extensions?.error_code === 22)).toBe(true);
    expect(res.body.data).toBeUndefined();

    const single = await stack.gql(`{ ${heavy} }`, {}, fixTenant());
    expect(single.body.errors).toBeUndefined();
  });
});

describe('operator injection', () => {
  it('refuses operator keys in label filter queries', async () => {
    const res = await stack.gql(
      `query($f: [LabelFilter!]) { applications(filter: $f) { totalCount } }`,
      { f: [{ key: 'region', query: '{"$ne": null}' }] },
      fixTenant(),
    );
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message:
          "Invalid data LabelFilter [query=object keys may not be empty, start with '$' or contain '.']",
        extensions: INVALID,
      }),
    ]);
  });
});
