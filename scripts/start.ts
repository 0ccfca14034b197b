import path from 'node:path';
import { loadConfig } from '../infra/config';
import { projectRoot } from '../infra/paths';
import { loadLauncherConfig, type LauncherConfig } from './launcher-config';
import { FERRETDB, MissingGoError, TEMPORAL, ensureBinary } from './servers/binaries';
import { probeMongo, startFerretDb } from './servers/ferretdb-server';
import { isListening, spawnTethered, waitUntilReady, type Running } from './servers/process';
import { probeTemporal, startTemporalDevServer } from './servers/temporal-server';
import { supervise } from './supervisor';

/** Raised for a problem the user can fix; printed without a stack trace. */
class LaunchError extends Error {}

const started: Running[] = [];

/**
 * `npm start`: brings up the whole stack. Embedded servers are reused when already running,
 * started (and built, the first time) otherwise; Ctrl-C stops only what this run started.
 */
async function main(): Promise<void> {
  const cfg = loadLauncherConfig();
  loadConfig(); // fail fast on an invalid environment, before anything starts

  if (await isListening(cfg.PORT)) {
    throw new LaunchError(
      `port ${cfg.PORT} is already in use: stop what uses it or set PORT to another port`,
    );
  }
  const temporal = await temporalServer(cfg);
  const mongoUri = await mongoServer(cfg);
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: cfg.TEMPORAL_NAMESPACE,
    TEMPORAL_UI_URL: temporal.uiUrl,
    MONGODB_URI: mongoUri,
    PORT: String(cfg.PORT),
    CA_DIR: process.env.CA_DIR ?? path.join(cfg.dataDir, 'ca'),
    LOG_PRETTY: process.env.LOG_PRETTY ?? (process.stdout.isTTY ? 'true' : 'false'),
  };
  const dist = path.join(projectRoot(), 'dist');
  const node = (name: string, main: string) =>
    supervise(name, () => spawnTethered(name, process.execPath, [path.join(dist, main)], { env }), {
      log: (line) => console.error(`${new Date().toISOString()} npm start: ${line}`),
    });
  const worker = node('worker', path.join('workers', 'main.js'));
  const gateway = node('gateway', path.join('api', 'main.js'));
  started.push(worker, gateway);
  const gatewayUrl = `http://127.0.0.1:${cfg.PORT}`;
  await waitUntilReady(gateway, () => checkHealth(gatewayUrl), 120_000);
  worker.arm();
  gateway.arm();

  console.log(
    [
      '',
      'Compass on Temporal is up:',
      `  Director GraphQL API   ${gatewayUrl}/director/graphql`,
      `  GraphQL IDE (browser)  ${gatewayUrl}/graphiql   (a local token is filled in)`,
      `  Connector API          ${gatewayUrl}/connector/graphql`,
      `  A token for curl       npm run -s token -- --tenant <tenant>`,
      `  Health                 ${gatewayUrl}/healthz`,
      `  Metrics (Prometheus)   ${gatewayUrl}/metrics, worker http://127.0.0.1:${process.env.WORKER_METRICS_PORT ?? 9464}/metrics`,
      `  Temporal Web UI        ${temporal.uiUrl}`,
      `  Temporal frontend      ${temporal.address} (namespace ${cfg.TEMPORAL_NAMESPACE})`,
      `  MongoDB                ${mongoUri}`,
      '',
      ...agentHowTo(cfg.dataDir),
      '',
      'A worker or gateway that exits is restarted; press Ctrl-C to stop.',
    ].join('\n'),
  );

  await Promise.race([worker.exited, gateway.exited]);
  const reason = worker.reason() ?? gateway.reason() ?? 'a process of the stack exited';
  throw new LaunchError(`${reason}; stopping the rest`);
}

/**
 * How to run a Runtime Agent for a registered runtime: its one-time token's `rawEncoded` form
 * carries the Connector URL, so the token is all the command needs.
 */
