import http from 'node:http';
import path from 'node:path';
import type { Logger } from 'pino';
import { CredentialRequests } from './bundle-credentials';
import { type AutoCredentialRequests, synchroniseCredentials } from './bundle-credentials-sync';
import { Connection, ConnectionRefusedError, type OneTimeToken } from './connection';
import { ensureStateDir } from './files';
import { type ConfiguredCheck, type HealthCheckResult, runCheck, startHeartbeats } from './heartbeat';
import { FileApplier, readApplications, updateMetadata } from './sync';
import { AgentState, type ConnectionStatus } from './state';

const NO_CREDENTIAL_REQUESTS = { total: 0, pending: 0, succeeded: 0, failed: 0, unused: 0 } as const;

/** Everything `run` needs, resolved from flags, environment and config file. */
export interface AgentOptions {
  readonly stateDir: string;
  /**
   * The one-time tokens configured now (flag, environment, config file, token file), read
   * again whenever the agent needs one: a new token put in the config file or the token file
   * reaches a running agent.
   */
  readonly tokens: () => readonly OneTimeToken[];
  readonly runtimeId?: string;
  readonly syncPeriodMs: number;
  readonly heartbeatIntervalMs: number;
  readonly pageSize: number;
  readonly statusPort: number;
  readonly timeoutMs: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly checks: readonly ConfiguredCheck[];
  /** When set, credentials are requested for every synchronised bundle (`--request-credentials`). */
  readonly requestCredentials?: AutoCredentialRequests;
  /** The jitter source of the certificate's renewal point (default `Math.random`). */
  readonly random?: () => number;
}

