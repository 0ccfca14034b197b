import {
  type ActivityInterceptorsFactory,
  type NativeConnection,
  Worker,
  type WorkerOptions,
} from '@temporalio/worker';
import type { Db } from 'mongodb';
import { createActivities } from '../activities';
import { DEFAULT_FETCH_LIMITS } from '../activities/http-fetch';
import type { TrustActivityDeps } from '../activities/trust';
import { CertificateRepository } from '../store/certificates';
import { ClientCredentialRepository } from '../store/client-credentials';
import { SystemAuthRepository } from '../store/system-auths';
import { OneTimeTokenRepository } from '../store/one-time-tokens';
import { ApplicationRepository } from '../store/applications';
import { BundleRepository } from '../store/bundles';
import { RuntimeContextRepository } from '../store/runtime-contexts';
import {
  HeartbeatIntakeRepository,
  RuntimeHealthRecordRepository,
  RuntimeHealthRepository,
} from '../store/runtime-health';
import { RuntimeRepository } from '../store/runtimes';
import { WebhookRepository } from '../store/webhooks';
import { BundleInstanceAuthRepository } from '../store/bundle-instance-auths';
import type { SecretBox } from '../infra/secret-box';
import type { AgentTokenSettings, Provider } from '../activities/provider';
import { ProvisioningRepository } from '../store/provisioning';

export interface WorkerDeps {
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly db: Db;
  /** The certificate authority and the rules for the client certificates it signs. */
  readonly trust: Pick<TrustActivityDeps, 'ca' | 'subject' | 'certificateValidityMs'>;
  /** A prebuilt bundle (tests, benchmarks); otherwise the worker bundles `workflows/`. */
  readonly workflowBundle?: WorkerOptions['workflowBundle'];
  /** Whether spec fetches may reach non-public addresses (SPEC_FETCH_ALLOW_PRIVATE_NETWORKS). */
  readonly specFetchAllowPrivateNetworks?: boolean;
  /** Opens webhook secrets and seals delivered credentials; shared with the gateway. */
  readonly secretBox: SecretBox;
  /** Whether webhooks may be called on non-public addresses (WEBHOOK_ALLOW_PRIVATE_NETWORKS). */
  readonly webhookAllowPrivateNetworks?: boolean;
  /** The Provisioner's providers and how agents get their tokens; none: no operation can run. */
  readonly provisioning?: {
    readonly providers: readonly Provider[];
    readonly agentTokens: AgentTokenSettings;
  };
  /** After `shutdown()` (SIGTERM), how long tasks in flight may finish before they are cancelled (SDK default: 0). */
  readonly shutdownGraceMs?: number;
  /** Activity interceptors, e.g. the worker's metrics. */
  readonly activityInterceptors?: ActivityInterceptorsFactory[];
  /** Workflows kept in memory between tasks (WORKER_MAX_CACHED_WORKFLOWS); unset: the SDK's default. */
  readonly maxCachedWorkflows?: number;
}

/** Path of the workflow code; resolves to the .ts source under test and to .js when built. */
export const workflowsPath = require.resolve('../workflows');

/**
 * How the workflow code is bundled: its modules hold no state of their own, so they are
 * loaded once into the worker's shared V8 context (where their exports are frozen) instead
 * of once for every workflow run, which would cost time and memory per run.
 */
export const workflowBundling = { workflowsPath, preloadModules: [workflowsPath] };

/** Without provisioning settings no provider exists, so no agent token is ever issued. */
const NO_AGENT_TOKENS: AgentTokenSettings = {
  connectorUrl: '',
  tokenTtlMs: 0,
  csrTokenTtlMs: 0,
  connectWindowMs: 0,
  certificateGraceMs: 0,
};

/** Builds the worker that runs every workflow and activity of the project. */
export async function createWorker(deps: WorkerDeps): Promise<Worker> {
  const bundles = new BundleRepository(deps.db);
  const activities = createActivities({
    bundles,
    specs: bundles,
    applications: new ApplicationRepository(deps.db),
    runtimes: new RuntimeRepository(deps.db),
    runtimeContexts: new RuntimeContextRepository(deps.db),
    runtimeHealth: new RuntimeHealthRepository(deps.db),
    runtimeHealthRecords: new RuntimeHealthRecordRepository(deps.db),
    heartbeatIntake: new HeartbeatIntakeRepository(deps.db),
    webhooks: new WebhookRepository(deps.db),
    tokens: new OneTimeTokenRepository(deps.db),
    certificates: new CertificateRepository(deps.db),
    systemAuths: new SystemAuthRepository(deps.db),
    credentials: new ClientCredentialRepository(deps.db),
    fetchLimits: {
      ...DEFAULT_FETCH_LIMITS,
      allowPrivateNetworks: deps.specFetchAllowPrivateNetworks ?? false,
    },
    instanceAuths: new BundleInstanceAuthRepository(deps.db),
    secretBox: deps.secretBox,
    webhookAllowPrivateNetworks: deps.webhookAllowPrivateNetworks ?? false,
    provisioning: new ProvisioningRepository(deps.db),
    providers: deps.provisioning?.providers ?? [],
    agentTokens: deps.provisioning?.agentTokens ?? NO_AGENT_TOKENS,
    ...deps.trust,
  });
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    activities,
    ...(deps.shutdownGraceMs !== undefined && { shutdownGraceTime: deps.shutdownGraceMs }),
    ...(deps.maxCachedWorkflows !== undefined && { maxCachedWorkflows: deps.maxCachedWorkflows }),
    ...(deps.activityInterceptors && { interceptors: { activity: deps.activityInterceptors } }),
    ...(deps.workflowBundle
      ? { workflowBundle: deps.workflowBundle }
      : { workflowsPath, bundlerOptions: { preloadModules: workflowBundling.preloadModules } }),
  });
}
