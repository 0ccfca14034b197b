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
import { ApplicationRepository } from '../store/applications';
import { pingMongo } from '../store/mongo';
import { TenantRepository } from '../store/tenants';
import { TenantResolver } from './tenants';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { createContext, type GatewayContext, type Services } from './context';
import { ApplicationService } from './director/application-service';
import { createBundleServices } from './director/bundle-services';
import { ApplicationLabelService } from './director/application-label-service';
import { WebhookService } from './director/webhook-service';
import { WebhookRepository } from '../store/webhooks';
import { LabelDefinitionService } from './director/label-definition-service';
import { LabelDefinitionRepository } from '../store/label-definitions';
import { createRuntimeServices } from './director/runtime-services';
import { directorResolvers } from './director';
import { createFormatError } from './errors';
import { graphiqlRouter } from './graphiql';
import { healthHandler, type Probes } from './health';
import { ApplicationTemplateService } from './director/application-template-service';
import { HealthCheckService } from './director/health-check-service';
import { IntegrationSystemService } from './director/integration-system-service';
import { TenantService } from './director/tenant-service';
import { ApplicationTemplateRepository } from '../store/application-templates';
import { IntegrationSystemRepository } from '../store/integration-systems';
import { scalarResolvers } from './scalars';

export interface GatewayDeps {
  readonly config: Pick<
    Config,
    'HOST' | 'PORT' | 'TEMPORAL_TASK_QUEUE' | 'REQUEST_TIMEOUT_MS' | 'BODY_LIMIT' | 'TENANT_AUTO_CREATE'
  > &
    Partial<Pick<Config, 'APP_HIDE_SELECTORS'>>;
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
  const services: Services = {
    applications: new ApplicationService({
      temporal,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      applications: new ApplicationRepository(db),
      requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
      labelDefinitions: new LabelDefinitionService(new LabelDefinitionRepository(db)),
      hideSelectors: config.APP_HIDE_SELECTORS ?? {},
    }),
    applicationLabels: new ApplicationLabelService(
      new ApplicationRepository(db),
      new LabelDefinitionService(new LabelDefinitionRepository(db)),
    ),
    webhooks: new WebhookService(new WebhookRepository(db), new ApplicationRepository(db)),
    labelDefinitions: new LabelDefinitionService(new LabelDefinitionRepository(db)),
    ...createRuntimeServices({
      db,
      temporal,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
      hideSelectors: config.APP_HIDE_SELECTORS ?? {},
      labelDefinitions: new LabelDefinitionService(new LabelDefinitionRepository(db)),
    }),
    ...createBundleServices({
      db,
      temporal,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    }),
    applicationTemplates: new ApplicationTemplateService(new ApplicationTemplateRepository(db)),
    integrationSystems: new IntegrationSystemService(new IntegrationSystemRepository(db)),
    tenants: new TenantService(tenantRepository),
    healthChecks: new HealthCheckService(probes),
  };

  const tenants = new TenantResolver(tenantRepository, config.TENANT_AUTO_CREATE);
  const armor = new ApolloArmor({
    maxDepth: { n: 15 },
    costLimit: { maxCost: 20_000 },
    maxAliases: { n: 30 },
    maxDirectives: { n: 50 },
    maxTokens: { n: 5_000 },
    blockFieldSuggestion: { enabled: false },
  }).protect();

  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);

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
  app.use(bodyErrorHandler);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.PORT, config.HOST, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.HOST}:${port}`;
  log.info({ url }, 'gateway listening');

  return {
    url,
    close: async () => {
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
