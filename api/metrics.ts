import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { RequestHandler } from 'express';
import { Kind, type OperationDefinitionNode } from 'graphql';
import type { Db } from 'mongodb';
import { RuntimeHealthStatus } from '../domain/runtime-health';
import type { Metrics } from '../infra/metrics';
import { RUNTIME_HEALTH } from '../store/runtime-health';
import { PROVISIONING_OPERATIONS } from '../store/provisioning';

/** The gateway's routes, as metric labels: a path outside them is `other`, never the raw path. */
const ROUTES = [
  '/director/graphql',
  '/connector/graphql',
  '/provisioner/graphql',
  '/oauth/token',
  '/healthz',
  '/metrics',
  '/graphiql',
  '/cockpit',
] as const;

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH']);

/** The route label of a request path. */
export function routeOf(path: string): string {
  if (path === '/') return '/';
  return ROUTES.find((r) => path === r || path.startsWith(`${r}/`) || path.startsWith(`${r}?`)) ?? 'other';
}

/**
 * Counts and times every HTTP request by route, method and status, and counts the refusals of
 * credentials the HTTP layer sees: 401/403 on the Director and Provisioner, 400/401 on the token
 * endpoint.
 */
export function httpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const stop = metrics.httpDuration.startTimer();
    res.once('finish', () => {
      const route = routeOf(req.originalUrl);
      const method = METHODS.has(req.method) ? req.method : 'other';
      stop({ route, method });
      metrics.httpRequests.inc({ route, method, status: String(res.statusCode) });
      const userApi = route === '/director/graphql' || route === '/provisioner/graphql';
      if (userApi && res.statusCode === 401) {
        metrics.authFailures.inc({
          kind: req.headers.authorization ? 'invalid_token' : 'missing_credentials',
        });
      } else if (userApi && res.statusCode === 403) {
        metrics.authFailures.inc({ kind: 'insufficient_scopes' });
      } else if (route === '/oauth/token' && (res.statusCode === 400 || res.statusCode === 401)) {
        metrics.authFailures.inc({ kind: 'client_credentials' });
      }
    });
    next();
  };
}

/** `query.applications`: the operation's type and first root field (schema-bounded), not its name. */
function operationLabel(operation: OperationDefinitionNode | undefined | null): string {
  if (!operation) return 'invalid';
  const first = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
  return `${operation.operation}.${first && first.kind === Kind.FIELD ? first.name.value : 'fragment'}`;
}

/**
 * Counts and times GraphQL operations of one API by operation, counts errors by code, heartbeats
 * accepted, and one-time tokens the Connector refused.
 */
export function graphqlMetricsPlugin<C extends BaseContext>(
  metrics: Metrics,
  api: 'director' | 'connector' | 'provisioner',
): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      let operation = 'invalid';
      return {
        async didResolveOperation(request) {
          operation = operationLabel(request.operation);
        },
        async willSendResponse({ response }) {
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          metrics.graphqlDuration.observe(
            { api, operation },
            Number(process.hrtime.bigint() - started) / 1e9,
          );
          metrics.graphqlOperations.inc({ api, operation, outcome: errors.length === 0 ? 'ok' : 'error' });
          for (const error of errors) {
            const code = error.extensions?.error;
            metrics.graphqlErrors.inc({ api, code: typeof code === 'string' ? code : 'unknown' });
            if (api === 'connector' && code === 'Unauthorized')
              metrics.authFailures.inc({ kind: 'one_time_token' });
          }
          if (errors.length === 0 && operation === 'mutation.reportRuntimeHealth') metrics.heartbeats.inc();
        },
      };
    },
  };
}

/**
 * Serves the registry in Prometheus's text format; the gauges read from MongoDB (runtimes by
 * health, provisioning operations by type and state) are refreshed first. A failed read keeps
 * the last values: a scrape never fails because the database is slow.
 */
export function metricsHandler(metrics: Metrics, db: Db): RequestHandler {
  return (_req, res) => {
    void (async () => {
      await refreshGauges(metrics, db).catch(() => undefined);
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    })();
  };
}

async function refreshGauges(metrics: Metrics, db: Db): Promise<void> {
  const health = db.collection(RUNTIME_HEALTH);
  for (const status of Object.values(RuntimeHealthStatus)) {
    metrics.runtimes.set({ health: status }, await health.countDocuments({ status }));
  }
  const groups = await db
    .collection(PROVISIONING_OPERATIONS)
    .aggregate<{ _id: { type?: string; state?: string }; n: number }>([
      { $group: { _id: { type: '$type', state: '$state' }, n: { $sum: 1 } } },
    ])
    .toArray();
  metrics.provisioningOperations.reset();
  for (const g of groups) {
    metrics.provisioningOperations.set(
      { type: g._id.type ?? 'unknown', state: g._id.state ?? 'unknown' },
      g.n,
    );
  }
}
