import { Writable } from 'node:stream';
import pino from 'pino';
import { credentialRequestWorkflowId } from '../../domain/ids';
import { historyText } from '../fixtures/history-text';
import { errorCode } from '../fixtures/errors';
import { fixScenarioKit } from '../fixtures/runtime-scenarios';
import { eventually, fixTenant, okData, startStack, type Stack } from './harness';
import { accessToken, fixClientCredentials, gqlAs } from './oauth-client';

let stack: Stack;
const logs: string[] = [];
beforeAll(async () => {
  const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (logs.push(chunk.toString()), done()) });
  stack = await startStack({ log: pino({ level: 'trace' }, sink) });
});
afterAll(async () => {
  await stack?.close();
});

const { fixTenantWithScenarios, registerRuntime, registerApp } = fixScenarioKit(() => stack);

const FIELDS = `id context inputParams runtimeID
  auth { credential { ... on BasicCredentialData { username password } } }
  status { condition reason message }`;
const ADD_BUNDLE = `mutation($app: ID!, $in: BundleCreateInput!) { addBundle(applicationID: $app, in: $in) { id } }`;
const REQUEST = `mutation($b: ID!, $in: BundleInstanceAuthRequestInput!) {
  requestBundleInstanceAuthCreation(bundleID: $b, in: $in) { ${FIELDS} } }`;
const SET = `mutation($id: ID!, $in: BundleInstanceAuthSetInput!) { setBundleInstanceAuth(authID: $id, in: $in) { ${FIELDS} } }`;
const REQUEST_DELETION = `mutation($id: ID!) { requestBundleInstanceAuthDeletion(authID: $id) { ${FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteBundleInstanceAuth(authID: $id) { id } }`;
const READ = `query($app: ID!, $b: ID!) { application(id: $app) { bundle(id: $b) { instanceAuths { ${FIELDS} } } } }`;

const BASIC = { credential: { basic: { username: 'svc', password: 'pw-s3cret-value' } } };

async function fixBundle(tenant: string, extra: Record<string, unknown> = {}, name = 'erp') {
  const app = await okData(
    stack,
    `mutation($name: String!) { registerApplication(in: {name: $name}) { id } }`,
    { name },
    tenant,
  );
  const bundle = await okData(stack, ADD_BUNDLE, { app: app.id, in: { name: 'orders', ...extra } }, tenant);
  return { appId: app.id, bundleId: bundle.id };
}

async function instanceAuths(tenant: string, appId: string, bundleId: string) {
  const res = await stack.gql<{ application: { bundle: { instanceAuths: unknown[] } } }>(
    READ,
    { app: appId, b: bundleId },
    tenant,
  );
  return res.body.data!.application.bundle.instanceAuths;
}

