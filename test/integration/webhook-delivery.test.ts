import { Webhook as Verifier } from 'standardwebhooks';
import { credentialRequestWorkflowId } from '../../domain/ids';
import { CompassStatusKey } from '../../domain/search-attributes';
import { historyText } from '../fixtures/history-text';
import { fixWebhookReceiver, type WebhookReceiver } from '../fixtures/webhook-receiver';
import { eventually, fixTenant, okData, startStack, type Stack } from './harness';

let stack: Stack;
let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await fixWebhookReceiver();
  stack = await startStack({
    webhookAllowPrivateNetworks: true,
    credentialRequests: {
      WEBHOOK_RETRY_SCHEDULE_MS: [50, 50, 50],
      WEBHOOK_ATTEMPT_TIMEOUT_MS: 1000,
      WEBHOOK_POLL_INTERVAL_MS: 50,
      // Low, so the ASYNC tests below continue as new several times.
      WEBHOOK_POLLS_PER_RUN: 2,
    },
  });
});
afterAll(async () => {
  await stack?.close();
  await receiver?.close();
});
beforeEach(() => receiver.requests.splice(0));

const FIELDS = `id auth { credential { ... on BasicCredentialData { username password } } } status { condition reason message }`;
const ADD_WEBHOOK = `mutation($app: ID!, $in: WebhookInput!) { addWebhook(applicationID: $app, in: $in) { id secret } }`;
const REQUEST = `mutation($b: ID!) { requestBundleInstanceAuthCreation(bundleID: $b, in: {context: "{\\"ns\\":\\"a\\"}"}) { ${FIELDS} } }`;
const SET = `mutation($id: ID!, $in: BundleInstanceAuthSetInput!) { setBundleInstanceAuth(authID: $id, in: $in) { ${FIELDS} } }`;
const READ = `query($app: ID!, $b: ID!, $id: ID!) { application(id: $app) { bundle(id: $b) { instanceAuth(id: $id) { ${FIELDS} } } } }`;
const REQUEST_DELETION = `mutation($id: ID!) { requestBundleInstanceAuthDeletion(authID: $id) { ${FIELDS} } }`;
const AUTH = { credential: { basic: { username: 'rt', password: 'delivered-pw' } } };

interface Fixture {
  tenant: string;
  appId: string;
  bundleId: string;
  secret: string;
}

async function fixApplication(webhook: Record<string, unknown>, theStack = stack): Promise<Fixture> {
  const tenant = fixTenant();
  const app = await okData(
    theStack,
    `mutation { registerApplication(in: {name: "erp"}) { id } }`,
    {},
    tenant,
  );
  const hook = await okData<{ id: string; secret: string }>(
    theStack,
    ADD_WEBHOOK,
    {
      app: app.id,
      in: { type: 'BUNDLE_INSTANCE_AUTH_CREATION', url: `${receiver.url}/credentials`, ...webhook },
    },
    tenant,
  );
  const bundle = await okData(
    theStack,
    `mutation($app: ID!) { addBundle(applicationID: $app, in: {name: "b"}) { id } }`,
    { app: app.id },
    tenant,
  );
  return { tenant, appId: app.id, bundleId: bundle.id, secret: hook.secret };
}

type Status = { condition: string; reason: string; message: string };
async function request(f: Fixture, theStack = stack) {
  return okData<{ id: string; status: Status; auth: unknown }>(
    theStack,
    REQUEST,
    { b: f.bundleId },
    f.tenant,
  );
}

/** The request once it is no longer PENDING. */
async function settled(f: Fixture, id: string, theStack = stack) {
  return eventually(async () => {
    const res = await theStack.gql<{
      application: { bundle: { instanceAuth: { status: Status; auth: unknown } } };
    }>(READ, { app: f.appId, b: f.bundleId, id }, f.tenant);
    const auth = res.body.data!.application.bundle.instanceAuth;
    return auth.status.condition === 'PENDING' ? undefined : auth;
  }, 'the request to settle');
}

