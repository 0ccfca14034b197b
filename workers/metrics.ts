import http from 'node:http';
import net from 'node:net';
import type { Context as ActivityContext } from '@temporalio/activity';
import type { ActivityExecuteInput, ActivityInterceptorsFactory, Next } from '@temporalio/worker';
import type { ActivityInboundCallsInterceptor } from '@temporalio/worker';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { TokenPurpose, type OneTimeTokenRecord } from '../domain/system-auth';
import { createMetrics, type Metrics } from '../infra/metrics';
import { OneTimeTokenRepository } from '../store/one-time-tokens';

/** Activities whose result is a webhook delivery outcome (`{ kind }`). */
const DELIVERIES = new Set(['callWebhook', 'pollWebhookStatus']);

/**
 * Observes every activity attempt: counts and times it by type and outcome, and derives the
 * domain counters from the activities that carry them: one-time tokens (issued when a pairing
 * token is stored, redeemed when it becomes a CSR token, expired when a pairing removes a token
 * past its expiry), certificates (signed for a pairing, renewed otherwise, revoked) and webhook
 * deliveries by outcome.
 */
export function metricsInterceptors(metrics: Metrics, db: Db): ActivityInterceptorsFactory {
  const tokens = new OneTimeTokenRepository(db);
  return (ctx: ActivityContext) => ({
    inbound: new ActivityMetrics(ctx, metrics, tokens),
  });
}

class ActivityMetrics implements ActivityInboundCallsInterceptor {
  constructor(
    private readonly ctx: ActivityContext,
    private readonly metrics: Metrics,
    private readonly tokens: OneTimeTokenRepository,
  ) {}

  async execute(
    input: ActivityExecuteInput,
    next: Next<ActivityInboundCallsInterceptor, 'execute'>,
  ): Promise<unknown> {
    const activity = this.ctx.info.activityType;
    const stop = this.metrics.activityDuration.startTimer({ activity });
    const expiring = activity === 'deleteToken' ? await this.expired(input.args[0]) : false;
    try {
      const result = await next(input);
      this.metrics.activities.inc({ activity, outcome: 'completed' });
      this.record(activity, input.args[0], result, expiring);
      return result;
    } catch (err) {
      this.metrics.activities.inc({ activity, outcome: 'failed' });
      if (DELIVERIES.has(activity)) this.metrics.webhookDeliveries.inc({ outcome: 'error' });
      throw err;
    } finally {
      stop();
    }
  }

  private record(activity: string, arg: unknown, result: unknown, expiring: boolean): void {
    const m = this.metrics;
    if (activity === 'putToken') {
      const purpose = (arg as OneTimeTokenRecord | undefined)?.purpose;
      m.oneTimeTokens.inc({ event: purpose === TokenPurpose.CSR ? 'redeemed' : 'issued' });
    } else if (activity === 'deleteToken' && expiring) {
      m.oneTimeTokens.inc({ event: 'expired' });
    } else if (activity === 'signCertificate') {
      const forPairing = (arg as { pairingWorkflowId?: string } | undefined)?.pairingWorkflowId !== undefined;
      m.certificates.inc({ event: forPairing ? 'signed' : 'renewed' });
    } else if (activity === 'revokeCertificate') {
      m.certificates.inc({ event: 'revoked' });
    } else if (DELIVERIES.has(activity)) {
      const kind = (result as { kind?: unknown } | undefined)?.kind;
      m.webhookDeliveries.inc({ outcome: typeof kind === 'string' ? kind : 'unknown' });
    }
  }

  /** Whether the token a pairing is about to remove had expired (the pairing ends as expired). */
  private async expired(hash: unknown): Promise<boolean> {
    if (typeof hash !== 'string') return false;
    const record = await this.tokens.findByHashGlobal(hash).catch(() => undefined);
    return (
      record !== undefined &&
      record.purpose === TokenPurpose.PAIRING &&
      Date.parse(record.expiresAt) <= Date.now()
    );
  }
}

/** A loopback address with a free port, for the Temporal SDK's own Prometheus exporter. */
export function freeLoopbackAddress(): Promise<string> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(`127.0.0.1:${port}`));
    });
  });
}

export interface WorkerMetricsServer {
  readonly url: string;
  readonly metrics: Metrics;
  close(): Promise<void>;
}

/**
 * The worker's `/metrics`: its own families followed by the Temporal SDK's worker metrics
 * (`temporal_*`, from the SDK's Prometheus exporter on `sdkAddress`), in one scrape.
 */
export async function startWorkerMetricsServer(opts: {
  host: string;
  port: number;
  sdkAddress?: string;
  log: Logger;
}): Promise<WorkerMetricsServer> {
  const metrics = createMetrics('worker');
  const server = http.createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    void (async () => {
      const own = await metrics.registry.metrics();
      const sdk = opts.sdkAddress
        ? await fetch(`http://${opts.sdkAddress}/metrics`, { signal: AbortSignal.timeout(2_000) })
            .then((r) => r.text())
            .catch(() => '')
        : '';
      res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(`${own}\n${sdk}`);
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  const url = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`;
  opts.log.info({ url: `${url}/metrics` }, 'worker metrics listening');
  return {
    url,
    metrics,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
