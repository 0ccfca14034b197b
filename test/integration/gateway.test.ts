import pino from 'pino';
import { startGateway } from '../../api/server';
import { loadConfig } from '../../infra/config';
import { MongoClient } from 'mongodb';
import { fixTenant, startStack, type Stack } from './harness';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false });
});
afterAll(async () => {
  await stack?.close();
});

describe('gateway', () => {
  it('reports healthy when Temporal and MongoDB answer', async () => {
    const res = await fetch(`${stack.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ok',
      checks: { temporal: { status: 'up' }, mongodb: { status: 'up' } },
    });
  });

  it('reports 503 when MongoDB is unreachable', async () => {
    const unreachable = new MongoClient('mongodb://127.0.0.1:1/compass', { serverSelectionTimeoutMS: 300 });
    const gateway = await startGateway({
      config: {
        ...loadConfig({}),
        HOST: '127.0.0.1',
        PORT: 0,
        MTLS_PORT: 0,
        INTERNAL_CONNECTOR_PORT: 0,
        TEMPORAL_TASK_QUEUE: stack.taskQueue,
        REQUEST_TIMEOUT_MS: 5000,
        BODY_LIMIT: '1kb',
        TENANT_AUTO_CREATE: true,
      },
      db: unreachable.db('compass'),
      temporal: stack.client,
      log: pino({ level: 'silent' }),
      ca: stack.ca,
    });
    try {
      const res = await fetch(`${gateway.url}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        status: 'unavailable',
        checks: { temporal: { status: 'up' }, mongodb: { status: 'down' } },
      });
    } finally {
      await gateway.close();
      await unreachable.close();
    }
  });

  it('serves an offline GraphQL IDE with its assets from the gateway itself', async () => {
    const page = await fetch(`${stack.url}/graphiql`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('"/director/graphql"');
    const srcs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(srcs.every((s) => s.startsWith('/graphiql/assets/'))).toBe(true);
    for (const src of srcs) expect((await fetch(`${stack.url}${src}`)).status).toBe(200);
  });

  it('sends browsers that open the API URL to the IDE', async () => {
    const res = await fetch(`${stack.url}/director/graphql`, {
      headers: { accept: 'text/html' },
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/graphiql?endpoint=/director/graphql');
  });

  it('refuses an oversized body with 413 and InvalidData', async () => {
    const res = await fetch(`${stack.url}/director/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', tenant: fixTenant() },
      body: JSON.stringify({ query: `{ applications { totalCount } }`, padding: 'x'.repeat(200_000) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      errors: [
        { message: 'Request body is too large', extensions: { error: 'InvalidData', error_code: 22 } },
      ],
    });
  });

  it('refuses malformed JSON with 400 and InvalidData', async () => {
    const res = await fetch(`${stack.url}/director/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      errors: [
        { message: 'Request body is not valid JSON', extensions: { error: 'InvalidData', error_code: 22 } },
      ],
    });
  });
  it.each(['director', 'provisioner', 'connector'])(
    'answers GraphQL on /%s/graphql with Cache-Control: no-store, errors included',
    async (api) => {
      for (const query of ['{ __typename }', '{ noSuchField }']) {
        const res = await fetch(`${stack.url}/${api}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', tenant: fixTenant() },
          body: JSON.stringify({ query }),
        });
        expect(res.headers.get('cache-control')).toBe('no-store');
      }
    },
  );
});
