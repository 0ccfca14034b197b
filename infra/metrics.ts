import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The Prometheus metric families of one process (gateway or worker), in a registry of its own so
 * several gateways and workers can share a process (tests). Every label takes values from a
 * fixed set (routes, schema fields, error codes, states): never a tenant, ID or client-chosen
 * name, so the series stay bounded however many tenants there are.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'route' | 'method' | 'status'>;
  readonly httpDuration: Histogram<'route' | 'method'>;
  readonly graphqlOperations: Counter<'api' | 'operation' | 'outcome'>;
  readonly graphqlDuration: Histogram<'api' | 'operation'>;
  readonly graphqlErrors: Counter<'api' | 'code'>;
  readonly authFailures: Counter<'kind'>;
  readonly heartbeats: Counter;
  readonly oneTimeTokens: Counter<'event'>;
  readonly certificates: Counter<'event'>;
  readonly webhookDeliveries: Counter<'outcome'>;
  readonly activities: Counter<'activity' | 'outcome'>;
  readonly activityDuration: Histogram<'activity'>;
  readonly runtimes: Gauge<'health'>;
  readonly provisioningOperations: Gauge<'type' | 'state'>;
  readonly rateLimited: Counter<'surface'>;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Creates the families in a new registry, with Node's process metrics, labelled `component`. */
export function createMetrics(component: 'gateway' | 'worker'): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ component });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'compass_http_requests_total',
      help: 'HTTP requests answered, by route, method and status code.',
      labelNames: ['route', 'method', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'compass_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by route and method.',
      labelNames: ['route', 'method'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    graphqlOperations: new Counter({
      name: 'compass_graphql_operations_total',
      help: 'GraphQL operations by API, operation (type and first root field) and outcome (ok or error).',
      labelNames: ['api', 'operation', 'outcome'],
      registers,
    }),
    graphqlDuration: new Histogram({
      name: 'compass_graphql_operation_duration_seconds',
      help: 'Time to run a GraphQL operation, by API and operation.',
      labelNames: ['api', 'operation'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    graphqlErrors: new Counter({
      name: 'compass_graphql_errors_total',
      help: "GraphQL errors answered, by API and Compass's error code name.",
      labelNames: ['api', 'code'],
      registers,
    }),
    authFailures: new Counter({
      name: 'compass_auth_failures_total',
      help: 'Refused authentications by kind: missing_credentials, invalid_token, insufficient_scopes, one_time_token, client_credentials, client_certificate.',
      labelNames: ['kind'],
      registers,
    }),
    heartbeats: new Counter({
      name: 'compass_runtime_heartbeats_total',
      help: 'Runtime Agent heartbeats (reportRuntimeHealth) accepted.',
      registers,
    }),
    oneTimeTokens: new Counter({
      name: 'compass_one_time_tokens_total',
      help: 'One-time pairing tokens by event: issued, redeemed, expired.',
      labelNames: ['event'],
      registers,
    }),
    certificates: new Counter({
      name: 'compass_certificates_total',
      help: 'Client certificates by event: signed (pairing), renewed, revoked.',
      labelNames: ['event'],
      registers,
    }),
    webhookDeliveries: new Counter({
      name: 'compass_webhook_deliveries_total',
      help: 'Application webhook calls and status polls by outcome (succeeded, failed, pending, retry, refused, error...).',
      labelNames: ['outcome'],
      registers,
    }),
    activities: new Counter({
      name: 'compass_activities_total',
      help: 'Activity attempts by activity type and outcome (completed or failed).',
      labelNames: ['activity', 'outcome'],
      registers,
    }),
    activityDuration: new Histogram({
      name: 'compass_activity_duration_seconds',
      help: 'Time of one activity attempt, by activity type.',
      labelNames: ['activity'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    runtimes: new Gauge({
      name: 'compass_runtimes',
      help: 'Runtimes by health state (HEALTHY, DEGRADED, UNREACHABLE, UNKNOWN), read when scraped.',
      labelNames: ['health'],
      registers,
    }),
    provisioningOperations: new Gauge({
      name: 'compass_provisioning_operations',
      help: 'Provisioning operations by type and state, read when scraped.',
      labelNames: ['type', 'state'],
      registers,
    }),
    rateLimited: new Counter({
      name: 'compass_rate_limited_total',
      help: 'Requests refused with 429 by a rate limit, by surface.',
      labelNames: ['surface'],
      registers,
    }),
  };
}
