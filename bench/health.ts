import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { type Db, MongoClient } from 'mongodb';
import * as forge from 'node-forge';
import pLimit from 'p-limit';
import { Agent, request } from 'undici';
import { createTrustActivities } from '../activities/trust';
import { runtimeWorkflowId } from '../domain/ids';
import { certificateSubject } from '../infra/trust';
import { CertificateRepository } from '../store/certificates';
import { SystemAuthRepository } from '../store/system-auths';
import { heartbeatSignal, type RuntimeHeartbeat } from '../workflows/runtime/messages';
import type { BenchContext } from './context';
import {
  type Comparison,
  combine,
  compare,
  measure,
  percentile,
  type Sample,
  settle,
  unwatchProcess,
  watchProcess,
} from './measure';
import { processStat, startStackProcesses, type StackProcesses } from './stack-processes';
import { loadOrCreateCa } from '../pki';

const REGISTER = `mutation R($in: RuntimeInput!) { registerRuntime(in: $in) { id } }`;
const REPORT = `mutation H($in: RuntimeHealthInput!) { reportRuntimeHealth(in: $in) }`;
const SUBJECT = 'O=Org,OU=OrgUnit,L=Locality,ST=State,C=PL';
/** Heartbeat rounds per subject (every runtime sends one per round), alternating with the floor. */
const ROUNDS = 2;
/** Workflows whose histories give the latencies (all of them below this many runtimes). */
const LATENCY_SAMPLE = 200;
const SETUP_CONCURRENCY = 32;

interface SimulatedAgent {
  readonly runtimeId: string;
  readonly workflowId: string;
  readonly dispatcher: Agent;
}

/**
 * Runtime heartbeats at fleet size, with the gateway and the worker as their own processes (as
 * `npm start` runs them; this process holds only the simulated agents and the floor's client):
 * `-n` runtimes, each registered through the Director (its
 * own runtime workflow), each with its own client certificate, issued by the stack's CA and
 * recorded with a runtime SystemAuth exactly as the Connector's signing step does, so the
 * gateway's mTLS listener authenticates it as any agent's. Simulated agents (one keep-alive
 * undici dispatcher with its certificate per runtime) send `reportRuntimeHealth` round after
 * round: the interval compressed to one round, `-c` heartbeats in flight. Floor, same run,
 * alternating rounds: the Temporal client signalling the same running workflows with the same
 * heartbeat (what the gateway does after authenticating, parsing and authorizing). Throughput
 * counts heartbeats delivered: a round's clock stops once the stack is idle again, so every
 * heartbeat sent has been handled by its workflow; latency is from the send to the workflow
 * task that recorded it, read from the histories of a sample.
 */
