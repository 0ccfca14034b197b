import { devAuthorization } from '../../../scripts/in-process-stack';
import { fullSelection } from '../../fixtures/full-selection';
import { fixTenant, startStack, type Stack } from '../harness';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false });
});
afterAll(async () => {
  await stack?.close();
});

async function post(query: string, authorization?: string) {
  const res = await fetch(`${stack.url}/director/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: authorization ?? (await devAuthorization()),
      tenant: fixTenant(),
    },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: unknown[] } };
}

/** A full Compass application page (pages of 200, three deep), `n` times under aliases. */
function applicationPages(n: number, first?: number): string {
  const args = first ? `(first: ${first})` : '';
  const page = `applications${args} { ${fullSelection('ApplicationPage')} }`;
  return `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${page}`).join('\n')} }`;
}

const INVALID = { error: 'InvalidData', error_code: 22 };

describe('query limits', () => {
  it('serve a full application page with every page size spelled out', async () => {
    const res = await post(
      applicationPages(1, 200).replace(
        /(bundles|apiDefinitions|eventDefinitions|documents) \{/g,
        '$1(first: 200) {',
      ),
    );
    expect(res.body).toEqual({ data: { a0: { data: [], pageInfo: expect.any(Object), totalCount: 0 } } });
  });

  it('refuse an operation costlier than GRAPHQL_MAX_COST with InvalidData and HTTP 400, naming the limit', async () => {
    const res = await post(applicationPages(10));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [
        {
          message: expect.stringMatching(
            /^The operation exceeds the cost limit \[cost=\d+; limit=10000000000; setting=GRAPHQL_MAX_COST\]$/,
          ),
          extensions: INVALID,
        },
      ],
    });
  });

  it('tell a caller lacking scopes only that, however costly its operation', async () => {
    const res = await post(applicationPages(10), await devAuthorization(['runtime:read']));
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      errors: [
        {
          message: 'insufficient scopes provided [required=application:read]',
          extensions: { error: 'InsufficientScopes', error_code: 23 },
        },
      ],
    });
  });

  it('refuse more aliases than GRAPHQL_MAX_ALIASES, and ten thousand at parsing', async () => {
    const aliases = (n: number) =>
      `{ viewer { ${Array.from({ length: n }, (_, i) => `a${i}:id`).join(',')} } }`;
    const some = await post(aliases(31));
    expect(some.status).toBe(400);
    expect(some.body).toEqual({
      errors: [
        {
          message:
            'The operation exceeds the aliases limit [aliases=31; limit=30; setting=GRAPHQL_MAX_ALIASES]',
          extensions: INVALID,
        },
      ],
    });
    const many = await post(aliases(10_000));
    expect(many.status).toBe(400);
    expect(many.body).toEqual({
      errors: [
        expect.objectContaining({ message: expect.stringMatching(/20000 tokens/), extensions: INVALID }),
      ],
    });
  });
});
