import {
  ApplicationFailure,
  CancellationScope,
  proxyLocalActivities,
  sleep,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { ProvisioningStoreActivities } from '../../activities/provisioning-store';
import {
  type LastError,
  type Operation,
  type OperationStage,
  OperationState,
} from '../../domain/provisioning';
import { CompassStatusKey } from '../../domain/search-attributes';
import { STORE_WRITES } from '../shared/local-activities';
import type { ProvisioningArgs } from './messages';

const store = proxyLocalActivities<ProvisioningStoreActivities>(STORE_WRITES);

/** The failure type of a stage that ran past its time limit. */
export const STAGE_TIMEOUT = 'StageTimeout';

/**
 * The operation's progress: its stages and state, written to the read model on every
 * transition and shown as the CompassStatus search attribute (the current stage, then the
 * final state).
 */
export class OperationProgress {
  state: OperationState = OperationState.InProgress;
  readonly stages: OperationStage[] = [];
  lastError?: LastError;
  message?: string;
  finishedAt?: string;
  agentConnected = false;

  constructor(private readonly args: ProvisioningArgs) {}

  snapshot(): Operation {
    return {
      id: this.args.operationId,
      tenantId: this.args.tenantId,
      runtimeId: this.args.runtimeId,
      type: this.args.type,
      state: this.state,
      ...(this.message && { message: this.message }),
      stages: [...this.stages],
      ...(this.lastError && { lastError: this.lastError }),
      startedAt: this.args.startedAt,
      ...(this.finishedAt && { finishedAt: this.finishedAt }),
    };
  }

  /** Records a stage that another party completed (registration by the runtime workflow). */
  async done(name: string, message: string): Promise<void> {
    const at = this.args.startedAt;
    this.stages.push({
      name,
      state: OperationState.Succeeded,
      startedAt: at,
      finishedAt: at,
      attempt: 1,
      message,
    });
    await this.write();
  }

  /**
   * Runs one stage within its time limit, counted from now. Past the limit the stage is
   * cancelled and fails with "timeout while processing operation" naming it.
   */
  async stage<T>(name: string, limitMs: number, fn: () => Promise<T>): Promise<T> {
    const attempt = this.stages.filter((s) => s.name === name).length + 1;
    const index =
      this.stages.push({
        name,
        state: OperationState.InProgress,
        startedAt: new Date().toISOString(),
        attempt,
      }) - 1;
    this.message = `${name} in progress`;
    upsertSearchAttributes([{ key: CompassStatusKey, value: name }]);
    await this.write();
    try {
      const value = await withinLimit(name, limitMs, fn);
      this.finish(index, OperationState.Succeeded);
      await this.write();
      return value;
    } catch (err) {
      this.finish(index, OperationState.Failed, errorMessage(err));
      await CancellationScope.nonCancellable(() => this.write());
      throw err;
    }
  }

  async succeed(message: string): Promise<void> {
    this.state = OperationState.Succeeded;
    this.message = message;
    this.finishedAt = new Date().toISOString();
    upsertSearchAttributes([{ key: CompassStatusKey, value: this.state }]);
    await this.write();
  }

  async fail(lastError: LastError): Promise<void> {
    this.state = OperationState.Failed;
    this.lastError = lastError;
    this.message = lastError.errMessage;
    this.finishedAt = new Date().toISOString();
    upsertSearchAttributes([{ key: CompassStatusKey, value: this.state }]);
    await this.write();
  }

  private finish(index: number, state: OperationState, message?: string): void {
    const stage = this.stages[index]!;
    this.stages[index] = {
      ...stage,
      state,
      finishedAt: new Date().toISOString(),
      ...(message !== undefined && { message }),
    };
  }

  private write(): Promise<void> {
    return store.recordOperation(this.snapshot(), this.args.clusterConfig);
  }
}

/** Runs `fn` in a scope cancelled after `limitMs`; the timer is cancelled when `fn` settles first. */
async function withinLimit<T>(name: string, limitMs: number, fn: () => Promise<T>): Promise<T> {
  let timedOut = false;
  const stageScope = new CancellationScope();
  const timerScope = new CancellationScope();
  timerScope
    .run(() => sleep(limitMs))
    .then(
      () => {
        timedOut = true;
        stageScope.cancel();
      },
      () => undefined,
    );
  try {
    return await stageScope.run(fn);
  } catch (err) {
    if (timedOut) {
      throw ApplicationFailure.nonRetryable(
        `timeout while processing operation: stage ${name} exceeded its time limit of ${limitMs / 1000} s`,
        STAGE_TIMEOUT,
      );
    }
    throw err;
  } finally {
    timerScope.cancel();
  }
}

/** The innermost message of a failure chain (an activity's own error). */
export function errorMessage(err: unknown): string {
  let e = err as { message?: string; cause?: unknown } | undefined;
  while (e && typeof e === 'object' && e.cause && (e.cause as { message?: string }).message) {
    e = e.cause as { message?: string; cause?: unknown };
  }
  return e?.message ?? String(err);
}

/** The innermost ApplicationFailure type of a failure chain, if any. */
export function errorType(err: unknown): string | undefined {
  let e: unknown = err;
  let type: string | undefined;
  while (e && typeof e === 'object') {
    if (e instanceof ApplicationFailure && e.type) type = e.type;
    e = (e as { cause?: unknown }).cause;
  }
  return type;
}
