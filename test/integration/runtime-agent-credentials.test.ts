import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { AGENT, type AgentRun, AgentProcesses, fastRunArgs, requireBuilt } from '../fixtures/agent-process';
import { ADD_BUNDLE, DELETE_BUNDLE } from '../fixtures/bundles';
import { fixScenarioKit } from '../fixtures/runtime-scenarios';
import { eventually, okData, type Stack, startStack } from './harness';

let stack: Stack;
const kit = fixScenarioKit(() => stack);
const agents = new AgentProcesses();

beforeAll(async () => {
  requireBuilt(AGENT);
  stack = await startStack();
});
afterAll(() => agents.close(stack));

type Run = AgentRun;
const agent = (args: string[], env: NodeJS.ProcessEnv = {}): Run => agents.run(args, env);

interface StoredRequest {
  id: string;
  bundleId: string;
  applicationId: string;
  context: string | null;
  status: { condition: string; reason: string };
  auth?: { credential: { username: string; password: string } };
}

const BASIC = (password: string) => ({ credential: { basic: { username: 'svc', password } } });
const SET = `mutation($id: ID!, $in: BundleInstanceAuthSetInput!) { setBundleInstanceAuth(authID: $id, in: $in) { id } }`;
const INSTANCE_AUTHS = `query($app: ID!, $b: ID!) { application(id: $app) { bundle(id: $b) {
  instanceAuths { id runtimeID context status { condition reason } } } } }`;
const LEAVE_SCENARIO = `mutation($id: ID!) { deleteApplicationLabel(applicationID: $id, key: "scenarios") { key } }`;

/** A tenant with a runtime in scenario "blue", its one-time token, and a state directory. */
async function fixRuntime() {
  const tenant = await kit.fixTenantWithScenarios('blue');
  const rt = await kit.registerRuntime(tenant, { labels: { scenarios: ['blue'] } });
  const ott = await okData<{ rawEncoded: string }>(
    stack,
    `mutation($id: ID!) { requestOneTimeTokenForRuntime(id: $id) { rawEncoded } }`,
    { id: rt.id },
    tenant,
  );
  return { tenant, runtimeId: rt.id, token: ott.rawEncoded, dir: path.join(agents.tempDir(), 'state') };
}

async function addBundle(tenant: string, app: string, input: Record<string, unknown>): Promise<string> {
  return (await okData<{ id: string }>(stack, ADD_BUNDLE, { app, in: input }, tenant)).id;
}

function runArgs(dir: string, ...extra: string[]): string[] {
  return fastRunArgs(dir, 1, '--log-level', 'debug', ...extra);
}

const credentialsDir = (dir: string) => path.join(dir, 'credentials');
function stored(dir: string): StoredRequest[] {
  if (!existsSync(credentialsDir(dir))) return [];
  return readdirSync(credentialsDir(dir))
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(path.join(credentialsDir(dir), f), 'utf8')) as StoredRequest);
}
const ofBundle = (dir: string, bundleId: string) => stored(dir).filter((r) => r.bundleId === bundleId);
const modeOf = (file: string) => statSync(file).mode & 0o777;
const fileOf = (dir: string, r: { id: string }) => path.join(credentialsDir(dir), `${r.id}.json`);
const status = (dir: string) =>
  JSON.parse(readFileSync(path.join(dir, 'status.json'), 'utf8')) as {
    state: string;
    lastSuccess?: string;
    credentialRequests?: Record<string, unknown>;
  };

async function instanceAuths(tenant: string, app: string, bundle: string) {
  const res = await stack.gql<{
    application: {
      bundle: {
        instanceAuths: Array<{
          id: string;
          runtimeID: string;
          context: string;
          status: { condition: string };
        }>;
      };
    };
  }>(INSTANCE_AUTHS, { app, b: bundle }, tenant);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.application.bundle.instanceAuths;
}

/** Waits for the agent's status to record a successful round that started after this call. */
async function nextRound(dir: string): Promise<void> {
  const before = status(dir).lastSuccess ?? '';
  await eventually(
    async () => ((status(dir).lastSuccess ?? '') > before ? true : undefined),
    'another synchronisation',
  );
}

