import { errorCode } from '../fixtures/errors';
import { fixScenarioKit } from '../fixtures/runtime-scenarios';
import { REGISTER_CONTEXT } from '../fixtures/runtimes';
import { startStack, type Stack } from './harness';
import { credentialsOf, fixPairedApplication, mtlsGql } from './mtls-client';
import { accessToken, fixClientCredentials, gqlAs } from './oauth-client';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const { fixTenantWithScenarios, registerRuntime, registerApp } = fixScenarioKit(() => stack);

const APP = `query($id: ID!) { application(id: $id) { id } }`;
const APPS = `{ applications { data { id } totalCount } }`;

describe('per-identity restrictions', () => {
  it('a runtime sees only applications of its scenarios and only itself among runtimes', async () => {
    const tenant = await fixTenantWithScenarios('SA', 'SB');
    const rt = await registerRuntime(tenant, { labels: { scenarios: ['SA'] } });
    const otherRt = await registerRuntime(tenant, { name: 'other-rt', labels: { scenarios: ['SB'] } });
    const inScenario = await registerApp(tenant, 'in-sa', { scenarios: ['SA'] });
    const outside = await registerApp(tenant, 'in-sb', { scenarios: ['SB'] });
    const token = await accessToken(await fixClientCredentials(stack, 'Runtime', rt.id, tenant));

    const apps = await gqlAs<{ applications: { data: { id: string }[] } }>(stack, token, APPS);
    expect(apps.body.data!.applications.data.map((a) => a.id)).toEqual([inScenario]);
    const own = await gqlAs(stack, token, APP, { id: inScenario });
    expect(own.body).toEqual({ data: { application: { id: inScenario } } });
    const foreign = await gqlAs(stack, token, APP, { id: outside });
    expect(errorCode(foreign)).toBe(27);
    expect(foreign.body.errors![0]!.message).toContain(
      'requesting runtime should be in same scenario as the requested application resource',
    );

    const runtimes = await gqlAs<{ runtimes: { data: { id: string }[] } }>(
      stack,
      token,
      `{ runtimes { data { id } } }`,
    );
    expect(runtimes.body.data!.runtimes.data).toEqual([{ id: rt.id }]);
    const other = await gqlAs(stack, token, `query($id: ID!) { runtime(id: $id) { id } }`, {
      id: otherRt.id,
    });
    expect(other.body).toEqual({ data: { runtime: null } });
    const label = `mutation($id: ID!) { setRuntimeLabel(runtimeID: $id, key: "k", value: "v") { key } }`;
    expect(errorCode(await gqlAs(stack, token, label, { id: otherRt.id }))).toBe(20);
    expect((await gqlAs(stack, token, label, { id: rt.id })).body.errors).toBeUndefined();
  });

  it('a runtime pages through its own runtime contexts only', async () => {
    const tenant = await fixTenantWithScenarios();
    const other = await registerRuntime(tenant, { name: 'ctx-other' });
    const rt = await registerRuntime(tenant, { name: 'ctx-mine' });
    const context = async (runtimeID: string, value: string) => {
      const res = await stack.gql<{ registerRuntimeContext: { id: string } }>(
        REGISTER_CONTEXT,
        { runtimeID, in: { key: 'ns', value } },
        tenant,
      );
      expect(res.body.errors).toBeUndefined();
      return res.body.data!.registerRuntimeContext.id;
    };
    await context(other.id, 'theirs');
    const mine = await context(rt.id, 'mine');
    const token = await accessToken(await fixClientCredentials(stack, 'Runtime', rt.id, tenant));
    const page = await gqlAs(
      stack,
      token,
      `{ runtimeContexts(first: 1) { data { id } totalCount pageInfo { hasNextPage } } }`,
    );
    expect(page.body).toEqual({
      data: { runtimeContexts: { data: [{ id: mine }], totalCount: 1, pageInfo: { hasNextPage: false } } },
    });
  });

  it('an application (OAuth token) reads and changes only itself', async () => {
    const tenant = await fixTenantWithScenarios();
    const me = await registerApp(tenant, 'me', {});
    const other = await registerApp(tenant, 'other', {});
    const token = await accessToken(await fixClientCredentials(stack, 'Application', me, tenant));

    const apps = await gqlAs<{ applications: { data: { id: string }[]; totalCount: number } }>(
      stack,
      token,
      APPS,
    );
    expect(apps.body.data!.applications).toEqual({ data: [{ id: me }], totalCount: 1 });
    expect((await gqlAs(stack, token, APP, { id: other })).body).toEqual({ data: { application: null } });
    expect((await gqlAs(stack, token, APP, { id: me })).body).toEqual({ data: { application: { id: me } } });

    for (const [query, variables] of [
      [`mutation($id: ID!) { updateApplication(id: $id, in: { description: "x" }) { id } }`, { id: other }],
      [
        `mutation($id: ID!) { setApplicationLabel(applicationID: $id, key: "k", value: 1) { key } }`,
        { id: other },
      ],
      [`mutation($id: ID!) { addBundle(applicationID: $id, in: { name: "b" }) { id } }`, { id: other }],
      [
        `mutation($id: ID!) { addWebhook(applicationID: $id, in: { type: CONFIGURATION_CHANGED, url: "https://x.example" }) { id } }`,
        { id: other },
      ],
      [`mutation($id: ID!) { requestClientCredentialsForApplication(id: $id) { id } }`, { id: other }],
    ] as const) {
      const res = await gqlAs(stack, token, query, variables);
      expect(errorCode(res)).toBe(20);
    }
    const theirBundle = await stack.gql<{ addBundle: { id: string } }>(
      `mutation($id: ID!) { addBundle(applicationID: $id, in: { name: "theirs" }) { id } }`,
      { id: other },
      tenant,
    );
    const bundleId = theirBundle.body.data!.addBundle.id;
    const upd = `mutation($id: ID!) { updateBundle(id: $id, in: { name: "mine now" }) { id } }`;
    expect(errorCode(await gqlAs(stack, token, upd, { id: bundleId }))).toBe(20);
    const reg = await gqlAs(stack, token, `mutation { registerApplication(in: { name: "spawn" }) { id } }`);
    expect(errorCode(reg)).toBe(27);

    const mine = await gqlAs(
      stack,
      token,
      `mutation($id: ID!) { setApplicationLabel(applicationID: $id, key: "k", value: 1) { key } }`,
      {
        id: me,
      },
    );
    expect(mine.body.errors).toBeUndefined();
  });

  it('an application with a client certificate is held to the same rules', async () => {
    const client = await fixPairedApplication(stack, await fixTenantWithScenarios());
    const other = await registerApp(client.tenant, 'neighbour', {});
    const res = await mtlsGql(stack, 'director', credentialsOf(client), APP, { id: other });
    expect(res.body).toEqual({ data: { application: null } });
    const upd = await mtlsGql(
      stack,
      'director',
      credentialsOf(client),
      `mutation($id: ID!) { updateApplication(id: $id, in: { description: "x" }) { id } }`,
      { id: other },
    );
    expect(errorCode(upd)).toBe(20);
  });
});
