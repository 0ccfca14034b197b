import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker, type WorkerOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import { type Gateway, startGateway } from '../api/server';
import { connectMongo, type MongoHandle } from '../store/mongo';
import { ensureIndexes } from '../store/indexes';
import { createWorker } from '../workers/worker';
import { type Config, loadConfig } from '../infra/config';
import { issueDevToken, loadOrCreateDevIssuer } from '../api/auth/dev-issuer';
import { allScopes } from '../api/auth/scopes';
import { loadSecretBox } from '../infra/secret-box';
import { certificateSubject } from '../infra/trust';
import { type CertificateAuthority, loadOrCreateCa } from '../pki';
import type { Provider } from '../activities/provider';
import { LocalProvider } from '../activities/provider/local';
import { AGENT_MAIN, agentTokenSettings } from '../workers/provisioning';

const DEFAULT_SUBJECT = 'O=Org,OU=OrgUnit,L=Locality,ST=State,C=PL';
let testCa: Promise<CertificateAuthority> | undefined;

/** One CA per process for in-process stacks (created once, in a temporary directory). */
function sharedTestCa(): Promise<CertificateAuthority> {
  testCa ??= loadOrCreateCa({ dir: path.join(PROCESS_DATA_DIR, 'ca') });
  return testCa;
}

/** Data of in-process stacks (CA, local token issuer): one directory per process. */
const PROCESS_DATA_DIR = path.join(os.tmpdir(), `compass-stack-${process.pid}`);

/**
 * A bearer token of the local development issuer holding every scope (or `scopes`), without
 * a tenant claim: requests name their tenant in the `Tenant` header.
 */
export async function devAuthorization(scopes: readonly string[] = allScopes()): Promise<string> {
  const issuer = await loadOrCreateDevIssuer(PROCESS_DATA_DIR);
  return `Bearer ${await issueDevToken(issuer, { tenant: '', scopes, consumerId: 'tester', ttlSec: 3600 })}`;
}

/** The gateway and a worker in this process, on a task queue and database of their own. */
export interface InProcessStack {
  readonly url: string;
  /** Base URL of the gateway's mTLS listener (client certificates). */
  readonly mtlsUrl: string;
  /** Base URL of the Connector's internal API (loopback only). */
  readonly internalConnectorUrl: string;
  /** The CA that signs client certificates and the mTLS listener's certificate. */
  readonly ca: CertificateAuthority;
  /** Data of this process's stacks: its CA and local token issuer. */
  readonly dataDir: string;
  readonly client: Client;
  readonly mongo: MongoHandle;
  readonly taskQueue: string;
  /** Where the local provider keeps this stack's runtimes. */
  readonly runtimesDir: string;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  /** Stops the gateway (its listeners and heartbeat intake pulse); the worker keeps running. */
  stopGateway(): Promise<void>;
  /** Starts the gateway again on the same ports (same URLs). */
  startGateway(): Promise<void>;
  close(): Promise<void>;
}

export interface InProcessStackOptions {
  readonly temporalAddress: string;
  readonly namespace: string;
  /** A full MongoDB URI; its database is dropped on close. */
  readonly mongoUri: string;
  readonly workflowBundle: WorkerOptions['workflowBundle'];
  readonly log: Logger;
  /** Start the worker right away (default true). */
  readonly worker?: boolean;
  /** The CA signing client certificates; one per process in a temporary directory by default. */
  readonly ca?: CertificateAuthority;
  /** Validity of issued client certificates (default 24 h); seconds in rotation tests. */
  readonly certificateValidityMs?: number;
  /** How long a renewed certificate stays valid before it is revoked (default 1 h). */
  readonly certificateGraceMs?: number;
  /** Create unknown tenants on first use (default true). */
  /** Let spec fetches reach loopback and private addresses (tests serve specs on loopback). */
  readonly specFetchAllowPrivateNetworks?: boolean;
  readonly tenantAutoCreate?: boolean;
  /** Applications hidden from runtimes (APP_HIDE_SELECTORS; default none). */
  readonly appHideSelectors?: Record<string, string[]>;
  /** Lifetime of application one-time tokens (APP_TOKEN_TTL_SECONDS; default 300). */
  readonly appTokenTtlSeconds?: number;
  /** Lifetime of CSR tokens (CSR_TOKEN_TTL_SECONDS; default 300). */
  readonly csrTokenTtlSeconds?: number;
  /** Runtime health settings of the gateway (grace period, heartbeat intake pulse). */
  readonly runtimeHealth?: Partial<
    Pick<
      Config,
      | 'RUNTIME_HEALTH_GRACE_SECONDS'
      | 'RUNTIME_HEALTH_MIN_GRACE_SECONDS'
      | 'RUNTIME_HEALTH_PULSE_SECONDS'
      | 'MTLS_KEEP_ALIVE_SECONDS'
    >
  >;
  /** Let webhooks be called on loopback and private addresses (WEBHOOK_ALLOW_PRIVATE_NETWORKS; default false). */
  readonly webhookAllowPrivateNetworks?: boolean;
  /** Credential-request timing (WEBHOOK_*, CREDENTIAL_REQUEST_TIMEOUT_SECONDS); defaults otherwise. */
  readonly credentialRequests?: Partial<
    Pick<
      Config,
      | 'WEBHOOK_RETRY_SCHEDULE_MS'
      | 'WEBHOOK_ATTEMPT_TIMEOUT_MS'
      | 'WEBHOOK_POLL_INTERVAL_MS'
      | 'WEBHOOK_ASYNC_TIMEOUT_SECONDS'
      | 'WEBHOOK_POLLS_PER_RUN'
      | 'CREDENTIAL_REQUEST_TIMEOUT_SECONDS'
    >
  >;
  /** Providers of the worker (default: the local provider in a directory of this stack) and stage limits. */
  readonly provisioning?: {
    readonly providers?: readonly Provider[];
    readonly settings?: Partial<
      Pick<
        Config,
        | 'PROVISION_CREATE_TIMEOUT_SECONDS'
        | 'PROVISION_INSTALL_TIMEOUT_SECONDS'
        | 'PROVISION_CONNECT_TIMEOUT_SECONDS'
        | 'PROVISION_DELETE_TIMEOUT_SECONDS'
        | 'PROVISION_STEP_TIMEOUT_SECONDS'
        | 'PROVISION_POLL_SECONDS'
      >
    >;
  };
}