describe('the Runtime Agent requesting credentials', () => {
  it('run --request-credentials: default auth at once, the classic path once the application sets it, files 0600, given back when bundles leave the view', async () => {
    const { tenant, runtimeId, token, dir } = await fixRuntime();
    const erp = await kit.registerApp(tenant, 'erp', { scenarios: ['blue'] });
    const crm = await kit.registerApp(tenant, 'crm', { scenarios: ['blue'] });
    const classic = await addBundle(tenant, erp, { name: 'classic' });
    const withDefault = await addBundle(tenant, erp, {
      name: 'with-default',
      defaultInstanceAuth: BASIC('default-s3cret'),
    });
    const needsParams = await addBundle(tenant, erp, {
      name: 'needs-params',
      instanceAuthRequestInputSchema: JSON.stringify({ type: 'object', required: ['plan'] }),
    });
    const crmBundle = await addBundle(tenant, crm, { name: 'contacts' });
    const refusing = await addBundle(tenant, crm, { name: 'refusing' });

    const run = agent(runArgs(dir, '--request-credentials', '--credentials-context', '{"ns":"prod"}'), {
      TOKEN: token,
    });

    // (b) The bundle with a default auth SUCCEEDS at once; the others wait for the application.
    const requested = await eventually(async () => {
      const all = stored(dir);
      return all.length === 4 && all.some((r) => r.status.condition === 'SUCCEEDED') ? all : undefined;
    }, 'a credential request for each bundle that takes no inputParams');
    expect(requested.map((r) => r.bundleId).sort()).toEqual(
      [classic, withDefault, crmBundle, refusing].sort(),
    );
    const byDefault = requested.find((r) => r.bundleId === withDefault)!;
    expect(byDefault).toMatchObject({
      applicationId: erp,
      context: '{"ns":"prod"}',
      status: { condition: 'SUCCEEDED', reason: 'CredentialsProvided' },
      auth: { credential: { username: 'svc', password: 'default-s3cret' } },
    });
    expect(modeOf(fileOf(dir, byDefault))).toBe(0o600);
    expect(modeOf(credentialsDir(dir))).toBe(0o700);
    const pending = requested.find((r) => r.bundleId === classic)!;
    expect(pending.status).toMatchObject({ condition: 'PENDING' });
    expect(pending.auth).toBeUndefined();
    expect(await instanceAuths(tenant, erp, classic)).toEqual([
      {
        id: pending.id,
        runtimeID: runtimeId,
        context: '{"ns":"prod"}',
        status: { condition: 'PENDING', reason: 'CredentialsNotProvided' },
      },
    ]);

    // (a) The classic path: the application sets the auth, the agent writes it.
    await okData(stack, SET, { id: pending.id, in: { auth: BASIC('classic-s3cret') } }, tenant);
    const crmRequest = ofBundle(dir, crmBundle)[0]!;
    await okData(stack, SET, { id: crmRequest.id, in: { auth: BASIC('crm-s3cret') } }, tenant);
    const refused = ofBundle(dir, refusing)[0]!;
    await okData(
      stack,
      SET,
      {
        id: refused.id,
        in: { status: { condition: 'FAILED', reason: 'NoQuota', message: 'quota exceeded' } },
      },
      tenant,
    );
    const delivered = await eventually(async () => {
      const [r] = ofBundle(dir, classic);
      return r?.status.condition === 'SUCCEEDED' ? r : undefined;
    }, 'the delivered credentials on disk');
    expect(delivered).toMatchObject({
      id: pending.id,
      auth: { credential: { username: 'svc', password: 'classic-s3cret' } },
    });
    expect(modeOf(fileOf(dir, delivered))).toBe(0o600);
    await eventually(
      async () => (ofBundle(dir, refusing)[0]?.status.condition === 'FAILED' ? true : undefined),
      'the FAILED request on disk',
    );
    expect(ofBundle(dir, refusing)[0]).toMatchObject({ status: { condition: 'FAILED', reason: 'NoQuota' } });
    expect(ofBundle(dir, refusing)[0]!.auth).toBeUndefined();
    await eventually(
      async () => (ofBundle(dir, crmBundle)[0]?.status.condition === 'SUCCEEDED' ? true : undefined),
      'the crm credentials on disk',
    );
    await nextRound(dir);
    expect(status(dir).credentialRequests).toEqual({
      total: 4,
      pending: 0,
      succeeded: 3,
      failed: 1,
      unused: 0,
      skipped: { [needsParams]: 'the bundle asks for inputParams (--credentials-input-params)' },
    });

    // (c) A deleted bundle: its request is gone with it, and so is the agent's file.
    await okData(stack, DELETE_BUNDLE, { id: classic }, tenant);
    await eventually(
      async () => (existsSync(fileOf(dir, delivered)) ? undefined : true),
      'the file of the deleted bundle to go',
    );
    // An application leaving the runtime's scenarios: the agent gives its credentials back.
    await okData(stack, LEAVE_SCENARIO, { id: crm }, tenant);
    await eventually(
      async () => (ofBundle(dir, crmBundle).length + ofBundle(dir, refusing).length === 0 ? true : undefined),
      'the files of the application that left',
    );
    expect(await instanceAuths(tenant, crm, crmBundle)).toMatchObject([
      { id: crmRequest.id, status: { condition: 'UNUSED', reason: 'PendingDeletion' } },
    ]);
    expect(await instanceAuths(tenant, crm, refusing)).toMatchObject([
      { id: refused.id, status: { condition: 'UNUSED', reason: 'PendingDeletion' } },
    ]);
    // The default-auth request of the application that stays is untouched.
    expect(stored(dir).map((r) => r.id)).toEqual([byDefault.id]);
    await okData(stack, LEAVE_SCENARIO, { id: erp }, tenant);
    await eventually(async () => (stored(dir).length === 0 ? true : undefined), 'no file left');
    // A bundle with a default auth: its request is deleted at once.
    expect(await instanceAuths(tenant, erp, withDefault)).toEqual([]);

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    for (const secret of ['default-s3cret', 'classic-s3cret', 'crm-s3cret'])
      expect(run.output()).not.toContain(secret);
    expect(run.output()).toContain('credentials requested');
  });

  it('credentials request / list / delete: the auth ID on success, a running agent follows it; bad input is refused and writes nothing', async () => {
    const { tenant, token, dir } = await fixRuntime();
    const app = await kit.registerApp(tenant, 'erp', { scenarios: ['blue'] });
    const classic = await addBundle(tenant, app, { name: 'classic' });
    const withDefault = await addBundle(tenant, app, {
      name: 'with-default',
      defaultInstanceAuth: BASIC('default-s3cret'),
    });
    const withSchema = await addBundle(tenant, app, {
      name: 'with-schema',
      instanceAuthRequestInputSchema: JSON.stringify({
        type: 'object',
        required: ['plan'],
        properties: { plan: { type: 'string' } },
      }),
    });
    const run = agent(runArgs(dir), { TOKEN: token });
    await eventually(
      async () => (existsSync(path.join(dir, 'applications', `${app}.json`)) ? true : undefined),
      'the application in the view',
    );
    await nextRound(dir);
    // Without --request-credentials the loop requests nothing by itself.
    expect(stored(dir)).toEqual([]);
    const command = (...args: string[]) => agent(['credentials', ...args, '--state-dir', dir]);

    const byDefault = command('request', '--bundle', withDefault, '--context', '{"ns":"cli"}');
    expect(await byDefault.exited).toBe(0);
    const shown = JSON.parse(byDefault.stdout()) as Record<string, unknown>;
    expect(shown).toMatchObject({
      id: expect.any(String),
      bundleId: withDefault,
      applicationId: app,
      context: '{"ns":"cli"}',
      status: { condition: 'SUCCEEDED' },
      credentialsDelivered: true,
      file: fileOf(dir, { id: shown.id as string }),
    });
    expect(byDefault.output()).not.toContain('default-s3cret');
    expect(JSON.parse(readFileSync(shown.file as string, 'utf8'))).toMatchObject({
      auth: { credential: { password: 'default-s3cret' } },
    });
    expect(modeOf(shown.file as string)).toBe(0o600);

    const pending = command('request', '--bundle', classic);
    expect(await pending.exited).toBe(0);
    const pendingId = (JSON.parse(pending.stdout()) as { id: string; status: { condition: string } }).id;
    expect(ofBundle(dir, classic)).toMatchObject([{ id: pendingId, status: { condition: 'PENDING' } }]);
    await okData(stack, SET, { id: pendingId, in: { auth: BASIC('classic-s3cret') } }, tenant);
    await eventually(
      async () =>
        ofBundle(dir, classic)[0]?.auth?.credential.password === 'classic-s3cret' ? true : undefined,
      'the running agent to write the credentials',
    );

    const list = command('list');
    expect(await list.exited).toBe(0);
    const listed = JSON.parse(list.stdout()) as Array<Record<string, unknown>>;
    expect(listed.map((r) => [r.bundleId, r.credentialsDelivered]).sort()).toEqual(
      [
        [withDefault, true],
        [classic, true],
      ].sort(),
    );
    expect(list.output()).not.toContain('s3cret');

    // Bad input: a clear message, an exit code, and no file.
    const files = () => readdirSync(credentialsDir(dir)).sort();
    const before = files();
    const unknown = command('request', '--bundle', 'no-such-bundle');
    expect(await unknown.exited).toBe(1);
    expect(unknown.output()).toContain(
      'bundle no-such-bundle is not among the bundles this agent synchronised',
    );
    const badJson = command('request', '--bundle', classic, '--context', '{not json');
    expect(await badJson.exited).toBe(2);
    expect(badJson.output()).toContain('--context is not valid JSON');
    const badParams = command('request', '--bundle', withSchema, '--input-params', '{"plan": 5}');
    expect(await badParams.exited).toBe(1);
    expect(badParams.output()).toContain('the Director refused the credential request');
    expect(badParams.output()).toContain('inputParams');
    const noBundle = command('request');
    expect(await noBundle.exited).toBe(2);
    expect(noBundle.output()).toContain("required option '--bundle <id>' not specified");
    const noSuchAuth = command('delete', '--auth', 'no-such-auth');
    expect(await noSuchAuth.exited).toBe(1);
    expect(noSuchAuth.output()).toContain('no stored credential request with ID no-such-auth');
    expect(files()).toEqual(before);

    const withParams = command('request', '--bundle', withSchema, '--input-params', '{"plan":"gold"}');
    expect(await withParams.exited).toBe(0);
    expect(JSON.parse(withParams.stdout())).toMatchObject({
      inputParams: '{"plan":"gold"}',
      status: { condition: 'PENDING' },
    });

    const deleted = command('delete', '--auth', pendingId);
    expect(await deleted.exited).toBe(0);
    expect(deleted.stdout()).toContain(`${pendingId}: deletion requested`);
    expect(existsSync(fileOf(dir, { id: pendingId }))).toBe(false);
    expect(await instanceAuths(tenant, app, classic)).toMatchObject([
      { id: pendingId, status: { condition: 'UNUSED' } },
    ]);

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).not.toContain('s3cret');
  });
});