describe('SYNC webhooks', () => {
  it('are called with a signed request and their credentials SUCCEED the request', async () => {
    receiver.answer(() => ({ status: 200, json: { auth: AUTH } }));
    const f = await fixApplication({ mode: 'SYNC' });
    expect(f.secret).toMatch(/^whsec_/);
    const req = await request(f);
    expect(req).toMatchObject({
      auth: { credential: { username: 'rt', password: 'delivered-pw' } },
      status: { condition: 'SUCCEEDED', reason: 'CredentialsProvided' },
    });
    const [got] = await receiver.received(1);
    const headers = got!.headers as Record<string, string>;
    expect(new Verifier(f.secret).verify(got!.body, headers)).toMatchObject({
      type: 'BUNDLE_INSTANCE_AUTH_CREATION',
      bundleInstanceAuthId: req.id,
      bundleId: f.bundleId,
      context: { ns: 'a' },
    });
    const history = await stack.client.workflow
      .getHandle(credentialRequestWorkflowId(f.tenant, req.id))
      .fetchHistory();
    expect(historyText(history)).toContain('CredentialsProvided');
    expect(historyText(history)).not.toContain('delivered-pw');
    // Lookup, call and one store write are one local activity of the task that accepted the request.
    const events = history.events ?? [];
    expect(events.filter((e) => e.workflowTaskCompletedEventAttributes)).toHaveLength(1);
    expect(events.filter((e) => e.activityTaskScheduledEventAttributes)).toHaveLength(0);
    expect(
      events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity'),
    ).toHaveLength(1);
    // A new request's run is started with it: no version marker, one status written.
    expect(events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')).toHaveLength(
      0,
    );
    expect(events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes)).toHaveLength(1);
    const described = await stack.client.workflow
      .getHandle(credentialRequestWorkflowId(f.tenant, req.id))
      .describe();
    expect(described.typedSearchAttributes.get(CompassStatusKey)).toBe('SUCCEEDED');
  });

  it('FAIL the request with the error the webhook answers', async () => {
    receiver.answer(() => ({
      status: 400,
      json: { error: { reason: 'UnknownPlan', message: 'no such plan' } },
    }));
    const f = await fixApplication({});
    expect((await request(f)).status).toMatchObject({
      condition: 'FAILED',
      reason: 'UnknownPlan',
      message: 'no such plan',
    });
  });

  it('are retried with the same webhook-id until they answer', async () => {
    receiver.answer((_req, n) => (n <= 2 ? { status: 503 } : { status: 200, json: { auth: AUTH } }));
    const f = await fixApplication({});
    const req = await request(f);
    expect((await settled(f, req.id)).status.condition).toBe('SUCCEEDED');
    const ids = (await receiver.received(3)).map((r) => r.headers['webhook-id']);
    expect(new Set(ids).size).toBe(1);
    expect(receiver.requests).toHaveLength(3);
  });

  it('answering 410 Gone FAIL the request at once', async () => {
    receiver.answer(() => ({ status: 410 }));
    const f = await fixApplication({});
    expect((await request(f)).status).toMatchObject({ condition: 'FAILED', reason: 'WebhookRefused' });
    expect(receiver.requests).toHaveLength(1);
  });

  it('asking to Retry-After are called again no sooner', async () => {
    receiver.answer((_req, n) =>
      n === 1 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200, json: { auth: AUTH } },
    );
    const f = await fixApplication({});
    const req = await request(f);
    expect((await settled(f, req.id)).status.condition).toBe('SUCCEEDED');
    const [first, second] = receiver.requests;
    const gap = Number(second!.headers['webhook-timestamp']) - Number(first!.headers['webhook-timestamp']);
    expect(gap).toBeGreaterThanOrEqual(1);
  });

  it('that answer too slowly are given up after the attempt timeout, then the request FAILS', async () => {
    receiver.answer(() => 'hold');
    const f = await fixApplication({});
    const req = await request(f);
    const done = await settled(f, req.id);
    expect(done.status).toMatchObject({ condition: 'FAILED', reason: 'WebhookFailed' });
    expect(done.status.message).toContain('timed out after 1000 ms');
    expect(receiver.requests).toHaveLength(4);
  });
});

/**
 * Requests credentials of an ASYNC application whose webhook accepts with a 202 at `location` and
 * answers its polls IN_PROGRESS until call `succeedsAt`; expects the request to SUCCEED.
 */
async function succeedsAsync(location: string, succeedsAt: number) {
  receiver.answer((req, n) => {
    if (req.method === 'POST') return { status: 202, headers: { location } };
    return n < succeedsAt
      ? { status: 200, json: { status: 'IN_PROGRESS' } }
      : { status: 200, json: { status: 'SUCCEEDED', auth: AUTH } };
  });
  const f = await fixApplication({ mode: 'ASYNC' });
  const req = await request(f);
  const done = await settled(f, req.id);
  expect(done).toMatchObject({
    status: { condition: 'SUCCEEDED' },
    auth: { credential: { username: 'rt' } },
  });
  return { f, req };
}

