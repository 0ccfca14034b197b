import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import type { Client } from '@temporalio/client';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import type { Config } from '../infra/config';
import { projectRoot } from '../infra/paths';
import { pingTemporal } from '../infra/temporal';
import { pingMongo } from '../store/mongo';
import { TenantRepository } from '../store/tenants';
import { TenantResolver } from './tenants';
import { createContext, type GatewayContext } from './context';
import { createServices } from './services';
import { directorResolvers } from './director';
import { createFormatError, errorBody } from './errors';
import { graphiqlRouter } from './graphiql';
import { cockpitRouter, rootRedirect } from './cockpit';
import { healthHandler, type Probes } from './health';
import { scalarResolvers } from './scalars';
import { AppError, UnauthorizedError } from '../domain/errors';
import { type Authenticator, createAuthenticator } from './auth/authenticator';
import { type RequestIdentity, requestIdentity, stripIdentityHeaders } from './auth/request-identity';
import { scopeCheck } from './auth/scope-plugin';
import { noStorePlugins } from './no-store';
import { emptyArgumentsPlugin } from './empty-arguments';
import { operationChecksPlugin } from './operation-checks';
import { type QueryLimits, queryLimitsCheck } from './query-limits';
import { isLoopbackHost } from './auth/unsigned-tokens';
import { type CertificateCaller, type ConnectorContext, connectorToken } from './connector/context';
import { FirstCallRecorder } from './connector/first-call';
import { CertificateAuthenticator } from './auth/certificate-auth';
import { startMtlsListener } from './mtls';
import type { CertificateAuthority } from '../pki';
import { ApplicationRepository } from '../store/applications';
import { CertificateRepository } from '../store/certificates';
import { RuntimeRepository } from '../store/runtimes';
import { SystemAuthRepository } from '../store/system-auths';
import { connectorResolvers } from './connector/resolvers';
import { startInternalConnector } from './connector/internal';
import { OneTimeTokenRepository } from '../store/one-time-tokens';
import { certificateSubject } from '../infra/trust';
import { tokenEndpoint } from './auth/token-endpoint';
import { ClientCredentialRepository } from '../store/client-credentials';
import { HeartbeatIntakeRepository } from '../store/runtime-health';
import { startHeartbeatIntakePulse } from './director/runtime-health-pulse';
import { provisionerResolvers } from './provisioner/resolvers';
import type { ProviderDescriptor } from '../domain/provisioning';
import { createMetrics } from '../infra/metrics';
import { graphqlMetricsPlugin, httpMetrics, metricsHandler } from './metrics';
import { rateLimit } from './rate-limit';

export interface GatewayDeps {
  readonly config: Config;
  readonly db: Db;
  readonly temporal: Client;
  readonly log: Logger;
  /** The Connector's CA: the only CA the mTLS listener trusts, and the issuer of its certificate. */
  readonly ca: CertificateAuthority;
  /** The Provisioner's providers (default: the local provider). */
  readonly providers?: readonly ProviderDescriptor[];
}

export interface Gateway {
  /** Base URL the gateway listens on, e.g. http://127.0.0.1:3000 */
  readonly url: string;
  /** Base URL of the mTLS listener, e.g. https://127.0.0.1:3443 */
  readonly mtlsUrl: string;
  /** Base URL of the Connector's internal API, always on loopback, e.g. http://127.0.0.1:3001 */
  readonly internalConnectorUrl: string;
  close(): Promise<void>;
}

/** The schema is the .graphql files under api/schema, read as one document. */
export function loadTypeDefs(): string {
  const dir = path.join(projectRoot(), 'api', 'schema');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
}

/**
 * Starts the HTTP gateway: GraphQL APIs, health, and the GraphQL IDE. When a step fails (a port
 * in use), every listener already started is closed before the error is thrown, so a failed
 * start leaves nothing open.
 */
export async function startGateway(deps: GatewayDeps): Promise<Gateway> {
  const undo: Array<() => Promise<unknown>> = [];
  try {
    return await listenAndServe(deps, undo);
  } catch (err) {
    for (const step of undo.reverse()) await step().catch(() => undefined);
    throw err;
  }
}

