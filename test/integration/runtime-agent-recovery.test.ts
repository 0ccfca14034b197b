import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ConnectionStatus } from '../../agent/state';
import { runtimeWorkflowId } from '../../domain/ids';
import { getRuntimeHealthQuery } from '../../workflows/runtime/messages';
import { AGENT, AgentProcesses, FAST_RUNTIME_HEALTH, requireBuilt } from '../fixtures/agent-process';
import { fixScenarioKit } from '../fixtures/runtime-scenarios';
import { eventually, type Stack, startStack } from './harness';
import { mtlsGql } from './mtls-client';

let stack: Stack;
const kit = fixScenarioKit(() => stack);
const agents = new AgentProcesses();

beforeAll(async () => {
  requireBuilt(AGENT);
  // Heartbeats every 0.5 s: grace period 3 s; gateways pulse every 0.5 s.
  stack = await startStack({ runtimeHealth: FAST_RUNTIME_HEALTH });
});
afterAll(() => agents.close(stack));

async function rawToken(tenant: string, runtimeId: string): Promise<string> {
  const res = await stack.gql<{ requestOneTimeTokenForRuntime: { rawEncoded: string } }>(
    `mutation($id: ID!) { requestOneTimeTokenForRuntime(id: $id) { rawEncoded } }`,
    { id: runtimeId },
    tenant,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.requestOneTimeTokenForRuntime.rawEncoded;
}

/** Writes the agent's config file whole (rename), as an operator's tooling would. */
function writeConfig(file: string, config: Record<string, unknown>): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(config));
  renameSync(`${file}.tmp`, file);
}

