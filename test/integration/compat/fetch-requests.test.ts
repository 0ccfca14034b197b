import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_DEFINITIONS } from '../../../store/bundle-collections';
import { fixAPIInput, fixBundleInput } from '../../fixtures/bundles';
import { fixScenarioKit } from '../../fixtures/runtime-scenarios';
import { fixTenant, okData, startStack, type Stack } from '../harness';
import { accessToken, fixClientCredentials, gqlAs } from '../oauth-client';

/** A spec server that wants credentials, with an OAuth token endpoint; it records what it was sent. */
interface SecuredSpecServer {
  readonly url: string;
  readonly seen: Array<{ path: string; authorization?: string; apiKey?: string }>;
  close(): Promise<void>;
}

const SPEC = 'openapi: 3.0.0\ninfo: { title: secured }';
const BASIC = `Basic ${Buffer.from('reader:s3cret').toString('base64')}`;
const CLIENT = `Basic ${Buffer.from('fetcher:client+secret').toString('base64')}`;

async function startSecuredSpecServer(redirectTo?: string): Promise<SecuredSpecServer> {
  const seen: SecuredSpecServer['seen'] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const authorization = req.headers.authorization;
    const apiKey = req.headers['x-api-key'] as string | undefined;
    seen.push({ path: url.pathname, ...(authorization && { authorization }), ...(apiKey && { apiKey }) });
    const ok = (body: string) => res.writeHead(200).end(body);
    const refuse = () => res.writeHead(401).end('no');
    switch (url.pathname) {
      case '/basic':
        return authorization === BASIC && apiKey === 'k1' && url.searchParams.getAll('v').join() === '1,2'
          ? ok(SPEC)
          : refuse();
      case '/token':
        return req.method === 'POST' && authorization === CLIENT
          ? res
              .writeHead(200, { 'content-type': 'application/json' })
              .end(JSON.stringify({ access_token: 'tok-123', token_type: 'bearer' }))
          : refuse();
      case '/bearer':
        return authorization === 'Bearer tok-123' ? ok(SPEC) : refuse();
      case '/away':
        return res.writeHead(302, { location: `${redirectTo}/landing` }).end();
      default:
        return ok('landed');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const FETCH_REQUEST = `fetchRequest { url mode filter status { condition message }
  auth { credential { ... on BasicCredentialData { username password } ... on OAuthCredentialData { clientId clientSecret url } }
    additionalHeaders additionalQueryParams } }`;
const ADD_API = `mutation ($bundle: ID!, $in: APIDefinitionInput!) {
  addAPIDefinitionToBundle(bundleID: $bundle, in: $in) { id spec { data ${FETCH_REQUEST} } } }`;

type Added = { id: string; spec: { data: string | null; fetchRequest: Record<string, unknown> } };

let stack: Stack;
let specs: SecuredSpecServer;
let elsewhere: SecuredSpecServer;
beforeAll(async () => {
  stack = await startStack();
  elsewhere = await startSecuredSpecServer();
  specs = await startSecuredSpecServer(elsewhere.url);
});
afterAll(async () => {
  await stack?.close();
  await specs?.close();
  await elsewhere?.close();
});

const { registerApp, registerRuntime } = fixScenarioKit(() => stack);

async function fixBundle(tenant: string, labels: Record<string, unknown> = {}) {
  const app = await registerApp(tenant, 'fetching', labels);
  const bundle = await okData(
    stack,
    `mutation ($app: ID!, $in: BundleCreateInput!) { addBundle(applicationID: $app, in: $in) { id } }`,
    { app, in: fixBundleInput({ apiDefinitions: [], eventDefinitions: [], documents: [] }) },
    tenant,
  );
  return { app, bundle: bundle.id };
}

function addApi(tenant: string, bundle: string, fetchRequest: Record<string, unknown>) {
  return okData<Added>(
    stack,
    ADD_API,
    { bundle, in: fixAPIInput({ spec: { type: 'OPEN_API', format: 'YAML', fetchRequest } }) },
    tenant,
  );
}

describe('fetch requests with auth, mode and filter', () => {
  it('sends basic credentials, additional headers and query parameters, and stores them', async () => {
    const tenant = fixTenant();
    const { bundle } = await fixBundle(tenant);
    const auth = {
      credential: { basic: { username: 'reader', password: 's3cret' } },
      additionalHeadersSerialized: '{"X-Api-Key":["k1"]}',
      additionalQueryParams: { v: ['1', '2'] },
    };
    const api = await addApi(tenant, bundle, { url: `${specs.url}/basic`, auth });
    expect(api.spec).toEqual({
      data: SPEC,
      fetchRequest: {
        url: `${specs.url}/basic`,
        mode: 'SINGLE',
        filter: null,
        status: { condition: 'SUCCEEDED', message: null },
        auth: {
          credential: { username: 'reader', password: 's3cret' },
          additionalHeaders: { 'X-Api-Key': ['k1'] },
          additionalQueryParams: { v: ['1', '2'] },
        },
      },
    });
  });

  it('exchanges OAuth client credentials for a bearer token first', async () => {
    const tenant = fixTenant();
    const { bundle } = await fixBundle(tenant);
    const api = await addApi(tenant, bundle, {
      url: `${specs.url}/bearer`,
      auth: {
        credential: {
          oauth: { clientId: 'fetcher', clientSecret: 'client secret', url: `${specs.url}/token` },
        },
      },
    });
    expect(api.spec.data).toBe(SPEC);
    expect(api.spec.fetchRequest.status).toEqual({ condition: 'SUCCEEDED', message: null });
  });

  it('never sends credentials to a redirect on another origin', async () => {
    const tenant = fixTenant();
    const { bundle } = await fixBundle(tenant);
    const api = await addApi(tenant, bundle, {
      url: `${specs.url}/away`,
      auth: {
        credential: { basic: { username: 'reader', password: 's3cret' } },
        additionalHeaders: { 'X-Api-Key': ['k1'] },
      },
    });
    expect(api.spec).toMatchObject({ data: 'landed', fetchRequest: { status: { condition: 'SUCCEEDED' } } });
    expect(specs.seen).toContainEqual({ path: '/away', authorization: BASIC, apiKey: 'k1' });
    expect(elsewhere.seen).toContainEqual({ path: '/landing' });
  });

  it.each([
    [{ mode: 'INDEX' }, 'fetch mode INDEX is not supported: only SINGLE fetches are'],
    [{ mode: 'BUNDLE' }, 'fetch mode BUNDLE is not supported: only SINGLE fetches are'],
    [{ filter: '*.yaml' }, 'a filter is not supported: a SINGLE fetch has nothing to filter'],
  ])('stores %j and ends the fetch FAILED without fetching', async (extra, message) => {
    const tenant = fixTenant();
    const { bundle } = await fixBundle(tenant);
    const before = specs.seen.length;
    const api = await addApi(tenant, bundle, { url: `${specs.url}/basic`, ...extra });
    expect(api.spec).toEqual({
      data: null,
      fetchRequest: {
        url: `${specs.url}/basic`,
        mode: 'SINGLE',
        filter: null,
        auth: null,
        ...extra,
        status: { condition: 'FAILED', message },
      },
    });
    expect(specs.seen.length).toBe(before);
  });

  it('accepts a URL without a scheme, as Compass does, and the fetch ends FAILED saying why', async () => {
    const tenant = fixTenant();
    const { bundle } = await fixBundle(tenant);
    const api = await addApi(tenant, bundle, { url: 'specs.example.com/openapi.yaml' });
    expect(api.spec.fetchRequest).toMatchObject({
      url: 'specs.example.com/openapi.yaml',
      status: {
        condition: 'FAILED',
        message: 'the URL has no scheme: only http and https URLs can be fetched',
      },
    });
  });

  it('answers a runtime without the fetch credentials', async () => {
    const tenant = fixTenant();
    const { app, bundle } = await fixBundle(tenant, { scenarios: ['DEFAULT'] });
    await addApi(tenant, bundle, {
      url: `${specs.url}/basic?v=1&v=2`,
      auth: {
        credential: { basic: { username: 'reader', password: 's3cret' } },
        additionalHeaders: { 'X-Api-Key': ['k1'] },
      },
    });
    const runtime = await registerRuntime(tenant, { labels: { scenarios: ['DEFAULT'] } });
    const token = await accessToken(await fixClientCredentials(stack, 'Runtime', runtime.id, tenant));
    const res = await gqlAs<{
      application: { bundles: { data: Array<{ apiDefinitions: { data: Added[] } }> } };
    }>(
      stack,
      token,
      `query ($id: ID!) { application(id: $id) { bundles { data { apiDefinitions { data { id spec { data ${FETCH_REQUEST} } } } } } } }`,
      { id: app },
    );
    expect(res.body.errors).toBeUndefined();
    const spec = res.body.data!.application.bundles.data[0]!.apiDefinitions.data[0]!.spec;
    expect(spec.data).toBe(SPEC);
    expect(spec.fetchRequest.auth).toBeNull();
  });

  it.each([
    ['a URL that is none', { url: 'not a url' }, 'spec.fetchRequest.url=must be a valid URL'],
    [
      'a blank filter',
      { url: 'https://x.example.com', filter: ' ' },
      'spec.fetchRequest.filter=cannot be blank',
    ],
    [
      'a credential of both kinds',
      {
        url: 'https://x.example.com',
        auth: {
          credential: {
            basic: { username: 'a', password: 'b' },
            oauth: { clientId: 'c', clientSecret: 'd', url: 'https://t.example.com' },
          },
        },
      },
      'spec.fetchRequest.auth.credential=exactly one of basic or oauth',
    ],
  ])('refuses %s as InvalidData and stores nothing', async (_what, fetchRequest, problem) => {
    const tenant = fixTenant();
    const { bundle } = await fixBundle(tenant);
    const res = await stack.gql(
      ADD_API,
      { bundle, in: fixAPIInput({ spec: { type: 'OPEN_API', format: 'YAML', fetchRequest } }) },
      tenant,
    );
    expect(res.body).toEqual({
      data: null,
      errors: [
        expect.objectContaining({
          message: `Invalid data APIDefinitionInput [${problem}]`,
          extensions: { error: 'InvalidData', error_code: 22 },
        }),
      ],
    });
    expect(await stack.mongo.db.collection(API_DEFINITIONS).countDocuments({ tenantId: tenant })).toBe(0);
  });

  it('refuses a mode Compass does not have', async () => {
    const tenant = fixTenant();
    const { bundle } = await fixBundle(tenant);
    const res = await stack.gql(
      ADD_API,
      {
        bundle,
        in: fixAPIInput({
          spec: {
            type: 'OPEN_API',
            format: 'YAML',
            fetchRequest: { url: 'https://x.example.com', mode: 'ZIP' },
          },
        }),
      },
      tenant,
    );
    expect(res.status).toBeLessThan(500);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ extensions: { error: 'InvalidData', error_code: 22 } }),
    ]);
  });
});