describe('credential requests, the classic polling path', () => {
  it('stay PENDING until the application sets the auth, then SUCCEED; a second set is refused', async () => {
    const tenant = fixTenant();
    const { appId, bundleId } = await fixBundle(tenant);
    const req = await okData(stack, REQUEST, { b: bundleId, in: { context: '{"ns":"prod"}' } }, tenant);
    expect(req).toEqual({
      id: expect.any(String),
      context: '{"ns":"prod"}',
      inputParams: null,
      runtimeID: null,
      auth: null,
      status: {
        condition: 'PENDING',
        reason: 'CredentialsNotProvided',
        message: 'Credentials were not yet provided.',
      },
    });
    const set = await okData(stack, SET, { id: req.id, in: { auth: BASIC } }, tenant);
    expect(set).toMatchObject({
      auth: { credential: { username: 'svc', password: 'pw-s3cret-value' } },
      status: {
        condition: 'SUCCEEDED',
        reason: 'CredentialsProvided',
        message: 'Credentials were provided.',
      },
    });
    expect(await instanceAuths(tenant, appId, bundleId)).toEqual([set]);

    const again = await stack.gql(SET, { id: req.id, in: { auth: BASIC } }, tenant);
    expect(errorCode(again)).toBe(27);
    expect(again.body.errors![0]!.message).toContain(
      'auth can be set only on BundleInstanceAuths in PENDING state',
    );

    // The workflow is visible to operators, with the credentials nowhere in its history.
    const history = await stack.client.workflow
      .getHandle(credentialRequestWorkflowId(tenant, req.id))
      .fetchHistory();
    expect(historyText(history)).toContain('CredentialsProvided');
    expect(historyText(history)).not.toContain('pw-s3cret-value');
    expect(logs.join('')).not.toContain('pw-s3cret-value');
  });

  it('FAIL with the reason the application gives', async () => {
    const tenant = fixTenant();
    const { bundleId } = await fixBundle(tenant);
    const req = await okData(stack, REQUEST, { b: bundleId, in: {} }, tenant);
    const failed = await okData(
      stack,
      SET,
      { id: req.id, in: { status: { condition: 'FAILED', reason: 'NoQuota', message: 'quota exceeded' } } },
      tenant,
    );
    expect(failed).toMatchObject({
      auth: null,
      status: { condition: 'FAILED', reason: 'NoQuota', message: 'quota exceeded' },
    });
  });

  it('SUCCEED at once with the bundle default auth, which a deletion request deletes', async () => {
    const tenant = fixTenant();
    const { appId, bundleId } = await fixBundle(tenant, { defaultInstanceAuth: BASIC });
    const req = await okData(stack, REQUEST, { b: bundleId, in: {} }, tenant);
    expect(req).toMatchObject({
      auth: { credential: { username: 'svc' } },
      status: { condition: 'SUCCEEDED', reason: 'CredentialsProvided' },
    });
    await okData(stack, REQUEST_DELETION, { id: req.id }, tenant);
    expect(await instanceAuths(tenant, appId, bundleId)).toEqual([]);
  });

  it('refuse inputParams that do not match the bundle schema (InvalidData, 22) and store nothing', async () => {
    const tenant = fixTenant();
    const schema = JSON.stringify({
      type: 'object',
      required: ['plan'],
      properties: { plan: { type: 'string' } },
    });
    const { appId, bundleId } = await fixBundle(tenant, { instanceAuthRequestInputSchema: schema });
    const bad = await stack.gql(REQUEST, { b: bundleId, in: { inputParams: '{"plan": 5}' } }, tenant);
    expect(errorCode(bad)).toBe(22);
    expect(bad.body.errors![0]!.message).toContain('inputParams=');
    expect(errorCode(await stack.gql(REQUEST, { b: bundleId, in: {} }, tenant))).toBe(22);
    expect(await instanceAuths(tenant, appId, bundleId)).toEqual([]);
    const ok = await okData(stack, REQUEST, { b: bundleId, in: { inputParams: '{"plan":"gold"}' } }, tenant);
    expect(ok).toMatchObject({ inputParams: '{"plan":"gold"}', status: { condition: 'PENDING' } });
  });

  it('go to UNUSED on a deletion request, then the application deletes them', async () => {
    const tenant = fixTenant();
    const { appId, bundleId } = await fixBundle(tenant);
    const req = await okData(stack, REQUEST, { b: bundleId, in: {} }, tenant);
    await okData(stack, SET, { id: req.id, in: { auth: BASIC } }, tenant);
    const unused = await okData(stack, REQUEST_DELETION, { id: req.id }, tenant);
    expect(unused).toMatchObject({
      status: {
        condition: 'UNUSED',
        reason: 'PendingDeletion',
        message:
          'Credentials for given Bundle Instance Auth are ready for being deleted by Application or Integration System.',
      },
    });
    expect(await okData(stack, DELETE, { id: req.id }, tenant)).toEqual({ id: req.id });
    expect(await instanceAuths(tenant, appId, bundleId)).toEqual([]);
  });

  it("answer another tenant's IDs with NotFound (20) and change nothing", async () => {
    const tenant = fixTenant();
    const { appId, bundleId } = await fixBundle(tenant);
    const req = await okData(stack, REQUEST, { b: bundleId, in: {} }, tenant);
    const other = fixTenant();
    expect(errorCode(await stack.gql(REQUEST, { b: bundleId, in: {} }, other))).toBe(20);
    expect(errorCode(await stack.gql(SET, { id: req.id, in: { auth: BASIC } }, other))).toBe(20);
    expect(errorCode(await stack.gql(REQUEST_DELETION, { id: req.id }, other))).toBe(20);
    expect(errorCode(await stack.gql(DELETE, { id: req.id }, other))).toBe(20);
    expect(await instanceAuths(tenant, appId, bundleId)).toEqual([req]);
  });
});

