import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadOrCreateGatewayIssuer } from '../api/auth/client-credentials';
import { issueDevToken, loadOrCreateDevIssuer } from '../api/auth/dev-issuer';
import { allScopes } from '../api/auth/scopes';
import { projectRoot } from '../infra/paths';
import { loadOrCreateCa } from '../pki';
import { freePort, type Running, spawnTethered, waitUntilReady } from '../scripts/servers/process';
import type { BenchContext } from './context';

/** The gateway and a worker as separate OS processes (as `npm start` runs them), on the runner's servers. */
export interface StackProcesses {
  readonly url: string;
  /** The gateway's mTLS listener. */
  readonly mtlsUrl: string;
  readonly mongoUri: string;
  /** Where the stack's CA and token issuers are (shared by both processes). */
  readonly dataDir: string;
  readonly taskQueue: string;
  /** The gateway's own process (not its tether), for /proc figures. */
  readonly gatewayPid: number;
  /** The worker's own process. */
  readonly workerPid: number;
  /** A bearer token of the stack's local issuer holding every scope. */
  readonly authorization: string;
  stop(): Promise<void>;
}

/**
 * Starts `dist/api/main.js` and `dist/workers/main.js` on free ports, data under `dataDir`;
 * `settings` are more environment variables for both.
 */
export async function startStackProcesses(
  ctx: BenchContext,
  dataDir: string,
  settings: Readonly<Record<string, string>> = {},
): Promise<StackProcesses> {
  // Made once here, so the two processes starting together never race to create them.
  await loadOrCreateCa({ dir: path.join(dataDir, 'ca') });
  const issuer = await loadOrCreateDevIssuer(dataDir);
  await loadOrCreateGatewayIssuer(dataDir);
  const port = await freePort();
  const mtlsPort = await freePort();
  const taskQueue = `bench-${randomUUID()}`;
  const mongoUri = `${ctx.mongoBase}/bench_${randomUUID().slice(0, 8)}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    CA_DIR: path.join(dataDir, 'ca'),
    TEMPORAL_ADDRESS: ctx.temporalAddress,
    TEMPORAL_NAMESPACE: ctx.namespace,
    TEMPORAL_TASK_QUEUE: taskQueue,
    MONGODB_URI: mongoUri,
    PORT: String(port),
    MTLS_PORT: String(mtlsPort),
    INTERNAL_CONNECTOR_PORT: String(await freePort()),
    WORKER_METRICS_PORT: String(await freePort()),
    RATE_LIMIT_PER_MINUTE: '0', // the load comes from one address
    LOG_LEVEL: 'warn',
    LOG_PRETTY: 'false',
    ...settings,
  };
  const dist = path.join(projectRoot(), 'dist');
  const url = `http://127.0.0.1:${port}`;
  const workerLog = path.join(dataDir, 'worker.log');
  const started: Running[] = [];
  try {
    const worker = spawnTethered('worker', process.execPath, [path.join(dist, 'workers', 'main.js')], {
      env: { ...env, LOG_LEVEL: 'info' },
      logFile: workerLog,
    });
    started.push(worker);
    const gateway = spawnTethered('gateway', process.execPath, [path.join(dist, 'api', 'main.js')], {
      env,
      logFile: path.join(dataDir, 'gateway.log'),
    });
    started.push(gateway);
    await waitUntilReady(
      gateway,
      async () => {
        if (!(await fetch(`${url}/healthz`)).ok) throw new Error('gateway not ready');
      },
      120_000,
    );
    await waitUntilReady(
      worker,
      async () => {
        if (!readFileSync(workerLog, 'utf8').includes('"worker polling"')) throw new Error('not polling yet');
      },
      180_000,
    );
    const token = await issueDevToken(issuer, {
      tenant: '',
      scopes: allScopes(),
      consumerId: 'bench',
      ttlSec: 86_400,
    });
    return {
      url,
      mtlsUrl: `https://127.0.0.1:${mtlsPort}`,
      mongoUri,
      dataDir,
      taskQueue,
      gatewayPid: childPid(gateway),
      workerPid: childPid(worker),
      authorization: `Bearer ${token}`,
      stop: async () => {
        for (const p of started.reverse()) await p.stop();
      },
    };
  } catch (err) {
    for (const p of started.reverse()) await p.stop();
    throw err;
  }
}

/** The process a tether runs. */
function childPid(tether: Running): number {
  const pid = tether.child.pid!;
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
  if (!children[0]) throw new Error(`${tether.name} has no process`);
  return Number(children[0]);
}

/** CPU time (ms, user + system) and resident memory (bytes) of a process, from /proc. */
export interface ProcessStat {
  readonly cpuMs: number;
  readonly rssBytes: number;
}

const CLOCK_TICK_MS = 10; // USER_HZ is 100 on Linux

export function processStat(pid: number): ProcessStat {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const cpuMs = (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS;
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuMs, rssBytes: Number(rss?.[1] ?? 0) * 1024 };
}

/** The gateway's V8 heap in use (bytes), from its own /metrics. */
export async function heapUsedBytes(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = /^nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)$/m.exec(text);
  return line ? Number(line[1]) : NaN;
}