describe('ASYNC webhooks', () => {
  it('are polled at their location until they succeed', async () => {
    await succeedsAsync('/status/1', 4);
    expect(receiver.requests.filter((r) => r.method === 'GET').length).toBeGreaterThanOrEqual(3);
  });

  it('reporting a failure FAIL the request, with a statusTemplate reading their own format', async () => {
    receiver.answer((req) =>
      req.method === 'POST'
        ? { status: 202, json: { poll: `${receiver.url}/jobs/7` } }
        : { status: 200, json: { state: 'broken', why: 'backend down' } },
    );
    const f = await fixApplication({
      mode: 'ASYNC',
      outputTemplate: '{"location": "{{.Body.poll}}", "success_status_code": 202}',
      statusTemplate:
        '{"status": "{{.Body.state}}", "success_status_code": 200, "success_status_identifier": "ok", "in_progress_status_identifier": "busy", "failed_status_identifier": "broken", "error": "{{.Body.why}}"}',
    });
    const done = await settled(f, (await request(f)).id);
    expect(done.status).toMatchObject({ condition: 'FAILED', message: 'backend down' });
    expect(receiver.requests.find((r) => r.method === 'GET')!.path).toBe('/jobs/7');
  });

  it('that never finish FAIL the request at their timeout', async () => {
    receiver.answer((req) =>
      req.method === 'POST'
        ? { status: 202, headers: { location: '/status/2' } }
        : { status: 200, json: { status: 'IN_PROGRESS' } },
    );
    const f = await fixApplication({ mode: 'ASYNC', timeout: 1 });
    const done = await settled(f, (await request(f)).id);
    expect(done.status).toMatchObject({ condition: 'FAILED', reason: 'Timeout' });
  });
});

describe('ASYNC polls past the limit of one run', () => {
  it('continue as new, carrying the poll count and the webhook-id, until they succeed', async () => {
    const { f, req } = await succeedsAsync('/status/3', 8);
    const [post, ...polls] = receiver.requests;
    const base = post!.headers['webhook-id'] as string;
    expect(polls.map((r) => r.headers['webhook-id'])).toEqual(polls.map((_, i) => `${base}_${i + 1}`));
    // The run that succeeded is a continuation (2 polls a run); the first run's history kept its attempts.
    const handle = stack.client.workflow.getHandle(credentialRequestWorkflowId(f.tenant, req.id));
    const last = (await handle.fetchHistory()).events![0]!.workflowExecutionStartedEventAttributes!;
    expect(last.continuedExecutionRunId).toBeTruthy();
    expect(last.firstExecutionRunId).not.toBe(last.continuedExecutionRunId);
    const first = stack.client.workflow.getHandle(
      credentialRequestWorkflowId(f.tenant, req.id),
      last.firstExecutionRunId!,
    );
    const firstEvents = (await first.fetchHistory()).events ?? [];
    const polled = firstEvents.filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'pollWebhookStatus',
    );
    expect(polled).toHaveLength(2);
    expect(firstEvents.at(-1)!.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
  });
});

describe('deletion webhooks', () => {
  async function fixDeletion(webhook: Record<string, unknown>) {
    const f = await fixApplication({});
    const hook = await okData<{ id: string; secret: string }>(
      stack,
      ADD_WEBHOOK,
      {
        app: f.appId,
        in: { type: 'BUNDLE_INSTANCE_AUTH_DELETION', url: `${receiver.url}/deletions`, ...webhook },
      },
      f.tenant,
    );
    return { ...f, deletionSecret: hook.secret };
  }
  const read = async (f: Fixture, id: string) =>
    (
      await stack.gql<{ application: { bundle: { instanceAuth: { status: Status } | null } } }>(
        READ,
        { app: f.appId, b: f.bundleId, id },
        f.tenant,
      )
    ).body.data!.application.bundle.instanceAuth;
  const deletions = () => receiver.requests.filter((r) => r.path === '/deletions');

  it('SYNC: are called with a signed deletion request, and its success deletes the request', async () => {
    receiver.answer((req) =>
      req.path === '/deletions' ? { status: 204 } : { status: 200, json: { auth: AUTH } },
    );
    const f = await fixDeletion({ mode: 'SYNC' });
    expect(f.deletionSecret).toMatch(/^whsec_/);
    const req = await request(f);
    expect(req.status.condition).toBe('SUCCEEDED');
    const answer = await okData(stack, REQUEST_DELETION, { id: req.id }, f.tenant);
    expect(answer).toMatchObject({ id: req.id, status: { condition: 'UNUSED', reason: 'PendingDeletion' } });
    expect(await read(f, req.id)).toBeNull();
    const [got] = deletions();
    expect(deletions()).toHaveLength(1);
    expect(
      new Verifier(f.deletionSecret).verify(got!.body, got!.headers as Record<string, string>),
    ).toMatchObject({
      type: 'BUNDLE_INSTANCE_AUTH_DELETION',
      bundleInstanceAuthId: req.id,
      bundleId: f.bundleId,
    });
    const run = await stack.client.workflow
      .getHandle(credentialRequestWorkflowId(f.tenant, req.id))
      .describe();
    expect(run.typedSearchAttributes.get(CompassStatusKey)).toBe('DELETED');
  });

  it('SYNC: retried with the same webhook-id until they answer', async () => {
    receiver.answer((req) => {
      if (req.path !== '/deletions') return { status: 200, json: { auth: AUTH } };
      return deletions().length < 3 ? { status: 503 } : { status: 200 };
    });
    const f = await fixDeletion({});
    const req = await request(f);
    await okData(stack, REQUEST_DELETION, { id: req.id }, f.tenant);
    await eventually(async () => ((await read(f, req.id)) === null ? true : undefined), 'the deletion');
    const ids = deletions().map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
  });

  it('SYNC: answering an error leave the request UNUSED, saying why, for the application to delete', async () => {
    receiver.answer((req) =>
      req.path === '/deletions'
        ? { status: 409, json: { error: 'still in use' } }
        : { status: 200, json: { auth: AUTH } },
    );
    const f = await fixDeletion({});
    const req = await request(f);
    const answer = await okData<{ status: Status }>(stack, REQUEST_DELETION, { id: req.id }, f.tenant);
    expect(answer.status).toMatchObject({ condition: 'UNUSED', reason: 'DeletionWebhookFailed' });
    expect(answer.status.message).toContain('still in use');
    expect(await read(f, req.id)).toMatchObject({ status: answer.status });
    const DELETE = `mutation($id: ID!) { deleteBundleInstanceAuth(authID: $id) { id } }`;
    expect(await okData(stack, DELETE, { id: req.id }, f.tenant)).toEqual({ id: req.id });
    expect(await read(f, req.id)).toBeNull();
  });

  it('ASYNC: are polled at their location until the deletion succeeds', async () => {
    receiver.answer((req) => {
      if (req.path === '/credentials') return { status: 200, json: { auth: AUTH } };
      if (req.method === 'POST') return { status: 202, headers: { location: '/deletions/9' } };
      return receiver.requests.length < 5
        ? { status: 200, json: { status: 'IN_PROGRESS' } }
        : { status: 200, json: { status: 'SUCCEEDED' } };
    });
    const f = await fixDeletion({ mode: 'ASYNC' });
    const req = await request(f);
    const answer = await okData(stack, REQUEST_DELETION, { id: req.id }, f.tenant);
    expect(answer).toMatchObject({ status: { condition: 'UNUSED', reason: 'PendingDeletion' } });
    await eventually(async () => ((await read(f, req.id)) === null ? true : undefined), 'the deletion');
    expect(receiver.requests.filter((r) => r.path === '/deletions/9').length).toBeGreaterThanOrEqual(3);
  });
});

