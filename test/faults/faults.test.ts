import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { bearer } from '../e2e/launch';
import { checkTenant, stuckWorkflows, type Deadlines } from './checks';
import { FaultClient, type GatewayEndpoint } from './client';
import { Load, recoveryMs } from './load';
import { prepareTenant } from './operations';
import {
  startGatewayProcess,
  startServers,
  startWorkerProcess,
  stackEnv,
  type StackProcess,
} from './processes';
import { faultRow, faultTable, type FaultRow } from './report';

/**
 * `FAULT_SUITE=full` (npm run test:faults): more clients, more operations and a longer outage
 * per fault; otherwise the short form `npm test` runs.
 */
const FULL = process.env.FAULT_SUITE === 'full';
const SIZE = FULL
  ? { clients: 8, before: 150, after: 250, downMs: 10_000, testMs: 900_000 }
  : { clients: 3, before: 15, after: 20, downMs: 1_000, testMs: 180_000 };
/** The gateway's REQUEST_TIMEOUT_MS; a client that waits longer than this plus a margin has hung. */
const REQUEST_TIMEOUT_MS = 15_000;
const CLIENT_WAIT_MS = REQUEST_TIMEOUT_MS + 10_000;
const TOKEN_TTL_SECONDS = 60;
const CREDENTIAL_REQUEST_TIMEOUT_SECONDS = 60;
/** Beyond its configured lifetime, how long a short-lived workflow may take to notice it ended. */
const DEADLINE_SLACK_MS = 60_000;
const DEADLINES: Deadlines = [
  {
    type: 'pairingWorkflow',
    statuses: ['ISSUING', 'NEW', 'ISSUED', 'REDEEMED'],
    deadlineMs: 60_000 + 2 * TOKEN_TTL_SECONDS * 1000 + DEADLINE_SLACK_MS,
  },
  {
    type: 'credentialRequestWorkflow',
    statuses: ['PENDING', 'SUCCEEDED', 'FAILED'],
    deadlineMs: CREDENTIAL_REQUEST_TIMEOUT_SECONDS * 1000 + DEADLINE_SLACK_MS,
  },
];

describe(`the stack under faults (${FULL ? 'full' : 'short'} form)`, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'compass-faults-'));
  const stopped: StackProcess[] = [];
  const rows: FaultRow[] = [];
  const client = new FaultClient(CLIENT_WAIT_MS);
  let stack: {
    servers: Awaited<ReturnType<typeof startServers>>;
    worker: StackProcess;
    gateways: [StackProcess & GatewayEndpoint, StackProcess & GatewayEndpoint];
    dataDir: string;
    mongo: MongoClient;
    connection: Connection;
    temporal: Client;
  };

  beforeAll(async () => {
    const servers = await startServers(dir);
    stopped.push(servers.temporal, servers.ferretdb);
    const dataDir = path.join(dir, 'data');
    const env = await stackEnv(dataDir, servers, {
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      APP_TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS),
      CSR_TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS),
      CREDENTIAL_REQUEST_TIMEOUT_SECONDS: String(CREDENTIAL_REQUEST_TIMEOUT_SECONDS),
      // One address sends the whole load: the per-address limit would refuse most of it.
      RATE_LIMIT_PER_MINUTE: '0',
    });
    const worker = await startWorkerProcess('worker', env, dir);
    stopped.push(worker);
    const gateways = await Promise.all([
      startGatewayProcess('gateway-a', env, dir),
      startGatewayProcess('gateway-b', env, dir),
    ]);
    stopped.push(...gateways);
    const mongo = await MongoClient.connect(`${servers.mongoBase}/compass`);
    const connection = await Connection.connect({ address: servers.temporalAddress });
    const temporal = new Client({ connection });
    stack = { servers, worker, gateways, dataDir, mongo, connection, temporal };
  }, 300_000);

  afterAll(async () => {
    if (rows.length)
      process.stdout.write(`\nFault suite (${FULL ? 'full' : 'short'}):\n${faultTable(rows)}\n\n`);
    await stack?.mongo.close();
    await stack?.connection.close();
    for (const proc of stopped.reverse()) await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  /**
   * Runs the mixed load on a fresh tenant through both gateways, SIGKILLs `target` mid-load,
   * restarts it after an outage, keeps the load going until every kind of operation is
   * acknowledged again, then checks the stack against what the clients were told.
   */
  async function underFault(fault: string, target: () => StackProcess): Promise<FaultRow> {
    const [a] = stack.gateways;
    const tenant = `faults-${fault.replace(/\W+/g, '-')}-${randomUUID().slice(0, 8)}`;
    const t = await prepareTenant(client, a, tenant, await bearer(stack.dataDir));
    const load = new Load(client, stack.gateways, t);
    const { records } = load.ledger;
    load.start(SIZE.clients);
    await load.until(() => records.length >= SIZE.before);
    const killedAt = Date.now();
    await target().kill('SIGKILL');
    await new Promise((r) => setTimeout(r, SIZE.downMs));
    await target().restart();
    const downMs = Date.now() - killedAt;
    const upAt = Date.now();
    await load.until(
      () =>
        recoveryMs(records, killedAt) !== undefined &&
        records.filter((r) => r.startedAt >= upAt).length >= SIZE.after,
    );
    await load.stop();
    await load.callAgainAsPaired(a);
    const deps = { db: stack.mongo.db(), temporal: stack.temporal };
    const check = await checkTenant(deps, t, load.ledger, CLIENT_WAIT_MS + 30_000);
    // The fault takes down only its target: every other process of the stack kept running.
    const { servers, worker, gateways } = stack;
    for (const proc of [servers.temporal, servers.ferretdb, worker, ...gateways]) {
      const code = proc.current().child.exitCode;
      if (code !== null) check.problems.push(`${proc.name} exited (code ${code})`);
    }
    const row = faultRow(fault, records, check, { downMs, recoveryMs: recoveryMs(records, killedAt) });
    rows.push(row);
    return row;
  }

  const clean = (row: FaultRow) => ({
    lost: row.lost,
    duplicated: row.duplicated,
    hangs: row.hangs,
    problems: row.problems,
  });
  const CLEAN = { lost: 0, duplicated: 0, hangs: 0, problems: [] };

  it(
    'a SIGKILLed worker, restarted, finishes what was accepted: nothing lost or duplicated, no hang',
    async () => {
      expect(clean(await underFault('worker', () => stack.worker))).toEqual(CLEAN);
    },
    SIZE.testMs,
  );

  it(
    'a SIGKILLed Temporal dev server, restarted on its data: nothing lost or duplicated, no hang',
    async () => {
      expect(clean(await underFault('Temporal', () => stack.servers.temporal))).toEqual(CLEAN);
    },
    SIZE.testMs,
  );

  it(
    'a SIGKILLed FerretDB, restarted on its data: nothing lost or duplicated, no hang',
    async () => {
      expect(clean(await underFault('FerretDB', () => stack.servers.ferretdb))).toEqual(CLEAN);
    },
    SIZE.testMs,
  );

  it(
    'one of two gateways SIGKILLed: the load goes on through the other, nothing lost or duplicated, no hang',
    async () => {
      expect(clean(await underFault('gateway', () => stack.gateways[1]))).toEqual(CLEAN);
    },
    SIZE.testMs,
  );

  it('leaves no short-lived workflow running past its deadline', async () => {
    expect(await stuckWorkflows(stack.temporal, DEADLINES)).toEqual([]);
  });
});
