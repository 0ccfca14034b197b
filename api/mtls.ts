import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import { AppError, InternalError, UnauthorizedError } from '../domain/errors';
import type { Metrics } from '../infra/metrics';
import { type RateLimit, TokenBuckets } from './rate-limit';
import { errorBody } from './errors';
import { type CertificateAuthority, issueServerCertificate } from '../pki';
import {
  type CertificateAuthenticator,
  type CertificateIdentity,
  checkTenantHeader,
} from './auth/certificate-auth';
import { setRequestIdentity, stripIdentityHeaders } from './auth/request-identity';

export interface MtlsListenerDeps {
  readonly ca: CertificateAuthority;
  /** Address to bind; also named in the server certificate with localhost and 127.0.0.1. */
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** The gateway's request handler (the same express app as the HTTP listener). */
  readonly app: (req: IncomingMessage, res: ServerResponse) => void;
  readonly authenticator: Pick<CertificateAuthenticator, 'authenticate'>;
  /** Called after each authenticated request is handed on (first-call side effects). */
  readonly onAuthenticated?: (identity: CertificateIdentity) => void;
  /** How long an idle client connection stays open (MTLS_KEEP_ALIVE_SECONDS). */
  readonly keepAliveMs: number;
  /**
   * Per client address: each new connection, failed handshake and refused certificate spends a
   * token; requests on an admitted connection are free (agents keep theirs open).
   */
  readonly rateLimit?: RateLimit;
  readonly metrics?: Pick<Metrics, 'authFailures' | 'rateLimited'>;
  readonly log: Logger;
}

export interface MtlsListener {
  /** e.g. https://127.0.0.1:3443 */
  readonly url: string;
  /** Stops accepting connections; requests in flight get `graceMs` to finish (default: none). */
  close(graceMs?: number): Promise<void>;
}

/**
 * The certificate-secured listener: TLS with the Connector's CA as the only trusted CA and a
 * client certificate required, so TLS itself refuses a missing, foreign or expired
 * certificate. Each request's certificate must also be one the Connector issued and has not
 * revoked; the caller's identity is then recorded on the request and the gateway's app serves
 * it (Director and Connector at the same paths as on the HTTP listener).
 */
export async function startMtlsListener(deps: MtlsListenerDeps): Promise<MtlsListener> {
  const { host, port, log } = deps;
  const serverCertificate = await issueServerCertificate(deps.ca, {
    hosts: [host === '0.0.0.0' || host === '::' ? 'localhost' : host, 'localhost', '127.0.0.1'],
  });
  const limits: Limits = {
    buckets: new TokenBuckets(deps.rateLimit ?? { perMinute: 0, burst: 0 }),
    admitted: new WeakSet(),
  };
  const server = https.createServer(
    {
      ca: deps.ca.certificatePem,
      cert: serverCertificate.certificatePem + deps.ca.certificatePem,
      key: serverCertificate.privateKeyPem,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
    (req, res) => void handle(deps, limits, req, res),
  );
  server.on('tlsClientError', (_err, socket) => {
    deps.metrics?.authFailures.inc({ kind: 'client_certificate' });
    limits.buckets.take(socket.remoteAddress ?? 'unknown');
  });
  // Agents call every 20–30 s (sync, heartbeat): connections outlive that, so each call does
  // not pay a new mTLS handshake.
  server.keepAliveTimeout = deps.keepAliveMs;
  server.headersTimeout = deps.keepAliveMs + 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const url = `https://${host.includes(':') ? `[${host}]` : host}:${bound}`;
  log.info({ url }, 'mTLS listener listening');
  return {
    url,
    close: (graceMs = 0) =>
      new Promise<void>((resolve, reject) => {
        const cutOff = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close((err) => {
          clearTimeout(cutOff);
          if (err) reject(err);
          else resolve();
        });
        server.closeIdleConnections();
        if (graceMs === 0) server.closeAllConnections();
      }),
  };
}

/** The listener's rate limit: token buckets by address, and the connections already admitted. */
interface Limits {
  readonly buckets: TokenBuckets;
  readonly admitted: WeakSet<object>;
}

async function handle(
  deps: MtlsListenerDeps,
  limits: Limits,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  stripIdentityHeaders(req, res, () => undefined);
  const address = req.socket.remoteAddress ?? 'unknown';
  if (!limits.admitted.has(req.socket)) {
    const retryAfter = limits.buckets.take(address);
    if (retryAfter !== undefined) return tooMany(deps, res, retryAfter);
    limits.admitted.add(req.socket);
  }
  let identity: CertificateIdentity;
  try {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    const cn = peer.subject?.CN;
    identity = await deps.authenticator.authenticate({
      raw: peer.raw ?? Buffer.alloc(0),
      commonName: Array.isArray(cn) ? undefined : cn,
    });
    checkTenantHeader(identity, req.headers['tenant']);
  } catch (err) {
    if (err instanceof UnauthorizedError) {
      deps.metrics?.authFailures.inc({ kind: 'client_certificate' });
      limits.buckets.take(address);
      return refuse(res, err.message);
    }
    deps.log.error({ err }, 'authenticating a client certificate failed');
    return fail(res);
  }
  setRequestIdentity(req, identity);
  deps.app(req, res);
  deps.onAuthenticated?.(identity);
}

/** Over the address's limit: 429 with Retry-After, and the connection closed. */
function tooMany(deps: MtlsListenerDeps, res: ServerResponse, retryAfter: number): void {
  deps.metrics?.rateLimited.inc({ surface: 'mtls' });
  res.setHeader('Retry-After', String(retryAfter));
  res.setHeader('Connection', 'close');
  send(res, 429, new AppError('InvalidOperation', 'Too many requests; retry after Retry-After seconds'));
}

function refuse(res: ServerResponse, message: string): void {
  send(res, 401, new UnauthorizedError(message));
}

function fail(res: ServerResponse): void {
  send(res, 500, new InternalError());
}

function send(res: ServerResponse, status: number, error: AppError): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(errorBody(error)));
}
