import { REGISTER } from '../fixtures/applications';
import { SET_LABEL } from '../fixtures/labels';
import { REGISTER_RUNTIME } from '../fixtures/runtimes';
import {
  CONFIGURATION,
  SIGN,
  fixCsr,
  pem,
  subjectOf,
  type MtlsCredentials,
} from '../integration/mtls-client';
import type { CallResult, FaultClient, GatewayEndpoint } from './client';

/** The kinds of operation the load mixes. */
export const OperationKind = {
  registration: 'registration',
  label: 'label write',
  pairing: 'pairing',
  heartbeat: 'heartbeat',
  credentials: 'credential request',
} as const;
export type OperationKind = (typeof OperationKind)[keyof typeof OperationKind];

/** The label every labelled application of the load carries: its name. */
export const LOAD_LABEL = 'load';

const OTT_APP = `mutation($id: ID!) { requestOneTimeTokenForApplication(id: $id) { token } }`;
const OTT_RUNTIME = `mutation($id: ID!) { requestOneTimeTokenForRuntime(id: $id) { token } }`;
const VIEWER = `{ viewer { id type } }`;
const ADD_BUNDLE = `mutation($app: ID!, $in: BundleCreateInput!) { addBundle(applicationID: $app, in: $in) { id } }`;
const REQUEST_AUTH = `mutation($b: ID!, $in: BundleInstanceAuthRequestInput!) {
  requestBundleInstanceAuthCreation(bundleID: $b, in: $in) { id } }`;
const SET_AUTH = `mutation($id: ID!, $in: BundleInstanceAuthSetInput!) {
  setBundleInstanceAuth(authID: $id, in: $in) { id status { condition } } }`;
const REPORT = `mutation($in: RuntimeHealthInput!) { reportRuntimeHealth(in: $in) }`;
const BASIC = { credential: { basic: { username: 'svc', password: 'load-secret' } } };

/** One tenant's fixed objects the load works on, made by `prepareTenant`. */
export interface LoadTenant {
  readonly tenant: string;
  readonly authorization: string;
  /** The bundle credential requests are made for. */
  readonly bundleId: string;
  /** A paired runtime whose agent the load plays: it heartbeats over mTLS. */
  readonly runtimeId: string;
  readonly runtimeCredentials: MtlsCredentials;
}

/** A Director call of a user of the tenant (the user's bearer token). */
function director<T>(
  client: FaultClient,
  gateway: GatewayEndpoint,
  t: Pick<LoadTenant, 'tenant' | 'authorization'>,
  query: string,
  variables: Record<string, unknown>,
): Promise<CallResult<T>> {
  const headers = { tenant: t.tenant, authorization: t.authorization };
  return client.gql<T>(gateway, 'director', headers, query, variables);
}

/**
 * Redeems a one-time token at the Connector (configuration, CSR with a fresh key, certificate),
 * then makes the client's first certificate-authenticated call, which completes the pairing.
 */
async function pairWithToken(
  client: FaultClient,
  gateway: GatewayEndpoint,
  token: string,
): Promise<CallResult<MtlsCredentials>> {
  const config = await client.gql<{
    configuration: { token: { token: string }; certificateSigningRequestInfo: { subject: string } };
  }>(gateway, 'connector', { 'connector-token': token }, CONFIGURATION);
  if (!config.ok) return config;
  const { keys, csr } = fixCsr(subjectOf(config.data.configuration.certificateSigningRequestInfo.subject));
  const signed = await client.gql<{
    signCertificateSigningRequest: { clientCertificate: string; caCertificate: string };
  }>(gateway, 'connector', { 'connector-token': config.data.configuration.token.token }, SIGN, { csr });
  if (!signed.ok) return signed;
  const credentials = {
    cert: pem(signed.data.signCertificateSigningRequest.clientCertificate),
    key: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    ca: pem(signed.data.signCertificateSigningRequest.caCertificate),
  };
  const first = await client.mtls(gateway, credentials, VIEWER);
  return first.ok ? { ok: true, data: credentials } : first;
}

/** Registers an application; its ID when acknowledged. */
export async function registerApplication(
  client: FaultClient,
  gateway: GatewayEndpoint,
  t: Pick<LoadTenant, 'tenant' | 'authorization'>,
  name: string,
): Promise<CallResult<string>> {
  const res = await director<{ registerApplication: { id: string } }>(client, gateway, t, REGISTER, {
    in: { name },
  });
  return res.ok ? { ok: true, data: res.data.registerApplication.id } : res;
}

