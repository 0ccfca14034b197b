import { runtimeWorkflowId } from '../../domain/ids';
import { RUNTIME_CONTEXTS } from '../../store/runtime-contexts';
import { RUNTIMES } from '../../store/runtimes';
import { graphqlError, MISSING_ID, notFoundError } from '../fixtures/errors';
import { fixUnknownScenarioMessage } from '../fixtures/labels';
import {
  DELETE_RUNTIME_LABEL,
  GET_CONTEXT,
  GET_RUNTIME,
  LIST_CONTEXTS,
  LIST_RUNTIMES,
  REGISTER_CONTEXT,
  REGISTER_RUNTIME,
  SET_RUNTIME_LABEL,
  UNREGISTER_CONTEXT,
  UNREGISTER_RUNTIME,
  UPDATE_CONTEXT,
  UPDATE_RUNTIME,
  fixRuntimeInput,
} from '../fixtures/runtimes';
import { eventually, fixTenant, startStack, type Stack } from './harness';

interface RuntimeView {
  id: string;
  name: string;
  labels: Record<string, unknown>;
  status: { condition: string; timestamp: string };
  metadata: { creationTimestamp: string };
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

async function register(tenant: string, input = fixRuntimeInput()): Promise<RuntimeView> {
  const res = await stack.gql<{ registerRuntime: RuntimeView }>(REGISTER_RUNTIME, { in: input }, tenant);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.registerRuntime;
}

describe('runtime lifecycle', () => {
  it('registers a runtime through its workflow with isNormalized defaulted, then reads, lists and unregisters it', async () => {
    const tenant = fixTenant();
    const rt = await register(tenant);
    expect(rt).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'kyma-eu',
      description: 'The EU cluster',
      labels: { region: 'eu', isNormalized: 'true', scenarios: ['DEFAULT'] },
      status: { condition: 'INITIAL', timestamp: expect.any(String) },
      metadata: { creationTimestamp: rt.status.timestamp },
      eventingConfiguration: { defaultURL: '' },
    });
    expect((await stack.gql(GET_RUNTIME, { id: rt.id }, tenant)).body).toEqual({ data: { runtime: rt } });
    expect((await stack.gql(LIST_RUNTIMES, {}, tenant)).body).toEqual({
      data: {
        runtimes: {
          data: [{ id: rt.id, name: 'kyma-eu' }],
          pageInfo: { startCursor: expect.any(String), endCursor: expect.any(String), hasNextPage: false },
          totalCount: 1,
        },
      },
    });

    const handle = stack.client.workflow.getHandle(runtimeWorkflowId(tenant, rt.id));
    const visible = await eventually(async () => {
      const { count } = await stack.client.workflow.count(
        `TenantId = "${tenant}" AND RuntimeId = "${rt.id}" AND CompassStatus = "INITIAL"`,
      );
      return count === 1 ? count : undefined;
    }, 'the runtime workflow in visibility');
    expect(visible).toBe(1);

    const removed = await stack.gql(UNREGISTER_RUNTIME, { id: rt.id }, tenant);
    expect(removed.body).toEqual({ data: { unregisterRuntime: rt } });
    expect((await stack.gql(GET_RUNTIME, { id: rt.id }, tenant)).body).toEqual({ data: { runtime: null } });
    await expect(handle.result()).resolves.toBeUndefined();
  });

