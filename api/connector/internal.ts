import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler } from 'express';
import { AppError, InvalidDataError, InvalidOperationError } from '../../domain/errors';
import { SystemAuthKind } from '../../domain/system-auth';
import { parseTenantId } from '../../domain/tenant';
import { projectRoot } from '../../infra/paths';
import type { ApplicationRepository } from '../../store/applications';
import type { RuntimeRepository } from '../../store/runtimes';
import type { SystemAuthRepository } from '../../store/system-auths';
import { emptyArgumentsPlugin } from '../empty-arguments';
import { createFormatError, errorBody } from '../errors';
import type { Resolvers } from '../generated/connector-internal';
import type { ConnectorService } from './connector-service';
import { type HydratorDeps, resolveCertificateData, resolveToken } from './hydrators';
import { noStorePlugins } from '../no-store';

/** The only address the internal API binds: its callers are trusted because they are local. */
export const INTERNAL_CONNECTOR_HOST = '127.0.0.1';

/**
 * The tenant of pairings for a client with no Director object when the caller names none in
 * `Tenant`: such pairings need a tenant only for their workflow and certificate records.
 */
export const UNASSIGNED_TENANT = 'unassigned';

/** Per-request state of the internal GraphQL API: no caller identity, loopback is the trust. */
export interface InternalConnectorContext {
  readonly connector: Pick<ConnectorService, 'requestOneTimeToken' | 'startPairing'>;
  readonly systemAuths: Pick<SystemAuthRepository, 'getGlobal'>;
  readonly applications: Pick<ApplicationRepository, 'getGlobal'>;
  readonly runtimes: Pick<RuntimeRepository, 'getGlobal'>;
  /** The request's `Tenant` header, if any. */
  readonly tenant?: string;
}

export interface InternalConnectorDeps extends Omit<InternalConnectorContext, 'tenant'>, HydratorDeps {
  /** 0 picks a free port (tests). The host is always {@link INTERNAL_CONNECTOR_HOST}. */
  readonly port: number;
}

export interface InternalConnector {
  /** e.g. http://127.0.0.1:3001 */
  readonly url: string;
  /** What the listener is bound to: always 127.0.0.1. */
  readonly address: AddressInfo;
  close(): Promise<void>;
}

/** A client ID becomes a certificate's CN and part of workflow IDs. */
const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const KIND_NAME: Readonly<Record<SystemAuthKind, string>> = {
  APPLICATION: 'an application',
  RUNTIME: 'a runtime',
  INTEGRATION_SYSTEM: 'an integration system',
};

/**
 * Compass's token generation for trusted callers, which name the client ID (`authID`) the
 * token is for and need no object to exist:
 * - the ID of a SystemAuth of this kind pairs that SystemAuth, in its tenant (how Compass's
 *   Director used this API); its certificate authenticates as its object;
 * - the ID of an Application (or Runtime) pairs it as `requestOneTimeTokenFor…` does, with a
 *   new SystemAuth whose ID is the client ID;
 * - any other ID pairs a client with no Director object, in the `Tenant` header's tenant (or
 *   {@link UNASSIGNED_TENANT}): its certificate (CN = the ID) authenticates nothing in the
 *   Director, which requires a SystemAuth.
 * A `Tenant` header naming another tenant than the SystemAuth's or object's is refused.
 */
async function generateToken(
  ctx: InternalConnectorContext,
  kind: SystemAuthKind,
  authID: string,
): Promise<{ token: string }> {
  if (!CLIENT_ID.test(authID)) {
    throw new InvalidDataError('', {
      authID: 'must be 1-128 letters, digits, dots, dashes or underscores, starting with a letter or digit',
    });
  }
  const tenant = ctx.tenant?.trim() ? parseTenantId(ctx.tenant) : undefined;
  const inTenant = (owner: string): string => {
    if (tenant !== undefined && tenant !== owner) {
      throw new InvalidOperationError('authID belongs to another tenant than the Tenant header names');
    }
    return owner;
  };
  const auth = await ctx.systemAuths.getGlobal(authID);
  if (auth) {
    if (auth.kind !== kind) {
      throw new InvalidOperationError(
        `authID is the SystemAuth of ${KIND_NAME[auth.kind]}, not of ${KIND_NAME[kind]}`,
      );
    }
    const tenantId = inTenant(auth.tenantId);
    return pick(
      await ctx.connector.startPairing({
        tenantId,
        clientId: auth.id,
        kind,
        objectId: auth.referenceObjectId,
      }),
    );
  }
  const object =
    kind === SystemAuthKind.APPLICATION
      ? await ctx.applications.getGlobal(authID)
      : await ctx.runtimes.getGlobal(authID);
  if (object)
    return pick(await ctx.connector.requestOneTimeToken(inTenant(object.tenantId), kind, object.id));
  return pick(
    await ctx.connector.startPairing({
      tenantId: tenant ?? UNASSIGNED_TENANT,
      clientId: authID,
      kind,
      objectId: authID,
    }),
  );
}

const pick = ({ token }: { token: string }) => ({ token });

/** Resolvers of api/connector-internal/internal.graphql. */
export const internalConnectorResolvers: Resolvers = {
  Query: { healthy: () => true },
  Mutation: {
    generateApplicationToken: (_, { authID }, ctx) => generateToken(ctx, SystemAuthKind.APPLICATION, authID),
    generateRuntimeToken: (_, { authID }, ctx) => generateToken(ctx, SystemAuthKind.RUNTIME, authID),
  },
};

/** A hydrator body that is too large or unreadable: InvalidData, as the gateway answers it. */
const bodyErrorHandler: ErrorRequestHandler = (err: { status?: number; type?: string }, _req, res, next) => {
  if (res.headersSent || typeof err.status !== 'number') return next(err);
  const message =
    err.type === 'entity.too.large' ? 'Request body is too large' : 'Request body is not readable';
  res.status(err.status).json(errorBody(new AppError('InvalidData', message)));
};

/**
 * Compass's internal Connector API (classic port 3001) and its hydrator, on loopback only
 * whatever HOST says: `/graphql` mints one-time tokens, `GET /health` answers 200, and the
 * Oathkeeper hydrators `/v1/tokens/resolve` and `/v1/certificate/data/resolve` add identity
 * headers to the AuthenticationSession they are posted (see ./hydrators).
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
      ...noStorePlugins<InternalConnectorContext>(),
    ],
  });
  await apollo.start();
  const context: InternalConnectorContext = {
    connector: deps.connector,
    systemAuths: deps.systemAuths,
    applications: deps.applications,
    runtimes: deps.runtimes,
  };
  app.get('/health', (_req, res) => void res.status(200).end());
  app.use(
    '/graphql',
    express.json({ limit: '100kb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const tenant = req.headers['tenant'];
        const named = Array.isArray(tenant) ? tenant[0] : tenant;
        return named === undefined ? context : { ...context, tenant: named };
      },
    }),
  );
  const sessionBody = express.text({ type: () => true, limit: '100kb' });
  app.all('/v1/tokens/resolve', sessionBody, (req, res) => void resolveToken(deps, req, res));
  app.all(
    '/v1/certificate/data/resolve',
    sessionBody,
    (req, res) => void resolveCertificateData(deps, req, res),
  );
  app.use(bodyErrorHandler);

  deps.log.info({ url }, 'internal Connector API listening');
  return {
    url,
    address,
    close: () => apollo.stop(),
  };
}
