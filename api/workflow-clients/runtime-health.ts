import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { NotFoundError } from '../../domain/errors';
import { runtimeWorkflowId } from '../../domain/ids';
import {
  getRuntimeHealthQuery,
  heartbeatSignal,
  type RuntimeHealthState,
  type RuntimeHeartbeat,
} from '../../workflows/runtime/messages';
import { withDeadline } from './deadline';

/** How the API reaches runtime workflows for health: heartbeats in, the lease's view out. */
export class RuntimeHealthClient {
  constructor(
    private readonly temporal: Client,
    private readonly timeoutMs: number,
  ) {}

  /** Signals the heartbeat (returns once Temporal accepted it); a gone runtime is NotFound. */
  async heartbeat(tenantId: string, runtimeId: string, hb: RuntimeHeartbeat): Promise<void> {
    const handle = this.temporal.workflow.getHandle(runtimeWorkflowId(tenantId, runtimeId));
    await notFoundAsRuntime(runtimeId, () =>
      withDeadline(this.temporal, this.timeoutMs, () => handle.signal(heartbeatSignal, hb)),
    );
  }

  /** The workflow's view of the runtime's health, or undefined when it cannot answer now. */
  async state(tenantId: string, runtimeId: string): Promise<RuntimeHealthState | undefined> {
    const handle = this.temporal.workflow.getHandle(runtimeWorkflowId(tenantId, runtimeId));
    return withDeadline(this.temporal, this.timeoutMs, () => handle.query(getRuntimeHealthQuery)).catch(
      () => undefined,
    );
  }
}

async function notFoundAsRuntime<T>(runtimeId: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new NotFoundError('runtime', runtimeId);
    throw err;
  }
}
