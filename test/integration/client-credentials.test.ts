import { decodeJwt } from 'jose';
import { errorCode } from '../fixtures/errors';
import { fixScenarioKit } from '../fixtures/runtime-scenarios';
import { fixTenant, startStack, type Stack } from './harness';
import { accessToken, fixClientCredentials, gqlAs, requestToken } from './oauth-client';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const { registerRuntime, registerApp } = fixScenarioKit(() => stack);

async function registerIntegrationSystem(tenant: string): Promise<string> {
  const res = await stack.gql<{ registerIntegrationSystem: { id: string } }>(
    `mutation($name: String!) { registerIntegrationSystem(in: { name: $name }) { id } }`,
    { name: `is-${Date.now()}-${Math.random().toString(36).slice(2, 8)}` },
    tenant,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.registerIntegrationSystem.id;
}

describe('client credentials', () => {
  it('issues credentials, exchanges them for a token (form and Basic), and stores the secret only hashed and sealed', async () => {
    const tenant = fixTenant();
    const appId = await registerApp(tenant, 'oauth-app', {});
    const creds = await fixClientCredentials(stack, 'Application', appId, tenant);
    expect(creds.clientId).toBe(creds.id);
    expect(creds.url).toBe(`${stack.url}/oauth/token`);
    expect(Buffer.from(creds.clientSecret, 'base64url')).toHaveLength(32);

    const form = await requestToken(creds.url, creds);
    expect(form.status).toBe(200);
    expect(form.body).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 3600 });
    const basic = await requestToken(creds.url, creds, { basic: true });
    expect(basic.status).toBe(200);
    const claims = decodeJwt(basic.body.access_token as string);
    expect(claims).toMatchObject({
      iss: 'compass-gateway',
      consumerType: 'Application',
      consumerID: appId,
      tenant,
      scopes: 'application:read application:write',
    });
    expect(claims.exp! - claims.iat!).toBe(3600);

    const me = await gqlAs<{ viewer: { id: string; type: string } }>(
      stack,
      form.body.access_token as string,
      `{ viewer { id type } }`,
    );
    expect(me.body).toEqual({ data: { viewer: { id: appId, type: 'APPLICATION' } } });

    const listed = await stack.gql(
      `query($id: ID!) { application(id: $id) { auths { id auth { credential { ... on OAuthCredentialData { clientSecret } } } } } }`,
      { id: appId },
      tenant,
    );
    expect(listed.body).toEqual({
      data: {
        application: {
          auths: [{ id: creds.id, auth: { credential: { clientSecret: creds.clientSecret } } }],
        },
      },
    });
    const stored = await stack.mongo.db.collection('client_credentials').findOne({ _id: creds.id as never });
    expect(JSON.stringify(stored)).not.toContain(creds.clientSecret);
    for (const body of [form.body, basic.body])
      expect(JSON.stringify(body)).not.toContain(creds.clientSecret);
  });

  it('refuses a wrong secret, an unknown client, a missing client and an unsupported grant', async () => {
    const tenant = fixTenant();
    const rt = await registerRuntime(tenant);
    const creds = await fixClientCredentials(stack, 'Runtime', rt.id, tenant);

    for (const attempt of [
      await requestToken(creds.url, { ...creds, clientSecret: 'wrong' }),
      await requestToken(creds.url, { ...creds, clientSecret: 'wrong' }, { basic: true }),
      await requestToken(creds.url, { ...creds, clientId: 'nobody' }),
    ]) {
      expect(attempt.status).toBe(401);
      expect(attempt.body.error).toBe('invalid_client');
    }
    const grant = await requestToken(creds.url, creds, { grantType: 'password' });
    expect(grant).toEqual({
      status: 400,
      body: expect.objectContaining({ error: 'unsupported_grant_type' }),
    });

    const noGrant = await fetch(creds.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'client_id=x',
    });
    expect(noGrant.status).toBe(400);
    expect(((await noGrant.json()) as { error: string }).error).toBe('invalid_request');
    const json = await fetch(creds.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expect(json.status).toBe(400);
  });

  it('deletes a SystemAuth in its own tenant only; a deleted one gets no token', async () => {
    const tenant = fixTenant();
    const appId = await registerApp(tenant, 'to-delete', {});
    const creds = await fixClientCredentials(stack, 'Application', appId, tenant);
    const DELETE = `mutation($id: ID!) { deleteSystemAuthForApplication(authID: $id) { id auth { additionalHeaders } } }`;

    const foreign = await stack.gql(DELETE, { id: creds.id }, fixTenant());
    expect(errorCode(foreign)).toBe(20);
    const wrongKind = await stack.gql(
      `mutation($id: ID!) { deleteSystemAuthForRuntime(authID: $id) { id } }`,
      { id: creds.id },
      tenant,
    );
    expect(errorCode(wrongKind)).toBe(20);
    const issued = await accessToken(creds);

    const deleted = await stack.gql(DELETE, { id: creds.id }, tenant);
    expect(deleted.body).toEqual({ data: { deleteSystemAuthForApplication: { id: creds.id, auth: null } } });
    const refused = await requestToken(creds.url, creds);
    expect(refused).toEqual({ status: 401, body: expect.objectContaining({ error: 'invalid_client' }) });
    expect(errorCode(await gqlAs(stack, issued, '{ viewer { id } }'))).toBe(26);
    expect(errorCode(await stack.gql(DELETE, { id: creds.id }, tenant))).toBe(20);
  });

  it('stops authenticating an application or runtime once it is unregistered', async () => {
    const tenant = fixTenant();
    const appId = await registerApp(tenant, 'short-lived', {});
    const runtimeId = (await registerRuntime(tenant, { name: 'short-lived-runtime' })).id;
    const appCreds = await fixClientCredentials(stack, 'Application', appId, tenant);
    const runtimeCreds = await fixClientCredentials(stack, 'Runtime', runtimeId, tenant);
    const tokens = [await accessToken(appCreds), await accessToken(runtimeCreds)];
    for (const token of tokens) {
      expect((await gqlAs(stack, token, '{ viewer { id } }')).body.errors).toBeUndefined();
    }

    const unregisterApp = await stack.gql(
      `mutation($id: ID!) { unregisterApplication(id: $id) { id } }`,
      { id: appId },
      tenant,
    );
    expect(unregisterApp.body.errors).toBeUndefined();
    const unregisterRuntime = await stack.gql(
      `mutation($id: ID!) { unregisterRuntime(id: $id) { id } }`,
      { id: runtimeId },
      tenant,
    );
    expect(unregisterRuntime.body.errors).toBeUndefined();

    for (const creds of [appCreds, runtimeCreds]) {
      expect(await requestToken(creds.url, creds)).toEqual({
        status: 401,
        body: expect.objectContaining({ error: 'invalid_client' }),
      });
    }
    // Tokens issued before stop working at once, not when they expire.
    for (const token of tokens) expect(errorCode(await gqlAs(stack, token, '{ viewer { id } }'))).toBe(26);
  });

  it('lets an integration system act in the tenant named by the Tenant header', async () => {
    const home = fixTenant();
    const other = fixTenant();
    const systemId = await registerIntegrationSystem(home);
    const creds = await fixClientCredentials(stack, 'IntegrationSystem', systemId, home);
    const token = await accessToken(creds);
    expect(decodeJwt(token)).toMatchObject({ consumerType: 'Integration System', consumerID: systemId });

    const listed = await stack.gql<{ integrationSystem: { auths: { id: string }[] } }>(
      `query($id: ID!) { integrationSystem(id: $id) { auths { id } } }`,
      { id: systemId },
      home,
    );
    expect(listed.body.data!.integrationSystem.auths).toEqual([{ id: creds.id }]);

    const noTenant = await gqlAs(stack, token, `{ applications { totalCount } }`);
    expect(errorCode(noTenant)).toBe(24);
    const registered = await gqlAs<{ registerApplication: { id: string } }>(
      stack,
      token,
      `mutation { registerApplication(in: { name: "by-integration" }) { id } }`,
      {},
      other,
    );
    expect(registered.body.errors).toBeUndefined();
    const inOther = await stack.gql<{ applications: { data: { id: string }[] } }>(
      `{ applications { data { id } } }`,
      {},
      other,
    );
    expect(inOther.body.data!.applications.data.map((a) => a.id)).toEqual([
      registered.body.data!.registerApplication.id,
    ]);
    // The SystemAuth lives in the tenant it was requested in: another tenant cannot delete it.
    const del = `mutation($id: ID!) { deleteSystemAuthForIntegrationSystem(authID: $id) { id } }`;
    expect(errorCode(await stack.gql(del, { id: creds.id }, other))).toBe(20);
    expect((await stack.gql(del, { id: creds.id }, home)).body.errors).toBeUndefined();
  });

  it('refuses credentials for objects of another tenant', async () => {
    const tenant = fixTenant();
    const appId = await registerApp(tenant, 'mine', {});
    const res = await stack.gql(
      `mutation($id: ID!) { requestClientCredentialsForApplication(id: $id) { id } }`,
      { id: appId },
      fixTenant(),
    );
    expect(errorCode(res)).toBe(20);
  });
});
