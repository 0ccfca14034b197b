import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import express, { type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { InternalError, NotFoundError, UnauthorizedError } from '../../domain/errors';
import { SystemAuthKind } from '../../domain/system-auth';
import { projectRoot } from '../../infra/paths';
import type { CsrSubject } from '../../pki';
import type { ApplicationRepository } from '../../store/applications';
import type { CertificateRepository } from '../../store/certificates';
import type { OneTimeTokenRepository } from '../../store/one-time-tokens';
import type { RuntimeRepository } from '../../store/runtimes';
import { isUsableCertificate } from '../auth/certificate-auth';
import { createFormatError, errorBody } from '../errors';
import { emptyArgumentsPlugin } from '../empty-arguments';
import type { Resolvers } from '../generated/connector-internal';
import { type ConnectorService, redeemPairingToken } from './connector-service';
import { connectorToken } from './context';

/** The only address the internal API binds: its callers are trusted because they are local. */
export const INTERNAL_CONNECTOR_HOST = '127.0.0.1';

/** Per-request state of the internal GraphQL API: no caller identity, loopback is the trust. */
export interface InternalConnectorContext {
  readonly connector: Pick<ConnectorService, 'requestOneTimeToken'>;
  readonly applications: Pick<ApplicationRepository, 'getGlobal'>;
  readonly runtimes: Pick<RuntimeRepository, 'getGlobal'>;
}

export interface InternalConnectorDeps extends InternalConnectorContext {
  /** 0 picks a free port (tests). The host is always {@link INTERNAL_CONNECTOR_HOST}. */
  readonly port: number;
  readonly temporal: Client;
  readonly tokens: Pick<OneTimeTokenRepository, 'findByHashGlobal'>;
  readonly certificates: Pick<CertificateRepository, 'getByHashGlobal'>;
  /** Subject attributes, besides CN, of every certificate the Connector issues. */
  readonly subject: Omit<CsrSubject, 'CN'>;
  readonly requestTimeoutMs: number;
  readonly log: Logger;
  readonly now?: () => number;
}

export interface InternalConnector {
  /** e.g. http://127.0.0.1:3001 */
  readonly url: string;
  /** What the listener is bound to: always 127.0.0.1. */
  readonly address: AddressInfo;
  close(): Promise<void>;
}

/** Resolvers of api/connector-internal/internal.graphql. */
export const internalConnectorResolvers: Resolvers = {
  Query: { healthy: () => true },
  Mutation: {
    generateApplicationToken: async (_, { authID }, ctx) => {
      const app = await ctx.applications.getGlobal(authID);
      if (!app) throw new NotFoundError('application', authID);
      const { token } = await ctx.connector.requestOneTimeToken(
        app.tenantId,
        SystemAuthKind.APPLICATION,
        app.id,
      );
      return { token };
    },
    generateRuntimeToken: async (_, { authID }, ctx) => {
      const runtime = await ctx.runtimes.getGlobal(authID);
      if (!runtime) throw new NotFoundError('runtime', authID);
      const { token } = await ctx.connector.requestOneTimeToken(
        runtime.tenantId,
        SystemAuthKind.RUNTIME,
        runtime.id,
      );
      return { token };
    },
  },
};

/**
 * Compass's internal Connector API (classic port 3001), on loopback only whatever HOST says:
 * `/graphql` mints one-time tokens for any Application or Runtime, and the validator's two
 * resolvers (`/v1/tokens/resolve`, `/v1/certificate/data/resolve`) turn a token or Envoy's
 * certificate data into identity headers for a proxy in front of the gateway.
 */
export async function startInternalConnector(deps: InternalConnectorDeps): Promise<InternalConnector> {
  const app = express();
  app.disable('x-powered-by');
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port, INTERNAL_CONNECTOR_HOST, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${INTERNAL_CONNECTOR_HOST}:${address.port}`;

  const apollo = new ApolloServer<InternalConnectorContext>({
    typeDefs: readFileSync(path.join(projectRoot(), 'api', 'connector-internal', 'internal.graphql'), 'utf8'),
    resolvers: [internalConnectorResolvers],
    formatError: createFormatError(deps.log),
    includeStacktraceInErrorResponses: false,
    plugins: [
      emptyArgumentsPlugin(),
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();
  const context: InternalConnectorContext = {
    connector: deps.connector,
    applications: deps.applications,
    runtimes: deps.runtimes,
  };
  app.use(
    '/graphql',
    express.json({ limit: '100kb' }),
    expressMiddleware(apollo, { context: async () => context }),
  );
  app.post('/v1/tokens/resolve', (req, res) => void resolveToken(deps, req, res));
  app.post('/v1/certificate/data/resolve', (req, res) => void resolveCertificateData(deps, req, res));

  deps.log.info({ url }, 'internal Connector API listening');
  return {
    url,
    address,
    close: () => apollo.stop(),
  };
}

/**
 * `Connector-Token` (or `?token=`) → `Client-Id-From-Token`. The token is consumed as
 * Compass's validator does, through the pairing workflow's redeem step (the single writer of
 * the token's lifecycle): the CSR token that step hands out is discarded, so the pairing then
 * ends as expired unless a new token is requested.
 */
async function resolveToken(deps: InternalConnectorDeps, req: Request, res: Response): Promise<void> {
  const token = connectorToken(req.headers, req.query);
  try {
    let clientId: string;
    try {
      ({ clientId } = await redeemPairingToken(deps, token, () => deps.now?.() ?? Date.now()));
    } catch (err) {
      // missing, unknown or expired; used concurrently, expired meanwhile, or its pairing already ended
      if (
        err instanceof UnauthorizedError ||
        err instanceof WorkflowUpdateFailedError ||
        err instanceof WorkflowNotFoundError
      ) {
        return refuse(res);
      }
      throw err;
    }
    res.status(200).set('Client-Id-From-Token', clientId).json({ clientId });
  } catch (err) {
    deps.log.error({ err }, 'resolving a one-time token failed');
    fail(res);
  }
}

/**
 * `Certificate-Data` (Envoy's X-Forwarded-Client-Cert: `Hash=<hex>;Subject="..."`, elements
 * separated by commas) → `Client-Id-From-Certificate` and `Client-Certificate-Hash`. The
 * element used is the one whose subject carries the Connector's attributes; its hash must be
 * a certificate the Connector issued, not revoked nor expired, to the subject's CN.
 */
async function resolveCertificateData(
  deps: InternalConnectorDeps,
  req: Request,
  res: Response,
): Promise<void> {
  const header = req.headers['certificate-data'];
  const value = Array.isArray(header) ? header[0] : header;
  try {
    const now = deps.now?.() ?? Date.now();
    for (const element of parseForwardedClientCert(value ?? '')) {
      const hash = element.hash?.toLowerCase();
      const subject = element.subject === undefined ? undefined : parseSubject(element.subject);
      if (!hash || !/^[0-9a-f]{64}$/.test(hash) || !subject?.CN || !carriesSubject(subject, deps.subject)) {
        continue;
      }
      const record = await deps.certificates.getByHashGlobal(hash);
      if (!isUsableCertificate(record, subject.CN, now)) break;
      res
        .status(200)
        .set({ 'Client-Id-From-Certificate': subject.CN, 'Client-Certificate-Hash': hash })
        .json({ clientId: subject.CN, certificateHash: hash });
      return;
    }
    refuse(res);
  } catch (err) {
    deps.log.error({ err }, 'resolving certificate data failed');
    fail(res);
  }
}

function carriesSubject(subject: Record<string, string>, expected: Omit<CsrSubject, 'CN'>): boolean {
  return Object.entries(expected).every(([key, v]) => v === undefined || subject[key] === v);
}

/** One element of an X-Forwarded-Client-Cert header, keys lower-cased. */
export interface ForwardedClientCert {
  readonly hash?: string;
  readonly subject?: string;
  readonly [key: string]: string | undefined;
}

/**
 * Parses Envoy's XFCC header: elements separated by `,`, key=value pairs by `;`, values
 * optionally in double quotes (with `\"` escapes) that may contain `,`, `;` and `=`.
 */
export function parseForwardedClientCert(header: string): ForwardedClientCert[] {
  const elements: ForwardedClientCert[] = [];
  let pairs: Record<string, string> = {};
  let key = '';
  let buf = '';
  let inKey = true;
  let quoted = false;
  const endPair = () => {
    if (!inKey && key.trim()) pairs[key.trim().toLowerCase()] = buf;
    key = '';
    buf = '';
    inKey = true;
  };
  for (let i = 0; i < header.length; i++) {
    const c = header[i]!;
    if (quoted) {
      if (c === '\\' && i + 1 < header.length) buf += header[++i];
      else if (c === '"') quoted = false;
      else buf += c;
    } else if (c === '"' && !inKey) quoted = true;
    else if (c === '=' && inKey) inKey = false;
    else if (c === ';') endPair();
    else if (c === ',') {
      endPair();
      elements.push(pairs);
      pairs = {};
    } else if (inKey) key += c;
    else buf += c;
  }
  endPair();
  elements.push(pairs);
  return elements.filter((e) => Object.keys(e).length > 0);
}

/** An RFC 4514 subject (`CN=a,OU=b,...`, `\,` escapes) to its attributes (last value wins). */
export function parseSubject(subject: string): Record<string, string> {
  const out: Record<string, string> = {};
  let part = '';
  const flush = () => {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim().toUpperCase()] = part.slice(eq + 1).trim();
    part = '';
  };
  for (let i = 0; i < subject.length; i++) {
    const c = subject[i]!;
    if (c === '\\' && i + 1 < subject.length) part += subject[++i];
    else if (c === ',') flush();
    else part += c;
  }
  flush();
  return out;
}

function refuse(res: Response): void {
  res.status(401).json(errorBody(new UnauthorizedError('Unauthorized')));
}

function fail(res: Response): void {
  res.status(500).json(errorBody(new InternalError()));
}