/** Used by integration tests and benchmarks; `npm start` runs the same parts as processes. */
export async function startInProcessStack(opts: InProcessStackOptions): Promise<InProcessStack> {
  const taskQueue = `q-${randomUUID()}`;
  const ca = opts.ca ?? (await sharedTestCa());
  const certificateValidityMs = opts.certificateValidityMs ?? 24 * 3_600_000;
  const runtimesDir = path.join(PROCESS_DATA_DIR, 'runtimes', taskQueue);
  const providers = opts.provisioning?.providers ?? [
    new LocalProvider({ root: runtimesDir, agentCommand: [process.execPath, AGENT_MAIN] }),
  ];
  const mongo = await connectMongo(opts.mongoUri);
  await ensureIndexes(mongo.db);
  const connection = await Connection.connect({ address: opts.temporalAddress });
  const client = new Client({ connection, namespace: opts.namespace });
  const launchGateway = (ports: { PORT: number; MTLS_PORT: number; INTERNAL_CONNECTOR_PORT: number }) =>
    startGateway({
      config: {
        ...loadConfig({}),
        DATA_DIR: PROCESS_DATA_DIR,
        HOST: '127.0.0.1',
        ...ports,
        TEMPORAL_TASK_QUEUE: taskQueue,
        REQUEST_TIMEOUT_MS: 60_000,
        BODY_LIMIT: '100kb',
        RATE_LIMIT_PER_MINUTE: 0, // tests and benchmarks call from one address; rate-limit tests set their own
        TENANT_AUTO_CREATE: opts.tenantAutoCreate ?? true,
        APP_HIDE_SELECTORS: opts.appHideSelectors ?? {},
        CERT_GRACE_SECONDS: (opts.certificateGraceMs ?? 3_600_000) / 1000,
        ...(opts.appTokenTtlSeconds !== undefined && { APP_TOKEN_TTL_SECONDS: opts.appTokenTtlSeconds }),
        ...(opts.csrTokenTtlSeconds !== undefined && { CSR_TOKEN_TTL_SECONDS: opts.csrTokenTtlSeconds }),
        ...opts.credentialRequests,
        ...opts.runtimeHealth,
        ...opts.provisioning?.settings,
      },
      db: mongo.db,
      temporal: client,
      log: opts.log,
      ca,
      providers: providers.map((p) => p.descriptor),
    });
  let gateway: Gateway | undefined = await launchGateway({
    PORT: 0,
    MTLS_PORT: 0,
    INTERNAL_CONNECTOR_PORT: 0,
  }).catch(async (err: unknown) => {
    await connection.close();
    await mongo.close();
    throw err;
  });
  const ports = {
    PORT: Number(new URL(gateway.url).port),
    MTLS_PORT: Number(new URL(gateway.mtlsUrl).port),
    INTERNAL_CONNECTOR_PORT: Number(new URL(gateway.internalConnectorUrl).port),
  };
  const { url, mtlsUrl, internalConnectorUrl } = gateway;
  const stopGateway = async () => {
    const g = gateway;
    gateway = undefined;
    await g?.close();
  };

  let worker: { worker: Worker; running: Promise<void>; connection: NativeConnection } | undefined;
  const startWorker = async () => {
    if (worker) return;
    const nativeConnection = await NativeConnection.connect({ address: opts.temporalAddress });
    const w = await createWorker({
      connection: nativeConnection,
      namespace: opts.namespace,
      taskQueue,
      db: mongo.db,
      workflowBundle: opts.workflowBundle,
      specFetchAllowPrivateNetworks: opts.specFetchAllowPrivateNetworks ?? false,
      webhookAllowPrivateNetworks: opts.webhookAllowPrivateNetworks ?? false,
      secretBox: loadSecretBox({ dataDir: PROCESS_DATA_DIR }),
      trust: { ca, subject: certificateSubject({ CERT_SUBJECT: DEFAULT_SUBJECT }), certificateValidityMs },
      provisioning: {
        providers,
        agentTokens: agentTokenSettings({
          ...loadConfig({}),
          PUBLIC_URL: url,
          CERT_GRACE_SECONDS: (opts.certificateGraceMs ?? 3_600_000) / 1000,
        }),
      },
    });
    worker = { worker: w, running: w.run(), connection: nativeConnection };
  };
  const stopWorker = async () => {
    if (!worker) return;
    const { worker: w, running, connection: c } = worker;
    worker = undefined;
    w.shutdown();
    await running;
    await c.close();
  };
  if (opts.worker !== false) await startWorker();

  return {
    url,
    mtlsUrl,
    internalConnectorUrl,
    ca,
    dataDir: PROCESS_DATA_DIR,
    client,
    mongo,
    taskQueue,
    runtimesDir,
    startWorker,
    stopWorker,
    stopGateway,
    startGateway: async () => {
      gateway ??= await launchGateway(ports);
    },
    close: async () => {
      await stopWorker();
      await stopGateway();
      await connection.close();
      await mongo.db.dropDatabase();
      await mongo.close();
    },
  };
}
