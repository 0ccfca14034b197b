import { devAuthorization } from '../../../scripts/in-process-stack';
import { fixTenant, okData, startStack, type Stack } from '../harness';

/**
 * Compass's server (gqlparser) takes `field()` as a field without arguments, and its clients
 * write it: the Connector client's only configuration query is `configuration()`.
 */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

type Endpoint = 'director' | 'connector' | 'internal connector';

async function post(endpoint: Endpoint, query: string, headers: Record<string, string> = {}) {
  const url = {
    director: `${stack.url}/director/graphql`,
    connector: `${stack.url}/connector/graphql`,
    'internal connector': `${stack.internalConnectorUrl}/graphql`,
  }[endpoint];
  const auth: Record<string, string> =
    endpoint === 'director' ? { authorization: await devAuthorization(), tenant: fixTenant() } : {};
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth, ...headers },
    body: JSON.stringify({ query }),
  });
  return {
    status: res.status,
    body: (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] },
  };
}

describe('empty argument lists', () => {
  it('read as no arguments on the Director API', async () => {
    const res = await post('director', '{ labelDefinitions() { key } viewer() { id type } }');
    expect(res).toEqual({
      status: 200,
      body: { data: { labelDefinitions: expect.any(Array), viewer: { id: 'tester', type: 'USER' } } },
    });
  });

  it("read as no arguments on the Connector API, as its Go client's configuration() query", async () => {
    const tenant = fixTenant();
    const app = await okData(
      stack,
      'mutation { registerApplication(in: { name: "paired" }) { id } }',
      {},
      tenant,
    );
    const internal = await post(
      'internal connector',
      `mutation { generateApplicationToken(authID: "${app.id}") { token } } `,
    );
    const token = (internal.body.data!.generateApplicationToken as { token: string }).token;
    const res = await post(
      'connector',
      'query { result: configuration() { token { token } certificateSigningRequestInfo { subject keyAlgorithm } } }',
      { 'connector-token': token },
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: {
        result: {
          token: { token: expect.any(String) },
          certificateSigningRequestInfo: {
            subject: expect.stringMatching(/,CN=[0-9a-f-]{36}$/),
            keyAlgorithm: 'rsa2048',
          },
        },
      },
    });
  });

  it("read as no arguments on the Connector's internal API", async () => {
    expect(await post('internal connector', '{ healthy() }')).toEqual({
      status: 200,
      body: { data: { healthy: true } },
    });
  });

  it.each<[Endpoint, string]>([
    ['director', '{ labelDefinitions( { key } }'],
    ['director', 'query Q() { viewer { id } }'],
    ['director', '{ viewer @skip() { id } }'],
    ['director', '{ application(id: "x") { id }'],
    ['connector', 'query { configuration() { token { token } }'],
    ['connector', '{ configuration(,) @include() { token { token } } }'],
    ['internal connector', '{ healthy( }'],
  ])('answer any other syntax error on the %s with HTTP 400 and InvalidData: %p', async (endpoint, query) => {
    const res = await post(endpoint, query);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [
        {
          message: expect.stringMatching(/^Syntax Error: /),
          locations: [expect.objectContaining({ line: 1 })],
          extensions: { error: 'InvalidData', error_code: 22 },
        },
      ],
    });
  });
});
