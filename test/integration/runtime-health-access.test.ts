import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixScenarioKit } from '../fixtures/runtime-scenarios';
import { RUNTIME_HEALTH, RUNTIME_HEALTH_RECORDS } from '../../store/runtime-health';
import { eventually, startStack, type Stack } from './harness';
import { fixPairedApplication, mtlsGql, credentialsOf, type MtlsCredentials } from './mtls-client';

const AGENT = path.join(__dirname, '..', '..', 'dist', 'agent', 'main.js');
const REPORT = `mutation($in: RuntimeHealthInput!) { reportRuntimeHealth(in: $in) }`;

let stack: Stack;
const kit = fixScenarioKit(() => stack);
const dir = mkdtempSync(path.join(os.tmpdir(), 'compass-health-access-'));

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Pairs a runtime with the built agent's `connect`; returns its mTLS credentials. */
async function pairedRuntime(tenant: string, id: string): Promise<MtlsCredentials> {
  const res = await stack.gql<{ requestOneTimeTokenForRuntime: { raw: string } }>(
    `mutation($id: ID!) { requestOneTimeTokenForRuntime(id: $id) { raw } }`,
    { id },
    tenant,
  );
  const state = path.join(dir, id);
  const child = spawn(process.execPath, [
    AGENT,
    'connect',
    '--state-dir',
    state,
    '--token',
    res.body.data!.requestOneTimeTokenForRuntime.raw,
  ]);
  expect(await new Promise((r) => child.once('exit', r))).toBe(0);
  const read = (f: string) => readFileSync(path.join(state, f), 'utf8');
  return { cert: read('client.crt'), key: read('client.key'), ca: read('ca.crt') };
}

const report = (runtimeID: string) => ({
  in: { runtimeID, status: 'UP', checks: [{ name: 'connection', status: 'UP' }] },
});

describe('reportRuntimeHealth access', () => {
  it('lets a runtime report for itself only; another runtime (NotFound), an application (InsufficientScopes) or a user (InvalidOperation) are refused and nothing changes', async () => {
    const tenant = await kit.fixTenantWithScenarios();
    const a = await kit.registerRuntime(tenant);
    const b = await kit.registerRuntime(tenant, { name: 'other-runtime' });
    const credentials = await pairedRuntime(tenant, a.id);

    const own = await mtlsGql(stack, 'director', credentials, REPORT, report(a.id));
    expect(own.body).toEqual({ data: { reportRuntimeHealth: true } });

    const other = await mtlsGql(stack, 'director', credentials, REPORT, report(b.id));
    expect(other.body.errors?.[0]?.extensions).toMatchObject({ error_code: 20 });

    const app = await fixPairedApplication(stack, tenant);
    const byApp = await mtlsGql(stack, 'director', credentialsOf(app), REPORT, report(b.id));
    expect(byApp.body.errors?.[0]?.extensions).toMatchObject({ error_code: 23 });

    const byUser = await stack.gql(REPORT, report(b.id), tenant);
    expect(byUser.body.errors?.[0]?.extensions).toMatchObject({ error_code: 27 });

    const bad = await mtlsGql(stack, 'director', credentials, REPORT, {
      in: { runtimeID: a.id, status: 'UP', checks: [{ name: 'bad name!', status: 'UP' }] },
    });
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ error_code: 22 });

    const health = await stack.gql<{ runtime: { health: { status: string } } }>(
      `query($id: ID!) { runtime(id: $id) { health { status } } }`,
      { id: b.id },
      tenant,
    );
    expect(health.body.data!.runtime.health.status).toBe('UNKNOWN');
  });

  it('unregistering a runtime removes its health and its health-check records', async () => {
    const tenant = await kit.fixTenantWithScenarios();
    const rt = await kit.registerRuntime(tenant, { name: 'short-lived' });
    const credentials = await pairedRuntime(tenant, rt.id);
    const own = await mtlsGql(stack, 'director', credentials, REPORT, report(rt.id));
    expect(own.body).toEqual({ data: { reportRuntimeHealth: true } });
    const records = () =>
      stack.gql<{ healthChecks: { data: Array<{ origin: string; runtimeHealth: string }> } }>(
        `query($o: ID) { healthChecks(types: [RUNTIME_HEARTBEAT], origin: $o) { data { origin runtimeHealth } } }`,
        { o: rt.id },
        tenant,
      );
    await eventually(
      async () => ((await records()).body.data!.healthChecks.data.length > 0 ? true : undefined),
      'the HEALTHY transition recorded',
    );
    const db = stack.mongo.db;
    expect(
      await db.collection(RUNTIME_HEALTH).countDocuments({ tenantId: tenant, _id: rt.id as never }),
    ).toBe(1);

    const removed = await stack.gql(
      `mutation($id: ID!) { unregisterRuntime(id: $id) { id } }`,
      { id: rt.id },
      tenant,
    );
    expect(removed.body.errors).toBeUndefined();
    expect(
      await db.collection(RUNTIME_HEALTH).countDocuments({ tenantId: tenant, _id: rt.id as never }),
    ).toBe(0);
    expect(
      await db.collection(RUNTIME_HEALTH_RECORDS).countDocuments({ tenantId: tenant, runtimeId: rt.id }),
    ).toBe(0);
    expect((await records()).body).toEqual({ data: { healthChecks: { data: [] } } });
  });
});