async function listenAndServe(deps: GatewayDeps, undo: Array<() => Promise<unknown>>): Promise<Gateway> {
  const { config, db, temporal, log } = deps;
  const probes: Probes = { temporal: () => pingTemporal(temporal), mongodb: () => pingMongo(db) };
  const tenantRepository = new TenantRepository(db);

  const tenants = new TenantResolver(tenantRepository, config.TENANT_AUTO_CREATE);
  const systemAuths = new SystemAuthRepository(db);
  const auth = await createAuthenticator(config, async (clientId) =>
    Boolean(await systemAuths.getGlobal(clientId)),
  );
  if (auth.warning) log.warn(auth.warning);
  // The token limit bounds parsing; the other limits are checked after authorization, so a
  // caller lacking scopes is told so whatever its document (see operationChecksPlugin).
  const limits: QueryLimits = {
    maxCost: config.GRAPHQL_MAX_COST,
    maxDepth: config.GRAPHQL_MAX_DEPTH,
    maxAliases: config.GRAPHQL_MAX_ALIASES,
    maxDirectives: config.GRAPHQL_MAX_DIRECTIVES,
  };
  const hardening = {
    parseOptions: { maxTokens: config.GRAPHQL_MAX_TOKENS },
    allowBatchedHttpRequests: false,
  } as const;

  const app = express();
  app.disable('x-powered-by');
  const metrics = createMetrics('gateway');
  app.use(httpMetrics(metrics));
  const httpServer = http.createServer(app);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.PORT, config.HOST, () => resolve());
  });
  undo.push(() => new Promise((resolve) => httpServer.close(resolve)));
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.HOST}:${port}`;
  const certificates = new CertificateRepository(db);
  const firstCalls = new FirstCallRecorder({
    temporal,
    certificates,
    applications: new ApplicationRepository(db),
    runtimes: new RuntimeRepository(db),
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    log,
  });
  const authenticator = new CertificateAuthenticator({
    certificates,
    systemAuths,
    revocationPollMs: config.CERT_REVOCATION_POLL_MS,
    log,
  });
  await authenticator.start();
  undo.push(() => authenticator.stop());
  const mtls = await startMtlsListener({
    ca: deps.ca,
    host: config.HOST,
    port: config.MTLS_PORT,
    app,
    authenticator,
    onAuthenticated: (identity) => void firstCalls.record(identity),
    keepAliveMs: config.MTLS_KEEP_ALIVE_SECONDS * 1000,
    rateLimit: { perMinute: config.RATE_LIMIT_PER_MINUTE, burst: config.RATE_LIMIT_BURST },
    metrics,
    log,
  });
  undo.push(() => mtls.close());
  const effective: Config = { ...config, PORT: port, MTLS_PORT: Number(new URL(mtls.url).port) };
  const services = createServices({
    config: effective,
    db,
    temporal,
    tenants: tenantRepository,
    probes,
    certificateCache: authenticator,
    ...(deps.providers && { providers: deps.providers }),
  });
  const internalConnector = await startInternalConnector({
    port: config.INTERNAL_CONNECTOR_PORT,
    connector: services.connector,
    systemAuths,
    applications: new ApplicationRepository(db),
    runtimes: new RuntimeRepository(db),
    temporal,
    tokens: new OneTimeTokenRepository(db),
    certificates,
    subject: certificateSubject(config),
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    log,
  });
  undo.push(() => internalConnector.close());

  const director = new ApolloServer<GatewayContext>({
    ...hardening,
    typeDefs: loadTypeDefs(),
    resolvers: [scalarResolvers, ...directorResolvers],
    formatError: createFormatError(log),
    includeStacktraceInErrorResponses: false,
    plugins: [
      emptyArgumentsPlugin(config.GRAPHQL_MAX_TOKENS),
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.SHUTDOWN_GRACE_MS }),
      ApolloServerPluginLandingPageDisabled(),
      ...noStorePlugins<GatewayContext>(),
      operationChecksPlugin(scopeCheck<GatewayContext>(), queryLimitsCheck(limits)),
      graphqlMetricsPlugin(metrics, 'director'),
    ],
  });
  await director.start();
  undo.push(() => director.stop());
  const provisioner = new ApolloServer<GatewayContext>({
    ...hardening,
    typeDefs: readFileSync(path.join(projectRoot(), 'api', 'provisioner', 'provisioner.graphql'), 'utf8'),
    resolvers: [provisionerResolvers],
    formatError: createFormatError(log),
    includeStacktraceInErrorResponses: false,
    plugins: [
      emptyArgumentsPlugin(config.GRAPHQL_MAX_TOKENS),
      ApolloServerPluginLandingPageDisabled(),
      ...noStorePlugins<GatewayContext>(),
      operationChecksPlugin(scopeCheck<GatewayContext>(), queryLimitsCheck(limits)),
      graphqlMetricsPlugin(metrics, 'provisioner'),
    ],
  });
  await provisioner.start();
  const connector = new ApolloServer<ConnectorContext>({
    ...hardening,
    typeDefs: readFileSync(path.join(projectRoot(), 'api', 'connector', 'connector.graphql'), 'utf8'),
    resolvers: [connectorResolvers],
    formatError: createFormatError(log),
    includeStacktraceInErrorResponses: false,
    plugins: [
      emptyArgumentsPlugin(config.GRAPHQL_MAX_TOKENS),
      ApolloServerPluginLandingPageDisabled(),
      ...noStorePlugins<ConnectorContext>(),
      operationChecksPlugin(queryLimitsCheck(limits)),
      graphqlMetricsPlugin(metrics, 'connector'),
    ],
  });
  await connector.start();

  app.use(stripIdentityHeaders);
  app.get('/healthz', healthHandler(probes));
  app.get('/metrics', metricsHandler(metrics, db));
  app.use(
    '/graphiql',
    graphiqlRouter(auth.devIssuer && isLoopbackHost(config.HOST) ? auth.devIssuer : undefined),
  );
  app.use(
    '/cockpit',
    cockpitRouter({
      temporalUiUrl: config.TEMPORAL_UI_URL,
      temporalNamespace: config.TEMPORAL_NAMESPACE,
      ...(auth.devIssuer && isLoopbackHost(config.HOST) ? { devIssuer: auth.devIssuer } : {}),
    }),
  );
  app.get('/', rootRedirect);
  const rateLimits = { perMinute: config.RATE_LIMIT_PER_MINUTE, burst: config.RATE_LIMIT_BURST };
  app.use(
    '/oauth/token',
    rateLimit(
      'oauth_token',
      rateLimits,
      (res) => res.json({ error: 'too_many_requests', error_description: 'retry after Retry-After seconds' }),
      metrics,
    ),
  );
  app.use(
    '/connector/graphql',
    rateLimit(
      'connector',
      rateLimits,
      (res) =>
        res.json(
          errorBody(new AppError('InvalidOperation', 'Too many requests; retry after Retry-After seconds')),
        ),
      metrics,
    ),
  );
  app.use(
    '/oauth/token',
    tokenEndpoint({
      issuer: auth.gatewayIssuer,
      systemAuths,
      credentials: new ClientCredentialRepository(db),
      log,
    }),
  );
  app.get('/director/graphql', (req, res, next) => {
    if (req.accepts(['application/json', 'html']) === 'html')
      return res.redirect('/graphiql?endpoint=/director/graphql');
    next();
  });
  app.use(
    '/director/graphql',
    authenticate(auth),
    express.json({ limit: config.BODY_LIMIT }),
    expressMiddleware(director, {
      context: async ({ req }) =>
        createContext({ tenant: req.headers['tenant'] }, requestIdentity(req), services, tenants, log),
    }),
  );
  app.get('/provisioner/graphql', (req, res, next) => {
    if (req.accepts(['application/json', 'html']) === 'html')
      return res.redirect('/graphiql?endpoint=/provisioner/graphql');
    next();
  });
  app.use(
    '/provisioner/graphql',
    authenticate(auth),
    express.json({ limit: config.BODY_LIMIT }),
    expressMiddleware(provisioner, {
      context: async ({ req }) =>
        createContext({ tenant: req.headers['tenant'] }, requestIdentity(req), services, tenants, log),
    }),
  );
  app.use(
    '/connector/graphql',
    express.json({ limit: config.BODY_LIMIT }),
    expressMiddleware(connector, {
      context: async ({ req }) => ({
        token: connectorToken(req.headers, req.query),
        ...certificateCaller(requestIdentity(req)),
        connector: services.connector,
      }),
    }),
  );
  app.use(bodyErrorHandler);

  const pulse = startHeartbeatIntakePulse({
    intake: new HeartbeatIntakeRepository(db),
    temporalUp: () => pingTemporal(temporal),
    pulseMs: config.RUNTIME_HEALTH_PULSE_SECONDS * 1000,
    log,
  });
  log.info({ url }, 'gateway listening');

  return {
    url,
    mtlsUrl: mtls.url,
    internalConnectorUrl: internalConnector.url,
    // Both listeners stop accepting first and let requests in flight finish (the Director's drain
    // covers every route of the HTTP listener); only then do the APIs behind them stop.
    close: async () => {
      await pulse.stop();
      await Promise.all([director.stop(), mtls.close(config.SHUTDOWN_GRACE_MS)]);
      await internalConnector.close();
      await connector.stop();
      await provisioner.stop();
      await authenticator.stop();
    },
  };
}

/** Authenticates the bearer token; a bad one is answered 401 with Unauthorized (26). */
function authenticate(auth: Authenticator): RequestHandler {
  return (req, res, next) => {
    auth.authenticate(req).then(
      () => next(),
      (err: unknown) => {
        const known = err instanceof AppError ? err : new UnauthorizedError('invalid token');
        res.status(known.name === 'InternalError' ? 503 : 401).json(errorBody(known));
      },
    );
  };
}

/** The Connector's certificate caller, when the mTLS listener authenticated the request. */
function certificateCaller(identity: RequestIdentity | undefined): { certificate?: CertificateCaller } {
  if (
    identity?.via !== 'certificate' ||
    !identity.clientId ||
    !identity.certificateHash ||
    !identity.tenant
  ) {
    return {};
  }
  return {
    certificate: {
      tenantId: identity.tenant,
      clientId: identity.clientId,
      certificateHash: identity.certificateHash,
    },
  };
}

/** Malformed or oversized request bodies get a GraphQL-shaped error and an HTTP status. */
const bodyErrorHandler: ErrorRequestHandler = (err: { status?: number; type?: string }, _req, res, next) => {
  if (res.headersSent || typeof err.status !== 'number') return next(err);
  const message =
    err.type === 'entity.too.large' ? 'Request body is too large' : 'Request body is not valid JSON';
  res.status(err.status).json(errorBody(new AppError('InvalidData', message)));
};
