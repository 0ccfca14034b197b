import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadOrCreateGatewayIssuer } from '../../api/auth/client-credentials';
import { loadOrCreateDevIssuer } from '../../api/auth/dev-issuer';
import { loadOrCreateCa } from '../../pki';
import { FERRETDB, TEMPORAL, ensureBinary } from '../../scripts/servers/binaries';
import { startFerretDb } from '../../scripts/servers/ferretdb-server';
import { freePort, spawnTethered, waitUntilReady, type Running } from '../../scripts/servers/process';
import { startTemporalDevServer } from '../../scripts/servers/temporal-server';
import { childPids } from '../fixtures/process-tree';

const DIST = path.join(__dirname, '..', '..', 'dist');

/** A process of the stack under test, restartable on the same ports and data. */
export interface StackProcess {
  readonly name: string;
  /** The current process (its tether); replaced by `restart`. */
  current(): Running;
  /** Kills the process itself (not its tether) with `signal` and waits until it is gone. */
  kill(signal: NodeJS.Signals): Promise<number | null>;
  /** Starts it again (after a kill) and waits until it is ready. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** The real process behind a tether, once it has started. */
async function realPid(proc: Running): Promise<number> {
  for (;;) {
    const pid = childPids(proc.child.pid!)[0];
    if (pid) return pid;
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} is not running`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function restartable(name: string, start: () => Promise<Running>, first: Running): StackProcess {
  let current = first;
  return {
    name,
    current: () => current,
    kill: async (signal) => {
      process.kill(await realPid(current), signal);
      return current.exited;
    },
    restart: async () => {
      current = await start();
    },
    stop: () => current.stop(),
  };
}

/** Real Temporal dev server and FerretDB on fixed free ports, data under `dir`, restartable. */
export async function startServers(dir: string): Promise<{
  temporal: StackProcess;
  ferretdb: StackProcess;
  temporalAddress: string;
  mongoBase: string;
}> {
  const [temporalPort, mongoPort] = [await freePort(), await freePort()];
  const [temporalBinary, ferretBinary] = await Promise.all([ensureBinary(TEMPORAL), ensureBinary(FERRETDB)]);
  const startTemporal = () =>
    startTemporalDevServer({
      binary: temporalBinary,
      port: temporalPort,
      uiPort: null,
      namespace: 'default',
      dataDir: path.join(dir, 'temporal'),
    });
  const startMongo = () => startFerretDb({ binary: ferretBinary, port: mongoPort, dataDir: dir });
  const [t, m] = await Promise.all([startTemporal(), startMongo()]);
  return {
    temporal: restartable('Temporal dev server', startTemporal, t),
    ferretdb: restartable('FerretDB', startMongo, m),
    temporalAddress: t.address,
    mongoBase: m.uri,
  };
}

/**
 * The environment of gateways and workers sharing `dataDir`: its CA and token issuers are made
 * here first, so processes starting together never race to create them.
 */
export async function stackEnv(
  dataDir: string,
  servers: { temporalAddress: string; mongoBase: string },
  overrides: NodeJS.ProcessEnv = {},
): Promise<NodeJS.ProcessEnv> {
  await loadOrCreateCa({ dir: path.join(dataDir, 'ca') });
  await loadOrCreateDevIssuer(dataDir);
  await loadOrCreateGatewayIssuer(dataDir);
  return {
    ...process.env,
    DATA_DIR: dataDir,
    CA_DIR: path.join(dataDir, 'ca'),
    TEMPORAL_ADDRESS: servers.temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    MONGODB_URI: `${servers.mongoBase}/compass`,
    LOG_LEVEL: 'info',
    LOG_PRETTY: 'false',
    ...overrides,
  };
}

/** A gateway process on free ports; ready when /healthz answers 200. */
export async function startGatewayProcess(
  name: string,
  env: NodeJS.ProcessEnv,
  logDir: string,
): Promise<StackProcess & { url: string; mtlsUrl: string }> {
  const ports = {
    PORT: String(await freePort()),
    MTLS_PORT: String(await freePort()),
    INTERNAL_CONNECTOR_PORT: String(await freePort()),
  };
  const url = `http://127.0.0.1:${ports.PORT}`;
  const start = async () => {
    const proc = spawnTethered(name, process.execPath, [path.join(DIST, 'api', 'main.js')], {
      env: { ...env, ...ports },
      logFile: path.join(logDir, `${name}.log`),
    });
    await waitUntilReady(
      proc,
      async () => {
        const res = await fetch(`${url}/healthz`);
        if (!res.ok) throw new Error(`healthz answered ${res.status}`);
      },
      120_000,
    );
    return proc;
  };
  return {
    ...restartable(name, start, await start()),
    url,
    mtlsUrl: `https://127.0.0.1:${ports.MTLS_PORT}`,
  };
}

/** A worker process; ready when it logs that it polls. */
export async function startWorkerProcess(
  name: string,
  env: NodeJS.ProcessEnv,
  logDir: string,
): Promise<StackProcess & { metricsUrl: string }> {
  const metricsPort = String(await freePort());
  const logFile = path.join(logDir, `${name}.log`);
  const start = async () => {
    const from = fileLength(logFile);
    const proc = spawnTethered(name, process.execPath, [path.join(DIST, 'workers', 'main.js')], {
      env: { ...env, WORKER_METRICS_PORT: metricsPort },
      logFile,
    });
    await waitUntilReady(
      proc,
      async () => {
        if (!readFileSync(logFile, 'utf8').slice(from).includes('"worker polling"')) {
          throw new Error('not polling yet');
        }
      },
      180_000,
    );
    return proc;
  };
  return { ...restartable(name, start, await start()), metricsUrl: `http://127.0.0.1:${metricsPort}` };
}

function fileLength(file: string): number {
  try {
    return readFileSync(file, 'utf8').length;
  } catch {
    return 0;
  }
}
