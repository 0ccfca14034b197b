import type { WorkerOptions } from '@temporalio/worker';
import type { Logger } from 'pino';

/** What every benchmark receives from the runner: real servers and a prebuilt workflow bundle. */
export interface BenchContext {
  readonly temporalAddress: string;
  readonly namespace: string;
  readonly mongoBase: string;
  readonly workflowBundle: WorkerOptions['workflowBundle'];
  readonly log: Logger;
  readonly count: number;
  readonly concurrency: number;
}