/** The running agent: maintenance and synchronisation each sync period, heartbeats on their own. */
export async function runAgent(opts: AgentOptions, log: Logger, signal: AbortSignal): Promise<void> {
  await ensureStateDir(opts.stateDir);
  const connection = new Connection(opts.stateDir, opts.timeoutMs, log, opts.random);
  await connection.load();
  const applier = new FileApplier(path.join(opts.stateDir, 'applications'));
  let lastLoop = Date.now();
  // Heartbeats wait for the first round: until then the state says nothing about this run.
  let rounds = 0;
  let runtimeId = opts.runtimeId ?? connection.status.runtimeId;
  const credentialRequests = new CredentialRequests(opts.stateDir, {
    client: () => connection.mtls,
    directorUrl: () => connection.status.mtlsDirectorUrl!,
  });
  const refusedBundles = new Map<string, string>();

  const untriedToken = () => opts.tokens().find((t) => !connection.tried(t));

  const round = async () => {
    lastLoop = Date.now();
    const now = new Date().toISOString();
    // Connection: bootstrap with an unused token when there is no usable certificate.
    if (!connection.credentials || connection.status.state === AgentState.ConnectionFailed) {
      const token = untriedToken();
      if (token) {
        try {
          await connection.bootstrap(token);
        } catch (err) {
          await connection.update({
            state: AgentState.ConnectionFailed,
            error: (err as Error).message,
            lastSync: now,
          });
          if (!connection.credentials) throw err;
          return;
        }
      } else if (!connection.credentials) {
        throw new ConnectionRefusedError(
          'no stored certificate and no unused one-time token (--token or TOKEN)',
        );
      } else {
        return; // refused certificate: waits for a new one-time token in its configuration
      }
    }
    try {
      await connection.maintain(2 * opts.syncPeriodMs);
    } catch (err) {
      const failed =
        err instanceof ConnectionRefusedError
          ? AgentState.ConnectionFailed
          : AgentState.ConnectionMaintenanceFailed;
      await connection.update({ state: failed, error: (err as Error).message, lastSync: now });
      log.warn({ state: failed, err: (err as Error).message }, 'connection maintenance failed');
      return;
    }
    const director = connection.status.mtlsDirectorUrl!;
    let apps: Awaited<ReturnType<typeof readApplications>>;
    try {
      if (!runtimeId) {
        const { viewer } = await connection.mtls.query<{ viewer: { id: string } }>(
          director,
          '{ viewer { id type } }',
        );
        runtimeId = viewer.id;
        await connection.update({ runtimeId });
      }
      apps = await readApplications(connection.mtls, director, runtimeId, opts.pageSize);
      const changes = await applier.apply(apps);
      if (changes.added || changes.removed)
        log.info({ applications: apps.length, ...changes }, 'applications synchronised');
    } catch (err) {
      await connection.update({
        state: AgentState.SynchronizationFailed,
        error: (err as Error).message,
        lastSync: now,
      });
      log.warn({ err: (err as Error).message }, 'synchronisation failed');
      return;
    }
    try {
      await updateMetadata(connection.mtls, director, runtimeId, opts.labels, true);
    } catch (err) {
      await connection.update({
        state: AgentState.MetadataUpdateFailed,
        error: (err as Error).message,
        lastSync: now,
      });
      log.warn({ err: (err as Error).message }, 'metadata update failed');
      return;
    }
    // Credential requests follow the view just applied; their failures are theirs alone.
    let credentials: ConnectionStatus['credentialRequests'];
    try {
      const summary = await synchroniseCredentials(
        credentialRequests,
        apps,
        opts.requestCredentials,
        refusedBundles,
        log,
      );
      if (summary.total > 0 || opts.requestCredentials) credentials = summary;
    } catch (err) {
      credentials = {
        ...(connection.status.credentialRequests ?? NO_CREDENTIAL_REQUESTS),
        error: (err as Error).message,
      };
      log.warn({ err: (err as Error).message }, 'credential requests not synchronised');
    }
    const { error: _cleared, credentialRequests: _previous, ...rest } = connection.status;
    connection.status = rest;
    await connection.update({
      state: AgentState.Synchronized,
      lastSync: now,
      lastSuccess: now,
      ...(credentials && { credentialRequests: credentials }),
    });
  };

  const checks = async (): Promise<HealthCheckResult[]> => {
    const s = connection.status.state;
    const connected = s !== AgentState.ConnectionFailed && s !== AgentState.ConnectionMaintenanceFailed;
    const synced = s === AgentState.Synchronized || s === AgentState.MetadataUpdateFailed;
    const own = await Promise.all(
      opts.checks.map((c) => runCheck(c, Math.min(opts.timeoutMs, opts.heartbeatIntervalMs))),
    );
    return [
      connected ? { name: 'connection', status: 'UP' } : { name: 'connection', status: 'DOWN', message: s },
      synced
        ? { name: 'synchronization', status: 'UP' }
        : { name: 'synchronization', status: 'DOWN', message: s },
      ...own,
    ];
  };

  const server = await startStatusServer(opts.statusPort, () => ({
    ...connection.status,
    ...(runtimeId && { runtimeId }),
    live: Date.now() - lastLoop < 3 * opts.syncPeriodMs + opts.timeoutMs,
  }));
  const heartbeats = startHeartbeats({
    intervalMs: opts.heartbeatIntervalMs,
    client: () => (connection.credentials && rounds > 0 ? connection.mtls : undefined),
    directorUrl: () => connection.status.mtlsDirectorUrl,
    runtimeId: () => runtimeId,
    checks,
    log,
  });
  log.info({ stateDir: opts.stateDir, statusUrl: server.url }, 'agent running');
  try {
    while (!signal.aborted) {
      await round();
      rounds += 1;
      await new Promise<void>((resolve) => {
        const onAbort = () => (clearTimeout(t), resolve());
        const t = setTimeout(
          () => (signal.removeEventListener('abort', onAbort), resolve()),
          opts.syncPeriodMs,
        );
        signal.addEventListener('abort', onAbort, { once: true });
      });
    }
  } finally {
    heartbeats.stop();
    await server.close();
    await connection.close();
  }
}

/** `/healthz` (liveness) and `/status` (the connection state) on loopback. */
async function startStatusServer(port: number, status: () => Record<string, unknown>) {
  const server = http.createServer((req, res) => {
    const s = status();
    if (req.url === '/healthz') {
      res.writeHead(s.live ? 200 : 503, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ status: s.live ? 'up' : 'stuck', state: s.state }));
    }
    if (req.url === '/status') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(s));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