function agentHowTo(dataDir: string): string[] {
  return [
    'Start a Runtime Agent for a registered runtime (one command, in another terminal):',
    '  1. request its token:  mutation { requestOneTimeTokenForRuntime(id: "<runtime ID>") { rawEncoded } }',
    `  2. run the agent:      npm run -s agent -- run --token <rawEncoded> --state-dir ${path.join(dataDir, 'agents', '<runtime ID>')} --status-port 0`,
    '     (restarted later, it needs no token: the state directory keeps its certificate; `npm run -s agent -- --help`)',
  ];
}

async function temporalServer(cfg: LauncherConfig): Promise<{ address: string; uiUrl: string }> {
  const uiUrl = `http://127.0.0.1:${cfg.TEMPORAL_UI_PORT}`;
  if (cfg.TEMPORAL_ADDRESS)
    return { address: cfg.TEMPORAL_ADDRESS, uiUrl: process.env.TEMPORAL_UI_URL ?? uiUrl };
  const address = `127.0.0.1:${cfg.TEMPORAL_PORT}`;
  if (await isListening(cfg.TEMPORAL_PORT)) {
    await probeTemporal(address, cfg.TEMPORAL_NAMESPACE).catch(() => {
      throw new LaunchError(
        `port ${cfg.TEMPORAL_PORT} is in use by something that is not a Temporal server with namespace ` +
          `"${cfg.TEMPORAL_NAMESPACE}": stop it, or set TEMPORAL_PORT (embedded) or TEMPORAL_ADDRESS (external)`,
      );
    });
    console.log(`reusing the Temporal server already running at ${address}`);
    return { address, uiUrl };
  }
  if (await isListening(cfg.TEMPORAL_UI_PORT)) {
    throw new LaunchError(
      `port ${cfg.TEMPORAL_UI_PORT} (Temporal Web UI) is already in use: set TEMPORAL_UI_PORT`,
    );
  }
  const binary = await ensureBinary(TEMPORAL);
  console.log(`starting Temporal dev server on ${address}…`);
  const server = await startTemporalDevServer({
    binary,
    port: cfg.TEMPORAL_PORT,
    uiPort: cfg.TEMPORAL_UI_PORT,
    namespace: cfg.TEMPORAL_NAMESPACE,
    dataDir: path.join(cfg.dataDir, 'temporal'),
  });
  started.push(server);
  return { address, uiUrl };
}

async function mongoServer(cfg: LauncherConfig): Promise<string> {
  if (cfg.MONGODB_URI) return cfg.MONGODB_URI;
  const base = `mongodb://127.0.0.1:${cfg.MONGODB_PORT}`;
  if (await isListening(cfg.MONGODB_PORT)) {
    await probeMongo(base).catch(() => {
      throw new LaunchError(
        `port ${cfg.MONGODB_PORT} is in use by something that does not speak the MongoDB protocol: ` +
          `stop it, or set MONGODB_PORT (embedded) or MONGODB_URI (external)`,
      );
    });
    console.log(`reusing the MongoDB-compatible server already running at ${base}`);
    return `${base}/compass`;
  }
  const binary = await ensureBinary(FERRETDB);
  console.log(`starting FerretDB on 127.0.0.1:${cfg.MONGODB_PORT}…`);
  const server = await startFerretDb({ binary, port: cfg.MONGODB_PORT, dataDir: cfg.dataDir });
  started.push(server);
  return `${server.uri}/compass`;
}

async function checkHealth(url: string): Promise<void> {
  const res = await fetch(`${url}/healthz`);
  if (!res.ok) throw new Error(`healthz answered ${res.status}`);
}

async function stopAll(): Promise<void> {
  for (const proc of started.reverse()) await proc.stop();
}

let stopping = false;
function shutdown(code: number): void {
  if (stopping) return;
  stopping = true;
  console.log('stopping…');
  void stopAll().finally(() => process.exit(code));
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

main().catch((err: unknown) => {
  const known = err instanceof LaunchError || err instanceof MissingGoError;
  console.error(known ? err.message : err);
  shutdown(1);
});
