import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import type { BenchContext } from './context';

/** Temporal's own floor: a worker running the no-op workflow on a task queue of its own. */
export interface NoopFloor {
  /** Starts one no-op workflow and waits for its result. */
  op(): Promise<void>;
  stop(): Promise<void>;
}

/** A logger for the workflow bundler that says nothing. */
export const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** The no-op workflow's code, bundled once for every benchmark of the run. */
let noopCode: Promise<string> | undefined;

export async function startNoopFloor(ctx: BenchContext, client: Client): Promise<NoopFloor> {
  const taskQueue = `floor-${randomUUID()}`;
  const connection = await NativeConnection.connect({ address: ctx.temporalAddress });
  noopCode ??= bundleWorkflowCode({ workflowsPath: require.resolve('./workflows'), logger: silent }).then(
    (bundle) => bundle.code,
  );
  const code = await noopCode;
  const worker = await Worker.create({
    connection,
    namespace: ctx.namespace,
    taskQueue,
    workflowBundle: { code },
  });
  const running = worker.run();
  return {
    op: async () => {
      await client.workflow.execute('noopWorkflow', { taskQueue, workflowId: `noop/${randomUUID()}` });
    },
    stop: async () => {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
