import { createHash, randomBytes } from 'node:crypto';
import pino from 'pino';
import { SecretBox, loadSecretBox } from '../../../infra/secret-box';
import { CLIENT_CREDENTIALS } from '../../../store/client-credentials';
import { fixScenarioKit } from '../../fixtures/runtime-scenarios';
import { fixTenant, okData, startStack, type Stack } from '../harness';
import {
  accessToken,
  type FixClientCredentials,
  fixClientCredentials,
  gqlAs,
  requestToken,
} from '../oauth-client';

/** Everything the stack logs, at trace level, to prove no secret reaches a log. */
const logLines: string[] = [];

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    log: pino({ level: 'trace' }, { write: (line: string) => void logLines.push(line) }),
  });
});
afterAll(async () => {
  await stack?.close();
});

const { registerApp, registerRuntime } = fixScenarioKit(() => stack);

const AUTHS = `auths { id auth { credential { ... on OAuthCredentialData { clientId clientSecret url } } } }`;
const APP_AUTHS = `query ($id: ID!) { application(id: $id) { ${AUTHS} } }`;
const RUNTIME_AUTHS = `query ($id: ID!) { runtime(id: $id) { ${AUTHS} } }`;
const SYSTEM_AUTHS = `query ($id: ID!) { integrationSystem(id: $id) { ${AUTHS} } }`;

/** A SystemAuth as `auths` lists it to a caller entitled to its credentials. */
function shown(creds: FixClientCredentials) {
  return {
    id: creds.id,
    auth: { credential: { clientId: creds.id, clientSecret: creds.clientSecret, url: creds.url } },
  };
}

async function registerIntegrationSystem(tenant: string): Promise<string> {
  const name = `is-${randomBytes(4).toString('hex')}`;
  const system = await okData(
    stack,
    `mutation ($name: String!) { registerIntegrationSystem(in: { name: $name }) { id } }`,
    { name },
    tenant,
  );
  return system.id;
}