  it('replaces a runtime on update: name required, labels replaced, status timestamp moves with the condition', async () => {
    const tenant = fixTenant();
    const rt = await register(tenant);
    await stack.mongo.db
      .collection(RUNTIMES)
      .updateOne({ _id: rt.id as never }, { $set: { 'labels.app1_defaultEventing': 'true' } });
    const res = await stack.gql<{ updateRuntime: RuntimeView }>(
      UPDATE_RUNTIME,
      {
        id: rt.id,
        in: { name: 'kyma-us', labels: { zone: 'a', isNormalized: 'false' }, statusCondition: 'CONNECTED' },
      },
      tenant,
    );
    expect(res.body.errors).toBeUndefined();
    const updated = res.body.data!.updateRuntime;
    expect(updated).toEqual({
      id: rt.id,
      name: 'kyma-us',
      description: null,
      labels: { zone: 'a', isNormalized: 'false', app1_defaultEventing: 'true' },
      status: { condition: 'CONNECTED', timestamp: expect.any(String) },
      metadata: rt.metadata,
      eventingConfiguration: { defaultURL: '' },
    });
    expect(updated.status.timestamp >= rt.status.timestamp).toBe(true);

    const again = await stack.gql<{ updateRuntime: RuntimeView }>(
      UPDATE_RUNTIME,
      { id: rt.id, in: { name: 'kyma-us' } },
      tenant,
    );
    expect(again.body.data!.updateRuntime.status).toEqual(updated.status);
    expect(again.body.data!.updateRuntime.labels).toEqual({
      isNormalized: 'true',
      app1_defaultEventing: 'true',
    });
    await eventually(async () => {
      const { count } = await stack.client.workflow.count(
        `RuntimeId = "${rt.id}" AND CompassStatus = "CONNECTED"`,
      );
      return count === 1 ? count : undefined;
    }, 'CompassStatus CONNECTED');
  });

  it('refuses a second runtime with the same name in a tenant (NotUnique, 21), also by rename', async () => {
    const tenant = fixTenant();
    await register(tenant);
    const other = await register(tenant, fixRuntimeInput({ name: 'other' }));
    const dup = await stack.gql(REGISTER_RUNTIME, { in: fixRuntimeInput() }, tenant);
    expect(dup.body.errors).toEqual(
      graphqlError('Object name is not unique [object=Runtime]', 'NotUnique', 21),
    );
    const rename = await stack.gql(UPDATE_RUNTIME, { id: other.id, in: { name: 'kyma-eu' } }, tenant);
    expect(rename.body.errors).toEqual(
      graphqlError('Object name is not unique [object=Runtime]', 'NotUnique', 21),
    );
    expect(await stack.mongo.db.collection(RUNTIMES).countDocuments({ tenantId: tenant })).toBe(2);
    await register(fixTenant());
  });

  it.each([
    ['an empty name', { name: '' }, 'Invalid data RuntimeInput [name=cannot be blank]'],
    ['a leading digit', { name: '1rt' }, 'Invalid data RuntimeInput [name=cannot start with digit]'],
    [
      'a bad label key',
      { labels: { 'a-b': 1 } },
      'Invalid data RuntimeInput [labels.a-b=key must be 1-256 letters, digits or underscores]',
    ],
    ['an unknown scenario', { labels: { scenarios: ['NOPE'] } }, fixUnknownScenarioMessage('NOPE')],
  ])('rejects %s with InvalidData (22) and starts nothing', async (_what, overrides, message) => {
    const tenant = fixTenant();
    const res = await stack.gql(REGISTER_RUNTIME, { in: fixRuntimeInput(overrides) }, tenant);
    expect(res.body.errors).toEqual(graphqlError(message, 'InvalidData', 22));
    expect(await stack.mongo.db.collection(RUNTIMES).countDocuments({ tenantId: tenant })).toBe(0);
    expect(await stack.client.workflow.count(`TenantId = "${tenant}"`)).toEqual({ count: 0, groups: [] });
  });

  it('answers NotFound (20) for updating or unregistering a missing runtime', async () => {
    const tenant = fixTenant();
    const id = MISSING_ID;
    expect((await stack.gql(UPDATE_RUNTIME, { id, in: { name: 'x' } }, tenant)).body.errors).toEqual(
      notFoundError('runtime', id),
    );
    expect((await stack.gql(UNREGISTER_RUNTIME, { id }, tenant)).body.errors).toEqual(
      notFoundError('runtime', id),
    );
  });

  it('filters runtimes by label', async () => {
    const tenant = fixTenant();
    const eu = await register(tenant);
    await register(tenant, fixRuntimeInput({ name: 'us', labels: { region: 'us' } }));
    const res = await stack.gql<{ runtimes: { data: unknown[] } }>(
      LIST_RUNTIMES,
      { filter: [{ key: 'region', query: '"eu"' }] },
      tenant,
    );
    expect(res.body.data!.runtimes.data).toEqual([{ id: eu.id, name: 'kyma-eu' }]);
  });
});

