import { randomUUID } from 'node:crypto';
import type { WorkerOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import { type InProcessStack, startInProcessStack } from '../scripts/in-process-stack';

/** What every benchmark receives from the runner: real servers and a prebuilt workflow bundle. */
export interface BenchContext {
  readonly temporalAddress: string;
  readonly namespace: string;
  readonly mongoBase: string;
  readonly workflowBundle: WorkerOptions['workflowBundle'];
  readonly log: Logger;
  readonly count: number;
  readonly concurrency: number;
  /** `--soak`: how long the load benchmark keeps its mix going after measuring (ms). */
  readonly soakMs?: number;
}

/**
 * The project as every benchmark measures it: gateway (and, unless `worker: false`, worker)
 * in this process, on the runner's servers, with a database of its own.
 */
export function startBenchStack(
  ctx: BenchContext,
  options: { worker?: false; webhookAllowPrivateNetworks?: boolean } = {},
): Promise<InProcessStack> {
  return startInProcessStack({
    temporalAddress: ctx.temporalAddress,
    namespace: ctx.namespace,
    mongoUri: `${ctx.mongoBase}/bench_${randomUUID().slice(0, 8)}`,
    workflowBundle: ctx.workflowBundle,
    log: ctx.log,
    ...options,
  });
}
