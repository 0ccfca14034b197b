import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Db } from 'mongodb';
import { createActivities } from '../activities';
import { ApplicationRepository } from '../store/applications';

export interface WorkerDeps {
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly db: Db;
  /** A prebuilt bundle (tests, benchmarks); otherwise the worker bundles `workflows/`. */
  readonly workflowBundle?: WorkerOptions['workflowBundle'];
}

/** Path of the workflow code; resolves to the .ts source under test and to .js when built. */
export const workflowsPath = require.resolve('../workflows');

/** Builds the worker that runs every workflow and activity of the project. */
export async function createWorker(deps: WorkerDeps): Promise<Worker> {
  const activities = createActivities({ applications: new ApplicationRepository(deps.db) });
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    activities,
    ...(deps.workflowBundle ? { workflowBundle: deps.workflowBundle } : { workflowsPath }),
  });
}
