import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../infra/config';
import { createLogger } from '../infra/logger';
import { installTemporalLogging } from '../infra/temporal-logging';
import { loadSecretBox } from '../infra/secret-box';
import { certificateSubject, certificateValidityMs, dataDir, loadCa } from '../infra/trust';
import { connectTemporalClient, ensureSearchAttributes } from '../infra/temporal';
import { connectMongo } from '../store/mongo';
import { ensureIndexes } from '../store/indexes';
import { createWorker } from './worker';
import { provisioningDeps } from './provisioning';
import { freeLoopbackAddress, metricsInterceptors, startWorkerMetricsServer } from './metrics';

/**
 * Worker process: connects to Temporal and MongoDB, then polls until SIGINT/SIGTERM, on which the
 * SDK's runtime calls `worker.shutdown()`: polling stops, tasks in flight get SHUTDOWN_GRACE_MS to
 * finish, and the process exits 0.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config, 'worker');
  const sdkMetrics = await freeLoopbackAddress();
  installTemporalLogging(log, sdkMetrics);
  const metricsServer = await startWorkerMetricsServer({
    host: config.WORKER_METRICS_HOST,
    port: config.WORKER_METRICS_PORT,
    sdkAddress: sdkMetrics,
    log,
  });

  const mongo = await connectMongo(config.MONGODB_URI, { serverSelectionTimeoutMS: 60_000 });
  await ensureIndexes(mongo.db);

  const admin = await connectTemporalClient(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE);
  await ensureSearchAttributes(admin.connection, config.TEMPORAL_NAMESPACE);
  await admin.connection.close();

  const { restored, ...provisioning } = await provisioningDeps(config);
  if (restored > 0) log.info({ restored }, 'local runtime agents started again');
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    db: mongo.db,
    specFetchAllowPrivateNetworks: config.SPEC_FETCH_ALLOW_PRIVATE_NETWORKS,
    webhookAllowPrivateNetworks: config.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
    provisioning,
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
    ...(config.WORKER_MAX_CACHED_WORKFLOWS !== undefined && {
      maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    }),
    activityInterceptors: [metricsInterceptors(metricsServer.metrics, mongo.db)],
    secretBox: loadSecretBox({ keyBase64: config.SECRET_ENCRYPTION_KEY, dataDir: dataDir(config) }),
    trust: {
      ca: await loadCa(config),
      subject: certificateSubject(config),
      certificateValidityMs: certificateValidityMs(config),
    },
  });
  log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, namespace: config.TEMPORAL_NAMESPACE }, 'worker polling');
  try {
    await worker.run();
  } finally {
    await connection.close();
    await mongo.close();
    await metricsServer.close();
    log.info('worker stopped');
  }
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