describe('fetch requests on a worker that fetches public addresses only', () => {
  let guarded: Stack;
  beforeAll(async () => {
    guarded = await startStack({ specFetchAllowPrivateNetworks: false });
  });
  afterAll(async () => {
    await guarded?.close();
  });

  it('refuses a private OAuth token endpoint as it refuses a private spec URL', async () => {
    const tenant = fixTenant();
    const app = await okData(
      guarded,
      `mutation { registerApplication(in: { name: "guarded" }) { id } }`,
      {},
      tenant,
    );
    const bundle = await okData(
      guarded,
      `mutation ($app: ID!, $in: BundleCreateInput!) { addBundle(applicationID: $app, in: $in) { id } }`,
      { app: app.id, in: fixBundleInput({ apiDefinitions: [], eventDefinitions: [], documents: [] }) },
      tenant,
    );
    const before = specs.seen.length;
    const api = await okData<Added>(
      guarded,
      ADD_API,
      {
        bundle: bundle.id,
        in: fixAPIInput({
          spec: {
            type: 'OPEN_API',
            format: 'YAML',
            fetchRequest: {
              url: 'https://specs.example.com/openapi.yaml',
              auth: {
                credential: {
                  oauth: { clientId: 'fetcher', clientSecret: 'client secret', url: `${specs.url}/token` },
                },
              },
            },
          },
        }),
      },
      tenant,
    );
    expect(api.spec.fetchRequest.status).toEqual({
      condition: 'FAILED',
      message: expect.stringMatching(/^could not get an OAuth token: .*127\.0\.0\.1/),
    });
    expect(specs.seen.length).toBe(before);
  });
});
