import {
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
} from '@temporalio/workflow';
import type { IdentityStoreActivities } from '../../activities/identity-store';
import type { ProviderActivities } from '../../activities/provider';
import { runtimeWorkflowId } from '../../domain/ids';
import { type LastError, OperationType, Stage } from '../../domain/provisioning';
import { STORE_WRITES } from '../shared/local-activities';
import { operationFinishedSignal, awaitAgentSignal } from '../runtime/messages';
import {
  agentConnectedSignal,
  cancelOperationSignal,
  type ClusterRef,
  getOperationQuery,
  type OperationOutcome,
  type ProvisioningArgs,
} from './messages';
import { errorMessage, errorType, OperationProgress, STAGE_TIMEOUT } from './state';

/** Errors a provider declares permanent; anything else is retried with backoff until the stage's limit. */
const NON_RETRYABLE = ['ProviderError', 'InvalidData', 'NotFound', 'InvalidOperation'];
const RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' };

const identities = proxyLocalActivities<IdentityStoreActivities>(STORE_WRITES);

/** One compensation: the stages that undo a completed one, run in reverse order on failure. */
interface Compensation {
  readonly name: string;
  readonly run: () => Promise<unknown>;
}

/**
 * One provisioning operation on a runtime (`provision/<tenant>/<runtimeId>/<operationId>`),
 * started by the runtime's workflow, which runs one operation at a time. Each stage has its
 * own time limit; provider calls are idempotent activities retried with backoff (waits are
 * heartbeating activities, not timer loops). A failed or cancelled operation runs the
 * compensations of its completed stages in reverse order; the outcome goes to the runtime's
 * workflow, which writes the runtime's status (FAILED, CONNECTED) or unregisters it.
 */
