// First: the worker's logger at trace level, before the harness installs its own.
import { workerLogs } from '../fixtures/trace-worker-logs';
import { Writable } from 'node:stream';
import pino from 'pino';
import { fixWebhookReceiver, type WebhookReceiver } from '../fixtures/webhook-receiver';
import { eventually, fixTenant, okData, startStack, type Stack } from './harness';

let stack: Stack;
let receiver: WebhookReceiver;
const gatewayLogs: string[] = [];
beforeAll(async () => {
  receiver = await fixWebhookReceiver();
  const sink = new Writable({
    write: (chunk: Buffer, _enc, done) => (gatewayLogs.push(chunk.toString()), done()),
  });
  stack = await startStack({
    log: pino({ level: 'trace' }, sink),
    webhookAllowPrivateNetworks: true,
    credentialRequests: { WEBHOOK_RETRY_SCHEDULE_MS: [50], WEBHOOK_POLL_INTERVAL_MS: 50 },
  });
});
afterAll(async () => {
  await stack?.close();
  await receiver?.close();
});

const FIELDS = `id auth { credential { ... on BasicCredentialData { username password } } } status { condition reason }`;
const REQUEST = `mutation($b: ID!) { requestBundleInstanceAuthCreation(bundleID: $b, in: {}) { ${FIELDS} } }`;
const SET = `mutation($id: ID!, $in: BundleInstanceAuthSetInput!) { setBundleInstanceAuth(authID: $id, in: $in) { ${FIELDS} } }`;
const ADD_WEBHOOK = `mutation($app: ID!, $in: WebhookInput!) { addWebhook(applicationID: $app, in: $in) { id } }`;

/** A password per path, each a value that must appear in no log. */
const SECRETS = {
  sync: 'sync-delivered-pw-7f3a',
  polled: 'async-polled-pw-91c2',
  set: 'set-by-application-pw-44d0',
  default: 'bundle-default-pw-2b8e',
  webhookAuth: 'webhook-basic-pw-c5a1',
};
const basic = (password: string) => ({ credential: { basic: { username: 'u', password } } });

async function fixBundle(name: string, extra: Record<string, unknown> = {}) {
  const tenant = fixTenant();
  const app = await okData(
    stack,
    `mutation($n: String!) { registerApplication(in: {name: $n}) { id } }`,
    { n: name },
    tenant,
  );
  const bundle = await okData(
    stack,
    `mutation($app: ID!, $in: BundleCreateInput!) { addBundle(applicationID: $app, in: $in) { id } }`,
    { app: app.id, in: { name: 'b', ...extra } },
    tenant,
  );
  return { tenant, appId: app.id, bundleId: bundle.id };
}

describe('credential values in the logs at trace level', () => {
  it('appear in none of the worker or gateway logs, whichever path delivers them', async () => {
    receiver.answer((req) => {
      if (req.path === '/sync') return { status: 200, json: { auth: basic(SECRETS.sync) } };
      if (req.method === 'POST') return { status: 202, headers: { location: '/status' } };
      return { status: 200, json: { status: 'SUCCEEDED', auth: basic(SECRETS.polled) } };
    });

    const sync = await fixBundle('sync');
    await okData(
      stack,
      ADD_WEBHOOK,
      {
        app: sync.appId,
        in: {
          type: 'BUNDLE_INSTANCE_AUTH_CREATION',
          url: `${receiver.url}/sync`,
          auth: basic(SECRETS.webhookAuth),
        },
      },
      sync.tenant,
    );
    const delivered = await okData(stack, REQUEST, { b: sync.bundleId }, sync.tenant);
    expect(delivered).toMatchObject({ auth: { credential: { password: SECRETS.sync } } });

    const polled = await fixBundle('async');
    await okData(
      stack,
      ADD_WEBHOOK,
      {
        app: polled.appId,
        in: { type: 'BUNDLE_INSTANCE_AUTH_CREATION', url: `${receiver.url}/async`, mode: 'ASYNC' },
      },
      polled.tenant,
    );
    const started = await okData(stack, REQUEST, { b: polled.bundleId }, polled.tenant);
    await eventually(async () => {
      const res = await stack.gql<{
        application: { bundle: { instanceAuth: { status: { condition: string } } } };
      }>(
        `query($a: ID!, $b: ID!, $id: ID!) { application(id: $a) { bundle(id: $b) { instanceAuth(id: $id) { status { condition } } } } }`,
        { a: polled.appId, b: polled.bundleId, id: started.id },
        polled.tenant,
      );
      return res.body.data!.application.bundle.instanceAuth.status.condition === 'SUCCEEDED'
        ? true
        : undefined;
    }, 'the polled request to succeed');

    const manual = await fixBundle('manual');
    const pending = await okData(stack, REQUEST, { b: manual.bundleId }, manual.tenant);
    const set = await okData(stack, SET, { id: pending.id, in: { auth: basic(SECRETS.set) } }, manual.tenant);
    expect(set).toMatchObject({ auth: { credential: { password: SECRETS.set } } });

    const withDefault = await fixBundle('default', { defaultInstanceAuth: basic(SECRETS.default) });
    const shortcut = await okData(stack, REQUEST, { b: withDefault.bundleId }, withDefault.tenant);
    expect(shortcut).toMatchObject({ auth: { credential: { password: SECRETS.default } } });

    // The worker's activities and workflows did log at trace level, and the gateway did too.
    const logged = workerLogs.join('');
    expect(logged).toContain('webhook answered');
    expect(logged).toContain('"activityType":"callWebhook"');
    expect(logged).toContain('"activityType":"pollWebhookStatus"');
    expect(workerLogs.some((line) => (JSON.parse(line) as { level: number }).level === 10)).toBe(true);
    // Trace lines carry payloads base64-encoded: look inside them too.
    const payloads = [...logged.matchAll(/"data":"([A-Za-z0-9+/=]+)"/g)].map((m) =>
      Buffer.from(m[1]!, 'base64').toString('utf8'),
    );
    expect(payloads.join('')).toContain('CredentialsProvided');
    const worker = `${logged}\n${payloads.join('\n')}`;
    expect(gatewayLogs.length).toBeGreaterThan(0);
    for (const secret of Object.values(SECRETS)) {
      expect(worker).not.toContain(secret);
      expect(gatewayLogs.join('')).not.toContain(secret);
    }
  });
});
