import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker, type WorkerOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import { type Gateway, startGateway } from '../api/server';
import { connectMongo, type MongoHandle } from '../store/mongo';
import { ensureIndexes } from '../store/indexes';
import { createWorker } from '../workers/worker';

/** The gateway and a worker in this process, on a task queue and database of their own. */
export interface InProcessStack {
  readonly url: string;
  readonly client: Client;
  readonly mongo: MongoHandle;
  readonly taskQueue: string;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
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
  /** Create unknown tenants on first use (default true). */
  readonly tenantAutoCreate?: boolean;
  /** Applications hidden from runtimes (APP_HIDE_SELECTORS; default none). */
  readonly appHideSelectors?: Record<string, string[]>;
}

/** Used by integration tests and benchmarks; `npm start` runs the same parts as processes. */
export async function startInProcessStack(opts: InProcessStackOptions): Promise<InProcessStack> {
  const taskQueue = `q-${randomUUID()}`;
  const mongo = await connectMongo(opts.mongoUri);
  await ensureIndexes(mongo.db);
  const connection = await Connection.connect({ address: opts.temporalAddress });
  const client = new Client({ connection, namespace: opts.namespace });
  const gateway: Gateway = await startGateway({
    config: {
      HOST: '127.0.0.1',
      PORT: 0,
      TEMPORAL_TASK_QUEUE: taskQueue,
      REQUEST_TIMEOUT_MS: 60_000,
      BODY_LIMIT: '100kb',
      TENANT_AUTO_CREATE: opts.tenantAutoCreate ?? true,
      APP_HIDE_SELECTORS: opts.appHideSelectors ?? {},
    },
    db: mongo.db,
    temporal: client,
    log: opts.log,
  });

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
    url: gateway.url,
    client,
    mongo,
    taskQueue,
    startWorker,
    stopWorker,
    close: async () => {
      await stopWorker();
      await gateway.close();
      await connection.close();
      await mongo.db.dropDatabase();
      await mongo.close();
    },
  };
}
