import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { testEnv } from '../harness';

try {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
} catch {
  // installed by another test file in this jest worker
}

/** Workflow tests against the shared dev server: a client, and a worker per test. */
export interface TemporalFixture {
  /** The client; available inside tests (after beforeAll). */
  client(): Client;
  /**
   * Runs `fn` while a worker with `activities` (fakes typed against the real ones) polls a
   * task queue of its own, the workflows coming from the bundle globalSetup built.
   */
  withWorker<T>(activities: object, fn: (taskQueue: string) => Promise<T>): Promise<T>;
}

/** Registers beforeAll/afterAll hooks that connect to the dev server started by globalSetup. */
export function useTemporal(): TemporalFixture {
  let client: Client | undefined;
  let native: NativeConnection | undefined;
  beforeAll(async () => {
    const address = testEnv('COMPASS_TEST_TEMPORAL_ADDRESS');
    client = new Client({
      connection: await Connection.connect({ address }),
      namespace: testEnv('COMPASS_TEST_NAMESPACE'),
    });
    native = await NativeConnection.connect({ address });
  });
  afterAll(async () => {
    await client?.connection.close();
    await native?.close();
  });
  return {
    client: () => client!,
    withWorker: async (activities, fn) => {
      const taskQueue = `wf-test-${randomUUID()}`;
      const worker = await Worker.create({
        connection: native!,
        namespace: testEnv('COMPASS_TEST_NAMESPACE'),
        taskQueue,
        workflowBundle: { codePath: testEnv('COMPASS_TEST_WORKFLOW_BUNDLE') },
        activities,
      });
      return worker.runUntil(fn(taskQueue));
    },
  };
}
