import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import pino from 'pino';
import { type Gateway, startGateway } from '../../api/server';
import { connectMongo, type MongoHandle } from '../../store/mongo';
import { ensureIndexes } from '../../store/indexes';
import { createWorker } from '../../workers/worker';

/** Worker logs below WARN would drown test output. */
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed by an earlier test file in this jest worker
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  body: {
    data?: T | null;
    errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
  };
}

/** The gateway and a worker running in-process against the shared real servers. */
export interface Stack {
  readonly url: string;
  readonly client: Client;
  readonly mongo: MongoHandle;
  readonly taskQueue: string;
  /** POSTs a GraphQL operation to the Director API with the given tenant (none when undefined). */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    tenant?: string,
  ): Promise<GraphQLResponse<T>>;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

/** A fresh tenant for one test. */
export function fixTenant(): string {
  return `t-${randomUUID()}`;
}

export function testEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests through jest (globalSetup)`);
  return value;
}

/**
 * Starts a gateway on a free port and a worker on a task queue of its own, with a database
 * of its own, so test files never see each other's tasks or documents.
 */
export async function startStack(options: { worker?: boolean } = {}): Promise<Stack> {
  const address = testEnv('COMPASS_TEST_TEMPORAL_ADDRESS');
  const namespace = testEnv('COMPASS_TEST_NAMESPACE');
  const taskQueue = `test-${randomUUID()}`;
  const mongo = await connectMongo(
    `${testEnv('COMPASS_TEST_MONGODB_BASE')}/test_${randomUUID().slice(0, 8)}`,
  );
  await ensureIndexes(mongo.db);
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

  const gateway: Gateway = await startGateway({
    config: {
      HOST: '127.0.0.1',
      PORT: 0,
      TEMPORAL_TASK_QUEUE: taskQueue,
      REQUEST_TIMEOUT_MS: 60_000,
      BODY_LIMIT: '100kb',
    },
    db: mongo.db,
    temporal: client,
    log,
  });

  let worker: { worker: Worker; running: Promise<void>; connection: NativeConnection } | undefined;
  const startWorker = async () => {
    if (worker) return;
    const nativeConnection = await NativeConnection.connect({ address });
    const w = await createWorker({
      connection: nativeConnection,
      namespace,
      taskQueue,
      db: mongo.db,
      workflowBundle: { codePath: testEnv('COMPASS_TEST_WORKFLOW_BUNDLE') },
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
  if (options.worker !== false) await startWorker();

  return {
    url: gateway.url,
    client,
    mongo,
    taskQueue,
    gql: async (query, variables, tenant) => {
      const res = await fetch(`${gateway.url}/director/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(tenant !== undefined && { tenant }) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as GraphQLResponse['body'] } as never;
    },
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

/** Polls `check` until it returns a value other than undefined (no fixed sleeps in tests). */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