describe('ASYNC_CALLBACK webhooks', () => {
  it('accept with 202 and the application sets the credentials later', async () => {
    receiver.answer(() => ({ status: 202 }));
    const f = await fixApplication({ mode: 'ASYNC_CALLBACK' });
    const req = await request(f);
    await eventually(async () => {
      const res = await stack.gql<{ application: { bundle: { instanceAuth: { status: Status } } } }>(
        READ,
        { app: f.appId, b: f.bundleId, id: req.id },
        f.tenant,
      );
      return res.body.data!.application.bundle.instanceAuth.status.reason === 'NotificationSent'
        ? true
        : undefined;
    }, 'the notification');
    const set = await okData(stack, SET, { id: req.id, in: { auth: AUTH } }, f.tenant);
    expect(set).toMatchObject({ status: { condition: 'SUCCEEDED' } });
  });
});

describe('delivery safety', () => {
  it('refuses a webhook on a private address unless private networks are allowed', async () => {
    const strict = await startStack({ credentialRequests: { WEBHOOK_RETRY_SCHEDULE_MS: [50] } });
    try {
      receiver.answer(() => ({ status: 200, json: { auth: AUTH } }));
      const f = await fixApplication({}, strict);
      const req = await request(f, strict);
      expect(req.status).toMatchObject({ condition: 'FAILED', reason: 'WebhookAddressNotAllowed' });
      expect(req.status.message).toContain('127.0.0.1');
      expect(receiver.requests).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });

  it('completes a request whose worker was stopped mid-delivery, recording one success', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    receiver.answer(async (_req, n) => {
      if (n === 1) {
        await held;
        return { status: 200, json: { auth: AUTH } };
      }
      return { status: 200, json: { auth: AUTH } };
    });
    const f = await fixApplication({ mode: 'ASYNC_CALLBACK', outputTemplate: '{"auth": {{.Body.auth}}}' });
    const req = await request(f);
    await receiver.received(1);
    await stack.stopWorker();
    release();
    await stack.startWorker();
    const done = await settled(f, req.id);
    expect(done.status.condition).toBe('SUCCEEDED');
    const ids = receiver.requests.map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(1);
    const history = await stack.client.workflow
      .getHandle(credentialRequestWorkflowId(f.tenant, req.id))
      .fetchHistory();
    const succeeded = (history.events ?? []).filter((e) => e.activityTaskCompletedEventAttributes).length;
    expect(succeeded).toBe(1);
  });
});
