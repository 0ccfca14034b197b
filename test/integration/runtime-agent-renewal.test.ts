import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { runAgent } from '../../agent/agent';
import { parseToken } from '../../agent/connection';
import type { ConnectionStatus } from '../../agent/state';
import { fixScenarioKit } from '../fixtures/runtime-scenarios';
import { eventually, type Stack, startStack } from './harness';

/**
 * Client certificates valid 70 s (backdated a minute for clock skew): the Connector asks for
 * renewal when 30 % remains (49 s after issue); an agent renews at its jittered point, 70–90 %
 * of the certificate's validity from notBefore (31 s to 57 s after issue). The jitter source is
 * pinned: 1 puts the point after the Connector's request, 0 well before it.
 */
const VALIDITY_MS = 70_000;

let stack: Stack;
const kit = fixScenarioKit(() => stack);
const dirs: string[] = [];
const running: Array<{ abort: AbortController; done: Promise<void> }> = [];

beforeAll(async () => {
  stack = await startStack({ certificateValidityMs: VALIDITY_MS });
});
afterAll(async () => {
  for (const r of running) r.abort.abort();
  await Promise.allSettled(running.map((r) => r.done));
  await stack?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A registered runtime with an agent in this process, its renewal jitter pinned to `random`. */
async function startAgent(random: number) {
  const tenant = await kit.fixTenantWithScenarios();
  const rt = await kit.registerRuntime(tenant);
  const res = await stack.gql<{ requestOneTimeTokenForRuntime: { rawEncoded: string } }>(
    `mutation($id: ID!) { requestOneTimeTokenForRuntime(id: $id) { rawEncoded } }`,
    { id: rt.id },
    tenant,
  );
  const token = parseToken(res.body.data!.requestOneTimeTokenForRuntime.rawEncoded, undefined);
  const stateDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'compass-agent-')), 'state');
  dirs.push(path.dirname(stateDir));
  const abort = new AbortController();
  const done = runAgent(
    {
      stateDir,
      tokens: () => [token],
      syncPeriodMs: 1000,
      heartbeatIntervalMs: 1000,
      pageSize: 20,
      statusPort: 0,
      timeoutMs: 10_000,
      labels: {},
      checks: [],
      random: () => random,
    },
    pino({ level: 'silent' }),
    abort.signal,
  );
  running.push({ abort, done });
  const status = () =>
    JSON.parse(readFileSync(path.join(stateDir, 'status.json'), 'utf8')) as ConnectionStatus;
  const certificate = () => new X509Certificate(readFileSync(path.join(stateDir, 'client.crt')));
  const key = () => readFileSync(path.join(stateDir, 'client.key'), 'utf8');
  return { tenant, runtimeId: rt.id, status, certificate, key };
}

type Agent = Awaited<ReturnType<typeof startAgent>>;

async function synchronized(agent: Agent): Promise<ConnectionStatus> {
  return eventually(async () => {
    try {
      const s = agent.status();
      return s.state === 'Synchronized' ? s : undefined;
    } catch {
      return undefined; // not written yet
    }
  }, 'the agent to synchronise');
}

async function renewed(agent: Agent): Promise<ConnectionStatus> {
  return eventually(
    async () => {
      const s = agent.status();
      return (s.renewals ?? 0) >= 1 && s.state === 'Synchronized' ? s : undefined;
    },
    'the agent to renew its certificate',
    VALIDITY_MS,
  );
}

describe('the Runtime Agent renews its certificate', () => {
  it('when the Connector asks for it (renewalRequired) and at its jittered point, with a new key each time', async () => {
    const [asked, jittered] = await Promise.all([startAgent(1), startAgent(0)]);
    const before = await Promise.all(
      [asked, jittered].map(async (a) => {
        const s = await synchronized(a);
        const cert = a.certificate();
        const notBefore = Date.parse(cert.validFrom);
        const span = Date.parse(cert.validTo) - notBefore;
        return { status: s, serial: cert.serialNumber, key: a.key(), notBefore, span };
      }),
    );
    // The pinned jitter: 90 % and 70 % of the validity, from notBefore.
    expect(Date.parse(before[0]!.status.renewAt!)).toBe(before[0]!.notBefore + before[0]!.span * 0.9);
    expect(Date.parse(before[1]!.status.renewAt!)).toBe(before[1]!.notBefore + before[1]!.span * 0.7);
    expect(before.map((b) => b.status.renewals)).toEqual([0, 0]);

    const [afterAsked, afterJittered] = await Promise.all([renewed(asked), renewed(jittered)]);
    expect(afterAsked.lastRenewal?.reason).toBe('the Connector asked for it');
    expect(afterJittered.lastRenewal?.reason).toBe('the renewal point was reached');
    // Renewed before the point it would have renewed at by itself / before the Connector asked.
    expect(Date.parse(afterAsked.lastRenewal!.at)).toBeLessThan(Date.parse(before[0]!.status.renewAt!));
    expect(Date.parse(afterJittered.lastRenewal!.at)).toBeLessThan(
      Date.parse(before[1]!.status.notAfter!) - 0.3 * VALIDITY_MS,
    );
    for (const [i, agent] of [asked, jittered].entries()) {
      expect(agent.certificate().serialNumber).not.toBe(before[i]!.serial);
      expect(agent.key()).not.toBe(before[i]!.key);
      expect(Date.parse(agent.status().notAfter!)).toBeGreaterThan(Date.parse(before[i]!.status.notAfter!));
    }

    // The renewed certificate works: the agents keep synchronising and heartbeating with it.
    for (const agent of [asked, jittered]) {
      const renewedAt = Date.parse(agent.status().lastRenewal!.at);
      await eventually(async () => {
        const s = agent.status();
        return s.state === 'Synchronized' && Date.parse(s.lastSuccess!) > renewedAt ? true : undefined;
      }, 'a synchronisation with the renewed certificate');
      const res = await stack.gql<{ runtime: { health: { status: string; lastHeartbeat: string } } }>(
        `query($id: ID!) { runtime(id: $id) { health { status lastHeartbeat } } }`,
        { id: agent.runtimeId },
        agent.tenant,
      );
      expect(res.body.data!.runtime.health.status).toBe('HEALTHY');
      await eventually(async () => {
        const again = await stack.gql<{ runtime: { health: { lastHeartbeat: string } } }>(
          `query($id: ID!) { runtime(id: $id) { health { lastHeartbeat } } }`,
          { id: agent.runtimeId },
          agent.tenant,
        );
        return Date.parse(again.body.data!.runtime.health.lastHeartbeat) > renewedAt ? true : undefined;
      }, 'a heartbeat with the renewed certificate');
    }
  });
});
