import { fixTenant, startStack, type Stack } from './harness';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false });
});
afterAll(async () => {
  await stack?.close();
});

const JSON_TYPE = { 'content-type': 'application/json' };
const LIST = JSON.stringify({ query: '{ applications { totalCount } }' });
const UNAUTHORIZED = { error: 'Unauthorized', error_code: 26 };
const INVALID_DATA = { error: 'InvalidData', error_code: 22 };

type Case = [what: string, path: string, init: RequestInit, status: number, extensions: object];

/** A client's mistakes, each with the answer Compass's clients expect: never a 5xx. */
const MISTAKES: Case[] = [
  [
    'no Authorization header (Director)',
    '/director/graphql',
    { method: 'POST', headers: { ...JSON_TYPE, tenant: fixTenant() }, body: LIST },
    401,
    UNAUTHORIZED,
  ],
  [
    'no Authorization header (Provisioner)',
    '/provisioner/graphql',
    { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ query: '{ __typename }' }) },
    401,
    UNAUTHORIZED,
  ],
  [
    'an empty Authorization header',
    '/director/graphql',
    { method: 'POST', headers: { ...JSON_TYPE, authorization: '' }, body: LIST },
    401,
    UNAUTHORIZED,
  ],
  [
    'a bad token',
    '/director/graphql',
    { method: 'POST', headers: { ...JSON_TYPE, authorization: 'Bearer x.y.z' }, body: LIST },
    401,
    UNAUTHORIZED,
  ],
  [
    'a non-bearer scheme',
    '/director/graphql',
    { method: 'POST', headers: { ...JSON_TYPE, authorization: 'Basic dTpw' }, body: LIST },
    401,
    UNAUTHORIZED,
  ],
  [
    'unreadable JSON',
    '/director/graphql',
    { method: 'POST', headers: JSON_TYPE, body: '{"query": ' },
    400,
    INVALID_DATA,
  ],
  [
    'unreadable JSON (Connector)',
    '/connector/graphql',
    { method: 'POST', headers: JSON_TYPE, body: '[{' },
    400,
    INVALID_DATA,
  ],
  ['no body', '/connector/graphql', { method: 'POST', headers: JSON_TYPE }, 400, INVALID_DATA],
  [
    'a query that is no string',
    '/connector/graphql',
    { method: 'POST', headers: JSON_TYPE, body: '{"query": 5}' },
    400,
    INVALID_DATA,
  ],
  [
    'a batch',
    '/connector/graphql',
    { method: 'POST', headers: JSON_TYPE, body: '[{"query": "{ __typename }"}]' },
    400,
    INVALID_DATA,
  ],
  [
    'a form post (CSRF)',
    '/connector/graphql',
    { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' },
    400,
    INVALID_DATA,
  ],
  [
    'a syntax error',
    '/connector/graphql',
    { method: 'POST', headers: JSON_TYPE, body: '{"query": "{ configuration {"}' },
    400,
    INVALID_DATA,
  ],
  [
    'an unknown field',
    '/connector/graphql',
    { method: 'POST', headers: JSON_TYPE, body: '{"query": "{ nope }"}' },
    400,
    INVALID_DATA,
  ],
  // Errors of execution keep GraphQL over HTTP's 200 with `errors`, as Compass answers them.
  [
    'no one-time token (Connector)',
    '/connector/graphql',
    { method: 'POST', headers: JSON_TYPE, body: '{"query": "{ configuration { token { token } } }"}' },
    200,
    UNAUTHORIZED,
  ],
  [
    'an unknown one-time token',
    '/connector/graphql',
    {
      method: 'POST',
      headers: { ...JSON_TYPE, 'connector-token': 'nope' },
      body: '{"query": "{ configuration { token { token } } }"}',
    },
    200,
    UNAUTHORIZED,
  ],
];

describe("a client's mistake", () => {
  it.each(MISTAKES)('%s, on %s', async (_what, path, init, status, extensions) => {
    const res = await fetch(`${stack.url}${path}`, init);
    const body = (await res.json()) as { errors: Array<{ extensions: object }> };
    expect({ status: res.status, extensions: body.errors[0]?.extensions }).toEqual({ status, extensions });
  });

  it('on the token endpoint is answered 400 in OAuth 2 form', async () => {
    const answers = await Promise.all(
      [
        { method: 'POST' },
        { method: 'POST', headers: JSON_TYPE, body: '{bad' },
        {
          method: 'POST',
          headers: { authorization: 'Basic !!!', 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=client_credentials',
        },
      ].map(async (init) => {
        const res = await fetch(`${stack.url}/oauth/token`, init);
        return { status: res.status, error: ((await res.json()) as { error: string }).error };
      }),
    );
    expect(answers).toEqual([
      { status: 400, error: 'invalid_request' },
      { status: 400, error: 'invalid_request' },
      { status: 400, error: 'invalid_request' },
    ]);
  });

  it('on the internal Connector API is answered 400', async () => {
    const res = await fetch(`${stack.internalConnectorUrl}/v1/tokens/resolve`, {
      method: 'POST',
      headers: JSON_TYPE,
      body: '{not json',
    });
    expect(res.status).toBe(400);
  });
});