export async function provisioningWorkflow(args: ProvisioningArgs): Promise<OperationOutcome> {
  const progress = new OperationProgress(args);
  /** The operation's stages; cancelled by the runtime's workflow or by cancelling this workflow. */
  const operation = new CancellationScope();
  setHandler(cancelOperationSignal, () => operation.cancel());
  setHandler(agentConnectedSignal, () => {
    progress.agentConnected = true;
  });
  setHandler(getOperationQuery, () => progress.snapshot());

  const limits = args.settings.stageLimitsMs;
  const ref: ClusterRef = {
    tenantId: args.tenantId,
    runtimeId: args.runtimeId,
    operationId: args.operationId,
  };
  const calls = (stage: Stage) =>
    proxyActivities<ProviderActivities>({
      startToCloseTimeout: Math.min(limits[stage], 120_000),
      retry: { ...RETRY, nonRetryableErrorTypes: NON_RETRYABLE },
    });
  const waits = (stage: Stage) =>
    proxyActivities<ProviderActivities>({
      startToCloseTimeout: limits[stage],
      heartbeatTimeout: Math.max(3 * args.settings.pollMs, 5_000),
      retry: { ...RETRY, nonRetryableErrorTypes: NON_RETRYABLE },
    });
  const run = (stage: Stage, fn: () => Promise<unknown>) => progress.stage(stage, limits[stage], fn);

  const compensations: Compensation[] = [];
  const removeAgent = () =>
    run(Stage.RemoveAgent, () => calls(Stage.RemoveAgent).removeAgent(ref, args.clusterConfig));
  const revoke = () =>
    run(Stage.RevokeCredentials, () => identities.deleteObjectIdentities(args.tenantId, args.runtimeId));
  const deleteCluster = async () => {
    await run(Stage.DeprovisionCluster, () =>
      calls(Stage.DeprovisionCluster).deleteCluster(ref, args.clusterConfig),
    );
    await run(Stage.WaitForClusterDeletion, () =>
      waits(Stage.WaitForClusterDeletion).awaitCluster(ref, args.clusterConfig, 'GONE', args.settings.pollMs),
    );
  };
  const connectAgent = async (fresh: boolean) => {
    const sinceMs = Date.now();
    await run(Stage.ConnectRuntimeAgent, () =>
      calls(Stage.ConnectRuntimeAgent).installAgent(ref, args.clusterConfig, fresh),
    );
    return sinceMs;
  };
  /** Waits for the agent; on timeout reconnects once with a fresh token, then fails. */
  const awaitAgent = async (sinceMs: number) => {
    try {
      await waitForAgent(sinceMs);
    } catch (err) {
      if (errorType(err) !== STAGE_TIMEOUT) throw err;
      await waitForAgent(await connectAgent(true));
    }
  };
  const waitForAgent = (sinceMs: number) =>
    run(Stage.WaitForAgentToConnect, async () => {
      progress.agentConnected = false;
      await getExternalWorkflowHandle(runtimeWorkflowId(args.tenantId, args.runtimeId)).signal(
        awaitAgentSignal,
        { operationId: args.operationId, sinceMs },
      );
      await condition(() => progress.agentConnected);
    });

  const stages: Record<OperationType, () => Promise<string>> = {
    [OperationType.Provision]: async () => {
      await progress.done(Stage.RegisterRuntime, 'registered by the runtime workflow, status PROVISIONING');
      await run(Stage.CreateCluster, () => calls(Stage.CreateCluster).createCluster(ref, args.clusterConfig));
      compensations.push({ name: 'delete the cluster', run: deleteCluster });
      await run(Stage.WaitingForClusterCreation, () =>
        waits(Stage.WaitingForClusterCreation).awaitCluster(
          ref,
          args.clusterConfig,
          'READY',
          args.settings.pollMs,
        ),
      );
      compensations.push({ name: 'remove the agent', run: removeAgent });
      const since = await connectAgent(false);
      compensations.push({ name: 'revoke the credentials', run: revoke });
      await awaitAgent(since);
      return 'the runtime is provisioned and its agent connected';
    },
    [OperationType.Deprovision]: async () => {
      await revoke();
      await removeAgent();
      await deleteCluster();
      await progress.done(Stage.UnregisterRuntime, 'handed to the runtime workflow');
      return 'the runtime is deprovisioned';
    },
    [OperationType.Upgrade]: async () => {
      await run(Stage.StartingUpgrade, () =>
        calls(Stage.StartingUpgrade).upgradeCluster(ref, args.clusterConfig),
      );
      await run(Stage.WaitingForClusterCreation, () =>
        waits(Stage.WaitingForClusterCreation).awaitCluster(
          ref,
          args.clusterConfig,
          'READY',
          args.settings.pollMs,
        ),
      );
      return 'the runtime is upgraded';
    },
    [OperationType.ReconnectRuntime]: async () => {
      await awaitAgent(await connectAgent(true));
      return 'the agent reconnected';
    },
    [OperationType.Hibernate]: async () => {
      await run(Stage.WaitForHibernation, () =>
        calls(Stage.WaitForHibernation).hibernateCluster(ref, args.clusterConfig),
      );
      return 'the runtime is hibernated';
    },
    [OperationType.WakeUp]: async () => {
      await run(Stage.WaitForWakeUp, () => calls(Stage.WaitForWakeUp).wakeUpCluster(ref, args.clusterConfig));
      return 'the runtime is awake';
    },
  };

  try {
    const message = await operation.run(() => stages[args.type]());
    await progress.succeed(message);
  } catch (err) {
    await CancellationScope.nonCancellable(async () => {
      for (const c of compensations.reverse()) {
        try {
          await c.run();
        } catch {
          // recorded as a failed stage; the remaining compensations still run
        }
      }
      await progress.fail(lastErrorOf(err));
    });
  }
  const outcome: OperationOutcome = {
    operationId: args.operationId,
    type: args.type,
    state: progress.state,
    ...(progress.lastError && { lastError: progress.lastError }),
  };
  await CancellationScope.nonCancellable(
    () =>
      getExternalWorkflowHandle(runtimeWorkflowId(args.tenantId, args.runtimeId))
        .signal(operationFinishedSignal, outcome)
        .catch(() => undefined), // the runtime's workflow is gone: nothing to tell
  );
  return outcome;
}

function lastErrorOf(err: unknown): LastError {
  if (isCancellation(err)) {
    return { errMessage: 'operation cancelled', reason: 'Cancelled', component: 'provisioner' };
  }
  return {
    errMessage: errorMessage(err),
    reason: errorType(err) ?? 'Error',
    component: errorType(err) === STAGE_TIMEOUT ? 'provisioner' : 'provider',
  };
}
