import { loadConfig } from '../infra/config';
import { createLogger } from '../infra/logger';
import { loadCa } from '../infra/trust';
import { connectTemporalClient } from '../infra/temporal';
import { connectMongo } from '../store/mongo';
import { ensureIndexes } from '../store/indexes';
import { startGateway } from './server';

/** Gateway process: serves the APIs until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config, 'gateway');
  const mongo = await connectMongo(config.MONGODB_URI, { serverSelectionTimeoutMS: 60_000 });
  await ensureIndexes(mongo.db);
  const { client: temporal } = await connectTemporalClient(
    config.TEMPORAL_ADDRESS,
    config.TEMPORAL_NAMESPACE,
  );
  const ca = await loadCa(config);
  const gateway = await startGateway({ config, db: mongo.db, temporal, log, ca });

  const stop = async () => {
    log.info('stopping: requests in flight may finish');
    // Bounded: a close that hangs past the grace period does not keep the process alive.
    setTimeout(() => process.exit(1), config.SHUTDOWN_GRACE_MS + 10_000).unref();
    await gateway.close();
    await temporal.connection.close();
    await mongo.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