export async function healthBenchmark(ctx: BenchContext): Promise<Comparison> {
  const n = ctx.count;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'compass-bench-health-'));
  // A round of 10,000 heartbeats takes longer than the default minimum grace (60 s) and than
  // the default keep-alive (65 s): the compressed interval is a round, so both exceed it.
  const stack = await startStackProcesses(ctx, dataDir, {
    RUNTIME_HEALTH_GRACE_SECONDS: '3600',
    MTLS_KEEP_ALIVE_SECONDS: '3600',
  });
  watchProcess('gateway', stack.gatewayPid);
  watchProcess('worker', stack.workerPid);
  const connection = await Connection.connect({ address: ctx.temporalAddress });
  const client = new Client({ connection, namespace: ctx.namespace });
  const mongo = await MongoClient.connect(stack.mongoUri);
  const agents: SimulatedAgent[] = [];
  try {
    await settle({ calibrate: true });
    const tenant = `bench-${randomUUID()}`;
    const setupStarted = performance.now();
    agents.push(...(await fleet(stack, mongo.db(), tenant, n)));
    console.log(
      `  ${n} runtimes registered with certificates in ${((performance.now() - setupStarted) / 1000).toFixed(0)} s`,
    );

    const heartbeat = (sentAt: string, check: string): RuntimeHeartbeat => ({
      status: 'UP',
      checks: [{ name: check, status: 'UP' }],
      receivedAt: sentAt,
      sentAt,
      graceMs: 3_600_000,
    });
    const project = async (i: number) => {
      const agent = agents[i % n]!;
      const res = await request(`${stack.mtlsUrl}/director/graphql`, {
        method: 'POST',
        dispatcher: agent.dispatcher,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: REPORT,
          variables: {
            in: {
              runtimeID: agent.runtimeId,
              status: 'UP',
              checks: [{ name: 'connection', status: 'UP' }],
              intervalSeconds: 30,
              sentAt: new Date().toISOString(),
            },
          },
        }),
      });
      const body = (await res.body.json()) as { data?: { reportRuntimeHealth: boolean }; errors?: unknown };
      if (!body.data?.reportRuntimeHealth)
        throw new Error(`heartbeat refused: ${JSON.stringify(body.errors)}`);
    };
    const floor = async (i: number) => {
      const agent = agents[i % n]!;
      await client.workflow
        .getHandle(agent.workflowId)
        .signal(heartbeatSignal, heartbeat(new Date().toISOString(), 'floor'));
    };

    // Every simulated agent connects and sends its first heartbeat before the rounds: the rounds
    // measure sustained heartbeats, not handshakes or a runtime's first call (CONNECTED).
    // Each measurement ends when the stack is idle again: throughput counts heartbeats the
    // workflows have handled, and no round inherits the previous one's backlog.
    const opts = { count: n, concurrency: ctx.concurrency, settled: true };
    await measure('warm-up', project, opts);
    await measure('warm-up', floor, { ...opts, count: Math.min(n, 200) });
    const projectRounds: Sample[] = [];
    const floorRounds: Sample[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      floorRounds.push(await measure('Temporal client signals the runtime workflows (floor)', floor, opts));
      projectRounds.push(
        await measure('reportRuntimeHealth over mTLS, per-runtime certificates', project, opts),
      );
    }
    const worker = processStat(stack.workerPid);
    const gateway = processStat(stack.gatewayPid);

    const sample = agents.slice(0, Math.min(n, LATENCY_SAMPLE));
    const latencies = await deliveryLatencies(client, sample);
    const maxEvents = await mostHistoryEvents(client, agents);
    const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;
    return compare(
      'health',
      withLatencies(combine(projectRounds), latencies.get('connection') ?? []),
      withLatencies(combine(floorRounds), latencies.get('floor') ?? []),
      `${n} runtimes, ${ROUNDS} rounds each, concurrency ${ctx.concurrency}; p50/p99 from send to the ` +
        `workflow task that recorded the heartbeat (histories of ${sample.length} workflows); ` +
        `worker RSS ${mb(worker.rssBytes)}, gateway RSS ${mb(gateway.rssBytes)} (separate processes); ` +
        `most history events of any runtime workflow: ${maxEvents}`,
    );
  } finally {
    await Promise.allSettled(agents.map((a) => a.dispatcher.close()));
    unwatchProcess('gateway');
    unwatchProcess('worker');
    await connection.close();
    await mongo.close();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Registers `n` runtimes and gives each its own certificate (setup, not timed). */
async function fleet(stack: StackProcesses, db: Db, tenant: string, n: number): Promise<SimulatedAgent[]> {
  const systemAuths = new SystemAuthRepository(db);
  const trust = createTrustActivities({
    tokens: {
      put: () => Promise.reject(new Error('not used')),
      delete: () => Promise.reject(new Error('not used')),
    },
    certificates: new CertificateRepository(db),
    ca: await loadOrCreateCa({ dir: path.join(stack.dataDir, 'ca') }),
    subject: certificateSubject({ CERT_SUBJECT: SUBJECT }),
    certificateValidityMs: 24 * 3_600_000,
  });
  // One RSA key for every simulated agent: each certificate is its own (serial, CN, hash).
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgePublicKey = forge.pki.publicKeyFromPem(
    publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  );
  const limit = pLimit(SETUP_CONCURRENCY);
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      limit(async () => {
        const res = await fetch(`${stack.url}/director/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', tenant, authorization: stack.authorization },
          // Registered CONNECTED (a RuntimeInput field): the warm-up's first calls then find
          // nothing to record, so the setup does not time a fleet's first connection.
          body: JSON.stringify({
            query: REGISTER,
            variables: { in: { name: `runtime-${i}`, statusCondition: 'CONNECTED' } },
          }),
        });
        const body = (await res.json()) as { data?: { registerRuntime: { id: string } }; errors?: unknown };
        if (!body.data) throw new Error(`registerRuntime failed: ${JSON.stringify(body.errors)}`);
        const runtimeId = body.data.registerRuntime.id;
        const clientId = randomUUID();
        await systemAuths.put({
          id: clientId,
          tenantId: tenant,
          kind: 'RUNTIME',
          referenceObjectId: runtimeId,
          createdAt: new Date().toISOString(),
        });
        const signed = await trust.signCertificate({
          tenantId: tenant,
          clientId,
          csr: csrBase64(forgePublicKey, privateKey, `${SUBJECT},CN=${clientId}`),
        });
        const pem = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
        return {
          runtimeId,
          workflowId: runtimeWorkflowId(tenant, runtimeId),
          dispatcher: new Agent({
            connections: 1,
            keepAliveTimeout: 3_600_000,
            keepAliveMaxTimeout: 3_600_000,
            connect: { cert: pem(signed.certificateChain), key: keyPem, ca: pem(signed.caCertificate) },
          }),
        };
      }),
    ),
  );
}

/** A CSR (base64 of PEM) for `subject`, built by forge and signed natively. */
function csrBase64(
  forgePublicKey: forge.pki.rsa.PublicKey,
  privateKey: Parameters<typeof sign>[2],
  subject: string,
): string {
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forgePublicKey;
  csr.setSubject(
    subject.split(',').map((part) => {
      const eq = part.indexOf('=');
      return { shortName: part.slice(0, eq), value: part.slice(eq + 1) };
    }),
  );
  const info = (forge.pki as unknown as ForgeCsrInfo).getCertificationRequestInfo(csr);
  const signature = sign('sha256', Buffer.from(forge.asn1.toDer(info).getBytes(), 'binary'), privateKey);
  csr.certificationRequestInfo = info;
  csr.signatureOid = forge.pki.oids.sha256WithRSAEncryption!;
  csr.signature = signature.toString('binary');
  return Buffer.from(forge.pki.certificationRequestToPem(csr)).toString('base64');
}

/** node-forge's `getCertificationRequestInfo`, missing from its type declarations. */
interface ForgeCsrInfo {
  getCertificationRequestInfo(csr: forge.pki.CertificateSigningRequest): forge.asn1.Asn1;
}

const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
  Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;

/**
 * Per check name (the project's `connection`, the floor's `floor`): milliseconds from each
 * heartbeat's `sentAt` to the start of the workflow task that handled its signal.
 */
async function deliveryLatencies(
  client: Client,
  agents: readonly SimulatedAgent[],
): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  const limit = pLimit(8);
  await Promise.all(
    agents.map((agent) =>
      limit(async () => {
        const history = await client.workflow.getHandle(agent.workflowId).fetchHistory();
        const events = history.events ?? [];
        let waiting: Array<{ check: string; sentAt: number }> = [];
        for (const event of events) {
          const signaled = event.workflowExecutionSignaledEventAttributes;
          if (signaled?.signalName === heartbeatSignal.name) {
            const data = signaled.input?.payloads?.[0]?.data;
            if (!data) continue;
            const hb = JSON.parse(Buffer.from(data).toString('utf8')) as RuntimeHeartbeat;
            if (hb.sentAt) waiting.push({ check: hb.checks[0]?.name ?? '', sentAt: Date.parse(hb.sentAt) });
          } else if (event.workflowTaskStartedEventAttributes && waiting.length > 0) {
            const at = ms(event.eventTime);
            for (const w of waiting) {
              const list = out.get(w.check) ?? [];
              list.push(at - w.sentAt);
              out.set(w.check, list);
            }
            waiting = [];
          }
        }
      }),
    ),
  );
  for (const list of out.values()) list.sort((a, b) => a - b);
  return out;
}

/** The longest history among the runtime workflows. */
async function mostHistoryEvents(client: Client, agents: readonly SimulatedAgent[]): Promise<number> {
  const limit = pLimit(32);
  const lengths = await Promise.all(
    agents.map((a) =>
      limit(async () => (await client.workflow.getHandle(a.workflowId).describe()).historyLength),
    ),
  );
  return Math.max(...lengths);
}

function withLatencies(sample: Sample, sorted: readonly number[]): Sample {
  return { ...sample, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) };
}