describe('runtime labels', () => {
  it('sets (upserts) and deletes a label', async () => {
    const tenant = fixTenant();
    const rt = await register(tenant);
    const set = await stack.gql(SET_RUNTIME_LABEL, { id: rt.id, key: 'tier', value: ['gold'] }, tenant);
    expect(set.body).toEqual({ data: { setRuntimeLabel: { key: 'tier', value: ['gold'] } } });
    await stack.gql(SET_RUNTIME_LABEL, { id: rt.id, key: 'tier', value: 'silver' }, tenant);
    const got = await stack.gql<{ runtime: RuntimeView }>(GET_RUNTIME, { id: rt.id }, tenant);
    expect(got.body.data!.runtime.labels).toEqual({
      region: 'eu',
      isNormalized: 'true',
      scenarios: ['DEFAULT'],
      tier: 'silver',
    });

    const del = await stack.gql(DELETE_RUNTIME_LABEL, { id: rt.id, key: 'tier' }, tenant);
    expect(del.body).toEqual({ data: { deleteRuntimeLabel: { key: 'tier', value: 'silver' } } });
    const again = await stack.gql(DELETE_RUNTIME_LABEL, { id: rt.id, key: 'tier' }, tenant);
    expect(again.body.errors).toEqual(notFoundError('label', 'tier'));
  });

  it('validates label values and refuses a missing runtime', async () => {
    const tenant = fixTenant();
    const rt = await register(tenant);
    const bad = await stack.gql(SET_RUNTIME_LABEL, { id: rt.id, key: 'scenarios', value: ['NOPE'] }, tenant);
    expect(bad.body.errors).toEqual(graphqlError(fixUnknownScenarioMessage('NOPE'), 'InvalidData', 22));
    const id = '00000000-0000-4000-8000-000000000001';
    expect((await stack.gql(SET_RUNTIME_LABEL, { id, key: 'a', value: 1 }, tenant)).body.errors).toEqual(
      notFoundError('runtime', id),
    );
    expect((await stack.gql(DELETE_RUNTIME_LABEL, { id, key: 'a' }, tenant)).body.errors).toEqual(
      notFoundError('runtime', id),
    );
  });
});

describe('runtime contexts', () => {
  it('registers, updates, lists and unregisters a context of a runtime', async () => {
    const tenant = fixTenant();
    const rt = await register(tenant);
    const res = await stack.gql<{ registerRuntimeContext: { id: string } }>(
      REGISTER_CONTEXT,
      { runtimeID: rt.id, in: { key: 'namespace', value: 'prod', labels: { team: 'a' } } },
      tenant,
    );
    const ctx = res.body.data!.registerRuntimeContext;
    expect(ctx).toEqual({ id: expect.any(String), key: 'namespace', value: 'prod', labels: { team: 'a' } });

    const upd = await stack.gql(
      UPDATE_CONTEXT,
      { id: ctx.id, in: { key: 'namespace', value: 'dev' } },
      tenant,
    );
    expect(upd.body).toEqual({
      data: { updateRuntimeContext: { id: ctx.id, key: 'namespace', value: 'dev', labels: {} } },
    });
    await stack.gql(
      REGISTER_CONTEXT,
      { runtimeID: rt.id, in: { key: 'k', value: 'v', labels: { team: 'b' } } },
      tenant,
    );
    const filtered = await stack.gql(LIST_CONTEXTS, { filter: [{ key: 'team', query: '"b"' }] }, tenant);
    expect(filtered.body).toEqual({
      data: { runtimeContexts: { data: [expect.objectContaining({ key: 'k' })], totalCount: 1 } },
    });

    const removed = await stack.gql(UNREGISTER_CONTEXT, { id: ctx.id }, tenant);
    expect(removed.body).toEqual({
      data: { unregisterRuntimeContext: { id: ctx.id, key: 'namespace', value: 'dev', labels: {} } },
    });
    expect((await stack.gql(GET_CONTEXT, { id: ctx.id }, tenant)).body).toEqual({
      data: { runtimeContext: null },
    });
    expect((await stack.gql(UNREGISTER_CONTEXT, { id: ctx.id }, tenant)).body.errors).toEqual(
      notFoundError('runtimeContext', ctx.id),
    );
  });

  it('refuses invalid input (22) and a missing runtime (20)', async () => {
    const tenant = fixTenant();
    const rt = await register(tenant);
    const bad = await stack.gql(REGISTER_CONTEXT, { runtimeID: rt.id, in: { key: '', value: 'v' } }, tenant);
    expect(bad.body.errors).toEqual(
      graphqlError('Invalid data RuntimeContextInput [key=cannot be blank]', 'InvalidData', 22),
    );
    const id = '00000000-0000-4000-8000-000000000002';
    const missing = await stack.gql(
      REGISTER_CONTEXT,
      { runtimeID: id, in: { key: 'k', value: 'v' } },
      tenant,
    );
    expect(missing.body.errors).toEqual(notFoundError('runtime', id));
    const upd = await stack.gql(UPDATE_CONTEXT, { id, in: { key: 'k', value: 'v' } }, tenant);
    expect(upd.body.errors).toEqual(notFoundError('runtimeContext', id));
  });

  it('are removed with their runtime', async () => {
    const tenant = fixTenant();
    const rt = await register(tenant);
    await stack.gql(REGISTER_CONTEXT, { runtimeID: rt.id, in: { key: 'k', value: 'v' } }, tenant);
    await stack.gql(UNREGISTER_RUNTIME, { id: rt.id }, tenant);
    expect(await stack.mongo.db.collection(RUNTIME_CONTEXTS).countDocuments({ tenantId: tenant })).toBe(0);
  });
});

