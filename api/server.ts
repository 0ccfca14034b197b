import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import type { Client } from '@temporalio/client';
import express, { type ErrorRequestHandler } from 'express';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import type { Config } from '../infra/config';
import { projectRoot } from '../infra/paths';
import { pingTemporal } from '../infra/temporal';
import { pingMongo } from '../store/mongo';
import { TenantRepository } from '../store/tenants';
import { TenantResolver } from './tenants';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { createContext, type GatewayContext } from './context';
import { createServices } from './services';
import { directorResolvers } from './director';
import { createFormatError } from './errors';
import { graphiqlRouter } from './graphiql';
import { healthHandler, type Probes } from './health';
import { scalarResolvers } from './scalars';
import { type ConnectorContext, connectorToken } from './connector/context';
import { connectorResolvers } from './connector/resolvers';

export interface GatewayDeps {
  readonly config: Config;
  readonly db: Db;
  readonly temporal: Client;
  readonly log: Logger;
}

export interface Gateway {
  /** Base URL the gateway listens on, e.g. http://127.0.0.1:3000 */
  readonly url: string;
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

/** Starts the HTTP gateway: GraphQL APIs, health, and the GraphQL IDE. */
export async function startGateway(deps: GatewayDeps): Promise<Gateway> {
  const { config, db, temporal, log } = deps;
  const probes: Probes = { temporal: () => pingTemporal(temporal), mongodb: () => pingMongo(db) };
  const tenantRepository = new TenantRepository(db);

  const tenants = new TenantResolver(tenantRepository, config.TENANT_AUTO_CREATE);
  const armor = new ApolloArmor({
    // The schema has no cycles; introspection is the only deep nesting. GraphiQL's own
    // introspection query is 21 levels deep.
    maxDepth: { n: 24, ignoreIntrospection: false },
    costLimit: { maxCost: 5_000 },
    maxAliases: { n: 30 },
    maxDirectives: { n: 50 },
    maxTokens: { n: 5_000 },
    blockFieldSuggestion: { enabled: false },
  }).protect();

  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.PORT, config.HOST, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.HOST}:${port}`;
  const effective: Config = { ...config, PORT: port };
  const services = createServices({ config: effective, db, temporal, tenants: tenantRepository, probes });

  const director = new ApolloServer<GatewayContext>({
    ...armor,
    typeDefs: loadTypeDefs(),
    resolvers: [scalarResolvers, ...directorResolvers],
    formatError: createFormatError(log),
    includeStacktraceInErrorResponses: false,
    plugins: [
      ...armor.plugins,
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await director.start();
  const connector = new ApolloServer<ConnectorContext>({
    ...armor,
    typeDefs: readFileSync(path.join(projectRoot(), 'api', 'connector', 'connector.graphql'), 'utf8'),
    resolvers: [connectorResolvers],
    formatError: createFormatError(log),
    includeStacktraceInErrorResponses: false,
    plugins: [...armor.plugins, ApolloServerPluginLandingPageDisabled()],
  });
  await connector.start();

  app.get('/healthz', healthHandler(probes));
  app.use('/graphiql', graphiqlRouter());
  app.get('/director/graphql', (req, res, next) => {
    if (req.accepts(['application/json', 'html']) === 'html')
      return res.redirect('/graphiql?endpoint=/director/graphql');
    next();
  });
  app.use(
    '/director/graphql',
    express.json({ limit: config.BODY_LIMIT }),
    expressMiddleware(director, {
      context: async ({ req }) => createContext({ tenant: req.headers['tenant'] }, services, tenants, log),
    }),
  );
  app.use(
    '/connector/graphql',
    express.json({ limit: config.BODY_LIMIT }),
    expressMiddleware(connector, {
      context: async ({ req }) => ({
        token: connectorToken(req.headers, req.query),
        connector: services.connector,
      }),
    }),
  );
  app.use(bodyErrorHandler);

  log.info({ url }, 'gateway listening');

  return {
    url,
    close: async () => {
      await connector.stop();
      await director.stop();
    },
  };
}

/** Malformed or oversized request bodies get a GraphQL-shaped error and an HTTP status. */
const bodyErrorHandler: ErrorRequestHandler = (err: { status?: number; type?: string }, _req, res, next) => {
  if (res.headersSent || typeof err.status !== 'number') return next(err);
  const message =
    err.type === 'entity.too.large' ? 'Request body is too large' : 'Request body is not valid JSON';
  res
    .status(err.status)
    .json({ errors: [{ message, extensions: { error: 'InvalidData', error_code: 22 } }] });
};
