import { randomUUID } from 'node:crypto';
import { devAuthorization } from '../scripts/in-process-stack';
import { type BenchContext, startBenchStack } from './context';
import { startNoopFloor } from './floor';
import { type Comparison, compareInRounds } from './measure';
import { startWebhookReceiver } from './webhook-receiver';

const REQUEST = `mutation($b: ID!) { requestBundleInstanceAuthCreation(bundleID: $b, in: {}) { id status { condition } } }`;

/**
 * requestBundleInstanceAuthCreation through GraphQL until SUCCEEDED, with a SYNC webhook served
 * locally (gateway → Update-with-Start → workflow → store → signed webhook call → store →
 * answer) against its floor: the no-op workflow plus one HTTP call to the same receiver, same
 * server, same concurrency, in alternating rounds.
 */
export async function credentialsBenchmark(ctx: BenchContext): Promise<Comparison> {
  const receiver = await startWebhookReceiver();
  receiver.answer(() => ({
    status: 200,
    json: { auth: { credential: { basic: { username: 'u', password: 'p' } } } },
  }));
  const stack = await startBenchStack(ctx, { webhookAllowPrivateNetworks: true });
  const noop = await startNoopFloor(ctx, stack.client);
  const tenant = `bench-${randomUUID()}`;
  const authorization = await devAuthorization();
  const gql = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
    const res = await fetch(`${stack.url}/director/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', tenant, authorization },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: unknown[] };
    if (body.errors) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
    return body.data!;
  };
  const app = await gql<{ registerApplication: { id: string } }>(
    `mutation { registerApplication(in: {name: "bench"}) { id } }`,
    {},
  );
  await gql(
    `mutation($app: ID!, $url: String!) { addWebhook(applicationID: $app, in: {type: BUNDLE_INSTANCE_AUTH_CREATION, url: $url}) { id } }`,
    { app: app.registerApplication.id, url: `${receiver.url}/credentials` },
  );
  const bundle = await gql<{ addBundle: { id: string } }>(
    `mutation($app: ID!) { addBundle(applicationID: $app, in: {name: "b"}) { id } }`,
    { app: app.registerApplication.id },
  );

  const project = async () => {
    const data = await gql<{ requestBundleInstanceAuthCreation: { status: { condition: string } } }>(
      REQUEST,
      {
        b: bundle.addBundle.id,
      },
    );
    const condition = data.requestBundleInstanceAuthCreation.status.condition;
    if (condition !== 'SUCCEEDED') throw new Error(`credential request ended ${condition}`);
  };
  const floor = async () => {
    await noop.op();
    const res = await fetch(`${receiver.url}/credentials`, { method: 'POST', body: '{}' });
    await res.arrayBuffer();
  };

  try {
    return await compareInRounds(
      'credentials',
      { name: 'requestBundleInstanceAuthCreation via GraphQL, SYNC webhook', op: project },
      { name: 'no-op workflow + one webhook HTTP call (floor)', op: floor },
      ctx,
      () => receiver.requests.splice(0),
    );
  } finally {
    await noop.stop();
    await stack.close();
    await receiver.close();
  }
}