/** A registered runtime with its agent running as a process, configured by a config file. */
async function startAgent(tenant: string, name = 'runtime') {
  const rt = await kit.registerRuntime(tenant, { name });
  const dir = agents.tempDir();
  const stateDir = path.join(dir, 'state');
  const config = path.join(dir, 'agent.json');
  writeConfig(config, { token: await rawToken(tenant, rt.id) });
  const child = spawn(
    process.execPath,
    [
      AGENT,
      'run',
      '--config',
      config,
      '--state-dir',
      stateDir,
      '--sync-period',
      '1',
      '--heartbeat-interval',
      '0.5',
      '--allow-short-periods',
      '--status-port',
      '0',
      '--log-level',
      'error',
    ],
    { env: { PATH: process.env.PATH }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  agents.track(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = (): ConnectionStatus | undefined => {
    try {
      return JSON.parse(readFileSync(path.join(stateDir, 'status.json'), 'utf8')) as ConnectionStatus;
    } catch {
      return undefined; // not written yet
    }
  };
  const file = (name: string) => readFileSync(path.join(stateDir, name), 'utf8');
  return { runtimeId: rt.id, config, status, file, child, stderr: () => stderr };
}

type Agent = Awaited<ReturnType<typeof startAgent>>;

const inState = (agent: Agent, state: string) =>
  eventually(async () => (agent.status()?.state === state ? agent.status() : undefined), `state ${state}`);

async function healthOf(tenant: string, runtimeId: string): Promise<string> {
  const res = await stack.gql<{ runtime: { health: { status: string } } }>(
    `query($id: ID!) { runtime(id: $id) { health { status } } }`,
    { id: runtimeId },
    tenant,
  );
  return res.body.data!.runtime.health.status;
}

const healthy = (tenant: string, runtimeId: string) =>
  eventually(
    async () => ((await healthOf(tenant, runtimeId)) === 'HEALTHY' ? true : undefined),
    `runtime ${runtimeId} HEALTHY`,
  );

async function transitions(tenant: string, runtimeId: string): Promise<string[]> {
  const res = await stack.gql<{ healthChecks: { data: Array<{ runtimeHealth: string }> } }>(
    `query($o: ID) { healthChecks(types: [RUNTIME_HEARTBEAT], origin: $o, first: 100) { data { runtimeHealth } } }`,
    { o: runtimeId },
    tenant,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.healthChecks.data.map((r) => r.runtimeHealth);
}

describe('the Runtime Agent recovers', () => {
  it('from a revoked certificate: ConnectionFailed with the reason, then connected again with a new token put in its config file', async () => {
    const tenant = await kit.fixTenantWithScenarios();
    const agent = await startAgent(tenant);
    const first = await inState(agent, 'Synchronized');
    await healthy(tenant, agent.runtimeId);
    const serial = new X509Certificate(agent.file('client.crt')).serialNumber;

    const revoked = await mtlsGql<{ revokeCertificate: boolean }>(
      stack,
      'connector',
      { cert: agent.file('client.crt'), key: agent.file('client.key'), ca: agent.file('ca.crt') },
      `mutation { revokeCertificate }`,
    );
    expect(revoked.body).toEqual({ data: { revokeCertificate: true } });
    const failed = await inState(agent, 'ConnectionFailed');
    expect(failed.error).toContain('the certificate was refused (revoked or unknown)');
    // It keeps running, waiting for a new one-time token.
    expect(agent.child.exitCode).toBeNull();

    writeConfig(agent.config, { token: await rawToken(tenant, agent.runtimeId) });
    const again = await inState(agent, 'Synchronized');
    expect(new X509Certificate(agent.file('client.crt')).serialNumber).not.toBe(serial);
    expect(again.triedTokenHashes).toHaveLength(2);
    expect(again.triedTokenHashes?.[0]).toBe(first.triedTokenHashes?.[0]);
    expect(again.error).toBeUndefined();
    expect(agent.child.exitCode).toBeNull();
    const lastSuccess = Date.parse(again.lastSuccess!);
    await eventually(async () => {
      const res = await stack.gql<{ runtime: { health: { status: string; lastHeartbeat: string } } }>(
        `query($id: ID!) { runtime(id: $id) { health { status lastHeartbeat } } }`,
        { id: agent.runtimeId },
        tenant,
      );
      const h = res.body.data!.runtime.health;
      return h.status === 'HEALTHY' && Date.parse(h.lastHeartbeat) >= lastSuccess ? true : undefined;
    }, 'a heartbeat with the new certificate');
  });

  it('a gateway stopped for longer than the grace period while agents run: no runtime UNREACHABLE, HEALTHY again after', async () => {
    const tenant = await kit.fixTenantWithScenarios();
    const agents = await Promise.all([startAgent(tenant, 'east'), startAgent(tenant, 'west')]);
    for (const a of agents) await healthy(tenant, a.runtimeId);

    await stack.stopGateway();
    const health = (a: Agent) =>
      stack.client.workflow.getHandle(runtimeWorkflowId(tenant, a.runtimeId)).query(getRuntimeHealthQuery);
    // The leases run out with no gateway receiving: UNKNOWN, then looked at again a grace
    // period later, still UNKNOWN.
    for (const a of agents) {
      const unknown = await eventually(async () => {
        const h = await health(a);
        return h.status === 'UNKNOWN' && h.recheckAtMs !== undefined ? h : undefined;
      }, 'the lease to run out with the gateway down');
      await eventually(async () => {
        const h = await health(a);
        expect(h.status).toBe('UNKNOWN');
        return h.recheckAtMs! > unknown.recheckAtMs! ? true : undefined;
      }, 'a second look with the gateway still down');
    }
    for (const a of agents) expect(a.status()?.state).toBe('ConnectionMaintenanceFailed');

    await stack.startGateway();
    for (const a of agents) await healthy(tenant, a.runtimeId);
    for (const a of agents) {
      const seen = await transitions(tenant, a.runtimeId);
      expect(seen).not.toContain('UNREACHABLE');
      expect(seen[0]).toBe('HEALTHY');
      expect(seen).toContain('UNKNOWN');
    }
  });
});