describe('tenant isolation', () => {
  it('another tenant guessing runtime and context IDs gets what a random ID gets and changes nothing', async () => {
    const owner = fixTenant();
    const intruder = fixTenant();
    const rt = await register(owner);
    const ctxRes = await stack.gql<{ registerRuntimeContext: { id: string } }>(
      REGISTER_CONTEXT,
      { runtimeID: rt.id, in: { key: 'k', value: 'v' } },
      owner,
    );
    const ctxId = ctxRes.body.data!.registerRuntimeContext.id;

    expect((await stack.gql(GET_RUNTIME, { id: rt.id }, intruder)).body).toEqual({ data: { runtime: null } });
    expect((await stack.gql(GET_CONTEXT, { id: ctxId }, intruder)).body).toEqual({
      data: { runtimeContext: null },
    });
    const list = await stack.gql<{ runtimes: { totalCount: number } }>(LIST_RUNTIMES, {}, intruder);
    expect(list.body.data!.runtimes.totalCount).toBe(0);
    expect((await stack.gql(LIST_CONTEXTS, {}, intruder)).body).toEqual({
      data: { runtimeContexts: { data: [], totalCount: 0 } },
    });
    expect((await stack.gql(UPDATE_RUNTIME, { id: rt.id, in: { name: 'x' } }, intruder)).body.errors).toEqual(
      notFoundError('runtime', rt.id),
    );
    expect((await stack.gql(UNREGISTER_RUNTIME, { id: rt.id }, intruder)).body.errors).toEqual(
      notFoundError('runtime', rt.id),
    );
    expect(
      (await stack.gql(SET_RUNTIME_LABEL, { id: rt.id, key: 'a', value: 1 }, intruder)).body.errors,
    ).toEqual(notFoundError('runtime', rt.id));
    expect(
      (await stack.gql(DELETE_RUNTIME_LABEL, { id: rt.id, key: 'region' }, intruder)).body.errors,
    ).toEqual(notFoundError('runtime', rt.id));
    expect(
      (await stack.gql(REGISTER_CONTEXT, { runtimeID: rt.id, in: { key: 'k', value: 'v' } }, intruder)).body
        .errors,
    ).toEqual(notFoundError('runtime', rt.id));
    expect(
      (await stack.gql(UPDATE_CONTEXT, { id: ctxId, in: { key: 'k', value: 'x' } }, intruder)).body.errors,
    ).toEqual(notFoundError('runtimeContext', ctxId));
    expect((await stack.gql(UNREGISTER_CONTEXT, { id: ctxId }, intruder)).body.errors).toEqual(
      notFoundError('runtimeContext', ctxId),
    );

    expect((await stack.gql(GET_RUNTIME, { id: rt.id }, owner)).body).toEqual({ data: { runtime: rt } });
    expect((await stack.gql(GET_CONTEXT, { id: ctxId }, owner)).body).toEqual({
      data: { runtimeContext: { id: ctxId, key: 'k', value: 'v', labels: {} } },
    });
  });
});
