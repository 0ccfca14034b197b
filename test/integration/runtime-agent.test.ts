import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ADD_BUNDLE,
  fixAPIInput,
  fixBundleInput,
  fixDocumentInput,
  fixEventInput,
} from '../fixtures/bundles';
import {
  AGENT,
  type AgentRun,
  AgentProcesses,
  fastRunArgs,
  FAST_RUNTIME_HEALTH,
  requireBuilt,
} from '../fixtures/agent-process';
import { fixScenarioKit } from '../fixtures/runtime-scenarios';
import { eventually, type Stack, startStack } from './harness';

let stack: Stack;
const kit = fixScenarioKit(() => stack);
const agents = new AgentProcesses();

beforeAll(async () => {
  requireBuilt(AGENT);
  stack = await startStack({ runtimeHealth: FAST_RUNTIME_HEALTH });
});
afterAll(() => agents.close(stack));

function stateDir(): string {
  return path.join(agents.tempDir(), 'state');
}

type Run = AgentRun;
const agent = (args: string[], env: NodeJS.ProcessEnv = {}): Run => agents.run(args, env);

async function runtimeToken(
  tenant: string,
  id: string,
): Promise<{ raw: string; rawEncoded: string; token: string; connectorURL: string }> {
  const res = await stack.gql<{
    requestOneTimeTokenForRuntime: { raw: string; rawEncoded: string; token: string; connectorURL: string };
  }>(
    `mutation($id: ID!) { requestOneTimeTokenForRuntime(id: $id) { token connectorURL raw rawEncoded } }`,
    { id },
    tenant,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.requestOneTimeTokenForRuntime;
}

const HEALTH = `query($id: ID!) { runtime(id: $id) { status { condition } labels health { status since lastHeartbeat checks { name status } } } }`;

async function health(tenant: string, id: string) {
  const res = await stack.gql<{
    runtime: {
      status: { condition: string };
      labels: Record<string, unknown>;
      health: { status: string; lastHeartbeat: string | null };
    };
  }>(HEALTH, { id }, tenant);
  return res.body.data!.runtime;
}

function runArgs(dir: string): string[] {
  return fastRunArgs(
    dir,
    0.5,
    '--page-size',
    '2',
    '--event-service-url',
    'https://events.example.com',
    '--console-url',
    'https://console.example.com',
    '--log-level',
    'warn',
  );
}

const appFiles = (dir: string) =>
  existsSync(path.join(dir, 'applications')) ? readdirSync(path.join(dir, 'applications')).sort() : [];

describe('the Runtime Agent', () => {
  it('pairs, synchronises every page, reports labels, becomes CONNECTED and HEALTHY; killed it turns UNREACHABLE; restarted HEALTHY without a token', async () => {
    const tenant = await kit.fixTenantWithScenarios('blue');
    const rt = await kit.registerRuntime(tenant, { labels: { scenarios: ['blue'] } });
    const apps = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => kit.registerApp(tenant, `app-${i}`, { scenarios: ['blue'] })),
    );
    await kit.registerApp(tenant, 'elsewhere', { scenarios: ['DEFAULT'] });
    // More bundles, and more APIs, events and documents in one, than a page (2) holds.
    const three = (fix: (o: Record<string, unknown>) => Record<string, unknown>, key: string) =>
      [1, 2, 3].map((i) => fix({ [key]: `${key}-${i}` }));
    for (const i of [1, 2, 3]) {
      const res = await stack.gql(
        ADD_BUNDLE,
        {
          app: apps[1],
          in: fixBundleInput({
            name: `bundle-${i}`,
            ...(i === 1 && {
              apiDefinitions: three(fixAPIInput, 'name'),
              eventDefinitions: three(fixEventInput, 'name'),
              documents: three(fixDocumentInput, 'title'),
            }),
          }),
        },
        tenant,
      );
      expect(res.body.errors).toBeUndefined();
    }
    const dir = stateDir();
    const ott = await runtimeToken(tenant, rt.id);

    const first = agent(runArgs(dir), { TOKEN: ott.rawEncoded });
    await eventually(
      async () => (appFiles(dir).length === 5 ? true : undefined),
      'five applications on disk',
    );
    expect(appFiles(dir)).toEqual(apps.map((a) => `${a}.json`).sort());
    const app = JSON.parse(readFileSync(path.join(dir, 'applications', `${apps[0]}.json`), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(app).toMatchObject({ id: apps[0], bundles: { data: [] } });
    const withBundles = JSON.parse(
      readFileSync(path.join(dir, 'applications', `${apps[1]}.json`), 'utf8'),
    ) as {
      bundles: {
        data: Array<Record<string, { data: Array<{ name?: string; title?: string }> }> & { name: string }>;
      };
    };
    const bundles = withBundles.bundles.data;
    expect(bundles.map((b) => b.name).sort()).toEqual(['bundle-1', 'bundle-2', 'bundle-3']);
    const full = bundles.find((b) => b.name === 'bundle-1')!;
    expect(full.apiDefinitions!.data.map((a) => a.name).sort()).toEqual(['name-1', 'name-2', 'name-3']);
    expect(full.eventDefinitions!.data.map((e) => e.name).sort()).toEqual(['name-1', 'name-2', 'name-3']);
    expect(full.documents!.data.map((d) => d.title).sort()).toEqual(['title-1', 'title-2', 'title-3']);
    const healthy = await eventually(async () => {
      const r = await health(tenant, rt.id);
      return r.status.condition === 'CONNECTED' && r.health.status === 'HEALTHY' ? r : undefined;
    }, 'CONNECTED and HEALTHY');
    expect(healthy.labels).toMatchObject({
      runtime_eventServiceUrl: 'https://events.example.com',
      runtime_consoleUrl: 'https://console.example.com',
    });
    expect(healthy.health.lastHeartbeat).not.toBeNull();
    const status = JSON.parse(readFileSync(path.join(dir, 'status.json'), 'utf8')) as Record<string, unknown>;
    expect(status).toMatchObject({ state: 'Synchronized', runtimeId: rt.id });
    expect(first.output()).not.toContain(ott.token);

    // An application joins the scenario, another leaves it: the view follows.
    const joined = await kit.registerApp(tenant, 'joined', { scenarios: ['blue'] });
    await stack.gql(
      `mutation($id: ID!) { deleteApplicationLabel(applicationID: $id, key: "scenarios") { key } }`,
      { id: apps[0] },
      tenant,
    );
    await eventually(async () => {
      const files = appFiles(dir);
      return files.includes(`${joined}.json`) && !files.includes(`${apps[0]}.json`) ? true : undefined;
    }, 'the view to follow the scenario');

    first.child.kill('SIGKILL');
    await first.exited;
    await eventually(
      async () => ((await health(tenant, rt.id)).health.status === 'UNREACHABLE' ? true : undefined),
      'UNREACHABLE',
    );

    const second = agent(runArgs(dir));
    await eventually(
      async () => ((await health(tenant, rt.id)).health.status === 'HEALTHY' ? true : undefined),
      'HEALTHY again',
    );
    const records = await stack.gql<{
      healthChecks: { data: Array<{ origin: string; runtimeHealth: string }> };
    }>(
      `query($o: ID) { healthChecks(types: [RUNTIME_HEARTBEAT], origin: $o) { data { origin runtimeHealth } } }`,
      { o: rt.id },
      tenant,
    );
    // A lease timer that fires late (a worker starved of CPU) first records UNKNOWN by the
    // sick-control-plane rule, then UNREACHABLE one grace period later: both orders are correct.
    const transitions = records.body.data!.healthChecks.data.map((r) => r.runtimeHealth);
    expect(transitions.filter((s) => s !== 'UNKNOWN')).toEqual(['HEALTHY', 'UNREACHABLE', 'HEALTHY']);
    const filtered = await stack.gql<{ runtimes: { data: Array<{ id: string }> } }>(
      `{ runtimes(health: [HEALTHY]) { data { id } } }`,
      {},
      tenant,
    );
    expect(filtered.body.data!.runtimes.data.map((r) => r.id)).toEqual([rt.id]);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('refuses a used token with a message, a non-zero exit and no certificate written', async () => {
    const tenant = await kit.fixTenantWithScenarios();
    const rt = await kit.registerRuntime(tenant);
    const ott = await runtimeToken(tenant, rt.id);
    const dir = stateDir();
    const ok = agent(['connect', '--state-dir', dir, '--token', ott.raw]);
    expect(await ok.exited).toBe(0);
    const again = agent(['connect', '--state-dir', stateDir(), '--token', ott.raw]);
    expect(await again.exited).toBe(1);
    expect(again.output()).toContain('the one-time token was refused');
  });

  it('answers bad input with a message and an exit code, writing nothing', async () => {
    const unknown = agent(['run', '--no-such-flag']);
    expect(await unknown.exited).toBe(2);
    expect(unknown.output()).toContain("unknown option '--no-such-flag'");
    const short = agent(['run', '--sync-period', '1', '--state-dir', stateDir()]);
    expect(await short.exited).toBe(2);
    expect(short.output()).toContain('at least 10 seconds');
    const plain = agent(['connect', '--token', 'abc', '--state-dir', stateDir()]);
    expect(await plain.exited).toBe(2);

    const corrupt = stateDir();
    const pre = agent(['status', '--state-dir', corrupt]);
    expect(await pre.exited).toBe(1);
    writeFileSync(path.join(corrupt, 'client.key'), 'not a key');
    writeFileSync(path.join(corrupt, 'client.crt'), 'not a certificate');
    writeFileSync(path.join(corrupt, 'ca.crt'), 'not a certificate');
    const broken = agent(['run', '--state-dir', corrupt, '--status-port', '0']);
    expect(await broken.exited).toBe(1);
    expect(broken.output()).toContain('corrupt');

    const unreachable = agent([
      'connect',
      '--state-dir',
      stateDir(),
      '--token',
      'abc',
      '--connector-url',
      'http://127.0.0.1:1/connector/graphql',
    ]);
    expect(await unreachable.exited).toBe(1);
    expect(unreachable.output()).toContain('not reachable');

    const file = path.join(os.tmpdir(), `not-a-dir-${process.pid}`);
    writeFileSync(file, '');
    const unreadable = agent(['status', '--state-dir', file]);
    expect(await unreadable.exited).toBe(1);
    expect(unreadable.output()).toContain('is not usable');
    rmSync(file);
  });
});