/** Sets the application's LOAD_LABEL to `value`. */
export async function writeLabel(
  client: FaultClient,
  gateway: GatewayEndpoint,
  t: LoadTenant,
  appId: string,
  value: string,
): Promise<CallResult<unknown>> {
  return director(client, gateway, t, SET_LABEL, { id: appId, key: LOAD_LABEL, value });
}

/** Pairs the application: one-time token, Connector, certificate, first mTLS call. */
export async function pairApplication(
  client: FaultClient,
  gateway: GatewayEndpoint,
  t: LoadTenant,
  appId: string,
): Promise<CallResult<MtlsCredentials>> {
  const ott = await director<{ requestOneTimeTokenForApplication: { token: string } }>(
    client,
    gateway,
    t,
    OTT_APP,
    { id: appId },
  );
  if (!ott.ok) return ott;
  return pairWithToken(client, gateway, ott.data.requestOneTimeTokenForApplication.token);
}

/** A heartbeat of the tenant's runtime over mTLS. */
export function heartbeat(client: FaultClient, gateway: GatewayEndpoint, t: LoadTenant) {
  return client.mtls(gateway, t.runtimeCredentials, REPORT, {
    in: {
      runtimeID: t.runtimeId,
      status: 'UP',
      checks: [{ name: 'connection', status: 'UP' }],
      intervalSeconds: 60,
    },
  });
}

/**
 * A credential request for the tenant's bundle (its context carries `marker`), answered at once
 * by the application's credentials: acknowledged when the request is SUCCEEDED. Its ID when it
 * was created, even if setting it failed.
 */
export async function requestCredentials(
  client: FaultClient,
  gateway: GatewayEndpoint,
  t: LoadTenant,
  marker: string,
): Promise<{ id?: string; result: CallResult<unknown> }> {
  const req = await director<{ requestBundleInstanceAuthCreation: { id: string } }>(
    client,
    gateway,
    t,
    REQUEST_AUTH,
    { b: t.bundleId, in: { context: JSON.stringify({ marker }) } },
  );
  if (!req.ok) return { result: req };
  const id = req.data.requestBundleInstanceAuthCreation.id;
  const set = await director<{ setBundleInstanceAuth: { status: { condition: string } } }>(
    client,
    gateway,
    t,
    SET_AUTH,
    { id, in: { auth: BASIC } },
  );
  if (set.ok && set.data.setBundleInstanceAuth.status.condition !== 'SUCCEEDED') {
    return { id, result: { ok: false, code: `status ${set.data.setBundleInstanceAuth.status.condition}` } };
  }
  return { id, result: set };
}

/** Fails with the call's code: the objects a load runs on must exist before it starts. */
function must<T>(res: CallResult<T>, what: string): T {
  if (!res.ok) throw new Error(`${what} failed: ${res.code}`);
  return res.data;
}

/** Makes a tenant's bundle and a paired runtime (through `gateway`), before any fault. */
export async function prepareTenant(
  client: FaultClient,
  gateway: GatewayEndpoint,
  tenant: string,
  authorization: string,
): Promise<LoadTenant> {
  const t = { tenant, authorization };
  const owner = must(await registerApplication(client, gateway, t, 'bundle-owner'), 'registration');
  const bundle = must(
    await director<{ addBundle: { id: string } }>(client, gateway, t, ADD_BUNDLE, {
      app: owner,
      in: { name: 'orders' },
    }),
    'addBundle',
  );
  const runtime = must(
    await director<{ registerRuntime: { id: string } }>(client, gateway, t, REGISTER_RUNTIME, {
      in: { name: 'load-runtime' },
    }),
    'registerRuntime',
  );
  const runtimeId = runtime.registerRuntime.id;
  const ott = must(
    await director<{ requestOneTimeTokenForRuntime: { token: string } }>(client, gateway, t, OTT_RUNTIME, {
      id: runtimeId,
    }),
    'requestOneTimeTokenForRuntime',
  );
  const runtimeCredentials = must(
    await pairWithToken(client, gateway, ott.requestOneTimeTokenForRuntime.token),
    'runtime pairing',
  );
  return { ...t, bundleId: bundle.addBundle.id, runtimeId, runtimeCredentials };
}