describe('client credentials read back from auths', () => {
  const secrets: string[] = [];
  afterAll(() => {
    // No secret ever reached the stack's log, at any level.
    expect(secrets.length).toBeGreaterThan(0);
    const log = logLines.join('\n');
    for (const secret of secrets) expect(log).not.toContain(secret);
  });

  it('shows each object the OAuthCredentialData requestClientCredentialsFor… answered', async () => {
    const tenant = fixTenant();
    const app = await registerApp(tenant, 'read-back', {});
    const runtime = (await registerRuntime(tenant)).id;
    const system = await registerIntegrationSystem(tenant);
    const appCreds = await fixClientCredentials(stack, 'Application', app, tenant);
    const runtimeCreds = await fixClientCredentials(stack, 'Runtime', runtime, tenant);
    const systemCreds = await fixClientCredentials(stack, 'IntegrationSystem', system, tenant);
    secrets.push(appCreds.clientSecret, runtimeCreds.clientSecret, systemCreds.clientSecret);
    expect(appCreds.url).toBe(`${stack.url}/oauth/token`);

    expect(await okData(stack, APP_AUTHS, { id: app }, tenant)).toEqual({ auths: [shown(appCreds)] });
    expect(await okData(stack, RUNTIME_AUTHS, { id: runtime }, tenant)).toEqual({
      auths: [shown(runtimeCreds)],
    });
    expect(await okData(stack, SYSTEM_AUTHS, { id: system }, tenant)).toEqual({
      auths: [shown(systemCreds)],
    });

    // What is read back is a working credential; at rest it is only hashed and sealed.
    const listed = await okData<{ auths: Array<ReturnType<typeof shown>> }>(
      stack,
      APP_AUTHS,
      { id: app },
      tenant,
    );
    const again = listed.auths[0]!.auth.credential;
    expect((await requestToken(again.url, again)).status).toBe(200);
    const stored = await stack.mongo.db.collection(CLIENT_CREDENTIALS).findOne({ _id: appCreds.id as never });
    expect(stored).toEqual({
      _id: appCreds.id,
      tenantId: tenant,
      secretHash: createHash('sha256').update(appCreds.clientSecret).digest('hex'),
      sealedSecret: expect.stringMatching(/^v1\./),
      createdAt: expect.any(String),
    });
    expect(JSON.stringify(stored)).not.toContain(appCreds.clientSecret);
  });

  it('shows a system only its own credentials', async () => {
    const tenant = fixTenant();
    const app = await registerApp(tenant, 'scenario-app', { scenarios: ['DEFAULT'] });
    const runtime = (await registerRuntime(tenant, { labels: { scenarios: ['DEFAULT'] } })).id;
    const appCreds = await fixClientCredentials(stack, 'Application', app, tenant);
    const runtimeCreds = await fixClientCredentials(stack, 'Runtime', runtime, tenant);
    const [system, other] = [
      await registerIntegrationSystem(tenant),
      await registerIntegrationSystem(tenant),
    ];
    const systemCreds = await fixClientCredentials(stack, 'IntegrationSystem', system, tenant);
    const otherCreds = await fixClientCredentials(stack, 'IntegrationSystem', other, tenant);
    secrets.push(
      appCreds.clientSecret,
      runtimeCreds.clientSecret,
      systemCreds.clientSecret,
      otherCreds.clientSecret,
    );

    const asApp = await accessToken(appCreds);
    expect((await gqlAs(stack, asApp, APP_AUTHS, { id: app })).body).toEqual({
      data: { application: { auths: [shown(appCreds)] } },
    });

    const asRuntime = await accessToken(runtimeCreds);
    expect((await gqlAs(stack, asRuntime, RUNTIME_AUTHS, { id: runtime })).body).toEqual({
      data: { runtime: { auths: [shown(runtimeCreds)] } },
    });
    // The runtime reads the application of its scenario, but not the application's secret.
    expect((await gqlAs(stack, asRuntime, APP_AUTHS, { id: app })).body).toEqual({
      data: { application: { auths: [{ id: appCreds.id, auth: null }] } },
    });

    const asSystem = await accessToken(systemCreds);
    expect((await gqlAs(stack, asSystem, SYSTEM_AUTHS, { id: system }, tenant)).body).toEqual({
      data: { integrationSystem: { auths: [shown(systemCreds)] } },
    });
    expect((await gqlAs(stack, asSystem, SYSTEM_AUTHS, { id: other }, tenant)).body).toEqual({
      data: { integrationSystem: { auths: [{ id: otherCreds.id, auth: null }] } },
    });
    expect((await gqlAs(stack, asSystem, APP_AUTHS, { id: app }, tenant)).body).toEqual({
      data: { application: { auths: [{ id: appCreds.id, auth: null }] } },
    });
  });

  it('shows no credential that cannot be opened, and says so in the log without the secret', async () => {
    const tenant = fixTenant();
    const app = await registerApp(tenant, 'resealed', {});
    const first = await fixClientCredentials(stack, 'Application', app, tenant);
    const second = await fixClientCredentials(stack, 'Application', app, tenant);
    secrets.push(first.clientSecret, second.clientSecret);
    const col = stack.mongo.db.collection(CLIENT_CREDENTIALS);
    const foreignKey = new SecretBox(randomBytes(32)).sealJson({ clientId: first.id, clientSecret: 'x' });
    await col.updateOne({ _id: first.id as never }, { $set: { sealedSecret: foreignKey } });
    // A secret sealed for another client ID does not open as this client's.
    const otherClients = loadSecretBox({ dataDir: stack.dataDir }).sealJson({
      clientId: first.id,
      clientSecret: 'y',
    });
    await col.updateOne({ _id: second.id as never }, { $set: { sealedSecret: otherClients } });

    const listed = await okData<{ auths: Array<{ id: string; auth: unknown }> }>(
      stack,
      APP_AUTHS,
      { id: app },
      tenant,
    );
    expect(listed.auths).toEqual(
      expect.arrayContaining([
        { id: first.id, auth: null },
        { id: second.id, auth: null },
      ]),
    );
    for (const id of [first.id, second.id]) {
      expect(logLines.some((l) => l.includes(id) && l.includes('cannot be shown'))).toBe(true);
    }
    // The token endpoint still verifies the hash.
    expect((await requestToken(first.url, first)).status).toBe(200);
  });
});
