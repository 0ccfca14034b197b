import path from 'node:path';
import { FERRETDB, TEMPORAL, ensureBinary } from './binaries';
import { startFerretDb } from './ferretdb-server';
import { freePort, type Running } from './process';
import { startTemporalDevServer } from './temporal-server';

export interface EphemeralServers {
  readonly temporalAddress: string;
  readonly namespace: string;
  /** MongoDB URI without a database name; append `/<db>`. */
  readonly mongoBase: string;
  stop(): Promise<void>;
}

/**
 * Real servers for tests and benchmarks: a headless Temporal dev server and FerretDB on free
 * loopback ports with data under `dir`, tethered to this process. A server named by
 * TEMPORAL_ADDRESS or MONGODB_URI is used instead of starting one.
 */
export async function startEphemeralServers(opts: {
  dir: string;
  dynamicConfig?: Readonly<Record<string, string>>;
}): Promise<EphemeralServers> {
  const running: Running[] = [];
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  const temporal = process.env.TEMPORAL_ADDRESS
    ? Promise.resolve(process.env.TEMPORAL_ADDRESS)
    : (async () => {
        const server = await startTemporalDevServer({
          binary: await ensureBinary(TEMPORAL),
          port: await freePort(),
          uiPort: null,
          namespace,
          dataDir: path.join(opts.dir, 'temporal'),
          ...(opts.dynamicConfig && { dynamicConfig: opts.dynamicConfig }),
        });
        running.push(server);
        return server.address;
      })();
  const mongo = process.env.MONGODB_URI
    ? Promise.resolve(process.env.MONGODB_URI.replace(/\/[^/]*$/, ''))
    : (async () => {
        const server = await startFerretDb({
          binary: await ensureBinary(FERRETDB),
          port: await freePort(),
          dataDir: opts.dir,
        });
        running.push(server);
        return server.uri;
      })();
  const [temporalAddress, mongoBase] = await Promise.all([temporal, mongo]);
  return {
    temporalAddress,
    namespace,
    mongoBase,
    stop: async () => {
      for (const server of running.reverse()) await server.stop();
    },
  };
}