describe('credential requests of deleted bundles and applications', () => {
  const DELETE_BUNDLE = `mutation($id: ID!) { deleteBundle(id: $id) { id } }`;
  const UNREGISTER = `mutation($id: ID!) { unregisterApplication(id: $id) { id } }`;

  const stored = (tenant: string, ids: string[]) =>
    stack.mongo.db
      .collection<{ _id: string }>('bundleInstanceAuths')
      .countDocuments({ tenantId: tenant, _id: { $in: ids } });

  /** Waits until the request's (latest) workflow run has ended, and returns how. */
  const ended = (tenant: string, id: string) =>
    eventually(async () => {
      const { status } = await stack.client.workflow
        .getHandle(credentialRequestWorkflowId(tenant, id))
        .describe();
      return status.name === 'RUNNING' ? undefined : status.name;
    }, `the workflow of ${id} to end`);

  it('are deleted with their bundle and their workflows end; requests of other bundles stay', async () => {
    const tenant = fixTenant();
    const { appId, bundleId } = await fixBundle(tenant);
    const pending = await okData(stack, REQUEST, { b: bundleId, in: {} }, tenant);
    const done = await okData(stack, REQUEST, { b: bundleId, in: {} }, tenant);
    await okData(stack, SET, { id: done.id, in: { auth: BASIC } }, tenant);
    const other = await okData(stack, ADD_BUNDLE, { app: appId, in: { name: 'other' } }, tenant);
    const kept = await okData(stack, REQUEST, { b: other.id, in: {} }, tenant);

    expect(await okData(stack, DELETE_BUNDLE, { id: bundleId }, tenant)).toEqual({ id: bundleId });
    expect(await stored(tenant, [pending.id, done.id])).toBe(0);
    expect(await ended(tenant, pending.id)).toBe('COMPLETED');
    expect(await ended(tenant, done.id)).toBe('COMPLETED');
    expect(await instanceAuths(tenant, appId, other.id)).toEqual([kept]);
    const keptRun = await stack.client.workflow
      .getHandle(credentialRequestWorkflowId(tenant, kept.id))
      .describe();
    expect(keptRun.status.name).toBe('RUNNING');

    // Deleting it again changes nothing more; the gone requests stay gone.
    expect(errorCode(await stack.gql(DELETE_BUNDLE, { id: bundleId }, tenant))).toBe(20);
    expect(errorCode(await stack.gql(SET, { id: pending.id, in: { auth: BASIC } }, tenant))).toBe(20);
    expect(await stored(tenant, [pending.id, done.id, kept.id])).toBe(1);
  });

  it('are deleted when their application is unregistered and their workflows end', async () => {
    const tenant = fixTenant();
    const { appId, bundleId } = await fixBundle(tenant);
    const pending = await okData(stack, REQUEST, { b: bundleId, in: {} }, tenant);
    const unused = await okData(stack, REQUEST, { b: bundleId, in: {} }, tenant);
    await okData(stack, SET, { id: unused.id, in: { auth: BASIC } }, tenant);
    await okData(stack, REQUEST_DELETION, { id: unused.id }, tenant);
    const other = await fixBundle(tenant, {}, 'crm');
    const kept = await okData(stack, REQUEST, { b: other.bundleId, in: {} }, tenant);

    expect(await okData(stack, UNREGISTER, { id: appId }, tenant)).toEqual({ id: appId });
    await eventually(
      async () => ((await stored(tenant, [pending.id, unused.id])) === 0 ? true : undefined),
      'the requests to be deleted',
    );
    expect(await ended(tenant, pending.id)).toBe('COMPLETED');
    expect(await ended(tenant, unused.id)).toBe('COMPLETED');
    expect(await instanceAuths(tenant, other.appId, other.bundleId)).toEqual([kept]);
  });
});

describe('credential requests of runtimes', () => {
  it('are only for bundles of applications in their scenarios, and each runtime reads only its own', async () => {
    const tenant = await fixTenantWithScenarios('SA', 'SB');
    const rt = await registerRuntime(tenant, { labels: { scenarios: ['SA'] } });
    const peer = await registerRuntime(tenant, { name: 'peer', labels: { scenarios: ['SA'] } });
    const outsider = await registerRuntime(tenant, { name: 'outsider', labels: { scenarios: ['SB'] } });
    const appId = await registerApp(tenant, 'crm', { scenarios: ['SA'] });
    const bundle = await okData(stack, ADD_BUNDLE, { app: appId, in: { name: 'b' } }, tenant);
    const tokenOf = async (id: string) =>
      accessToken(await fixClientCredentials(stack, 'Runtime', id, tenant));
    const [mine, peers, outsiders] = await Promise.all([
      tokenOf(rt.id),
      tokenOf(peer.id),
      tokenOf(outsider.id),
    ]);

    const refused = await gqlAs(stack, outsiders, REQUEST, { b: bundle.id, in: {} });
    expect(errorCode(refused)).toBe(27);
    expect(errorCode(await gqlAs(stack, outsiders, READ, { app: appId, b: bundle.id }))).toBe(27);

    const own = await gqlAs<{ requestBundleInstanceAuthCreation: { id: string; runtimeID: string } }>(
      stack,
      mine,
      REQUEST,
      { b: bundle.id, in: {} },
    );
    expect(own.body.data!.requestBundleInstanceAuthCreation.runtimeID).toBe(rt.id);
    const id = own.body.data!.requestBundleInstanceAuthCreation.id;
    const peerRead = await gqlAs<{ application: { bundle: { instanceAuths: unknown[] } } }>(
      stack,
      peers,
      READ,
      {
        app: appId,
        b: bundle.id,
      },
    );
    expect(peerRead.body.data!.application.bundle.instanceAuths).toEqual([]);
    expect(errorCode(await gqlAs(stack, peers, REQUEST_DELETION, { id }))).toBe(20);
    const mineRead = await gqlAs<{ application: { bundle: { instanceAuths: Array<{ id: string }> } } }>(
      stack,
      mine,
      READ,
      { app: appId, b: bundle.id },
    );
    expect(mineRead.body.data!.application.bundle.instanceAuths.map((a) => a.id)).toEqual([id]);
    // A runtime may not answer for the application (its scopes do not allow it).
    expect(errorCode(await gqlAs(stack, mine, SET, { id, in: { auth: BASIC } }))).toBe(23);
    expect(await instanceAuths(tenant, appId, bundle.id)).toMatchObject([
      { id, status: { condition: 'PENDING' } },
    ]);
  });
});
