import { z } from 'zod';
import { DEFAULT_TASK_QUEUE } from '../domain/task-queues';

const port = z.coerce.number().int().min(0).max(65535);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/**
 * Every environment variable the worker and the gateway read, with its default. The README's
 * configuration table is this schema; docker-compose.yml is checked against it in tests.
 */
export const ConfigSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1').describe('Address the gateway binds to.'),
  PORT: port.default(3000).describe('Gateway HTTP port.'),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233').describe('Temporal frontend host:port.'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default').describe('Temporal namespace.'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default(DEFAULT_TASK_QUEUE).describe('Task queue of the worker.'),
  TEMPORAL_UI_URL: z
    .string()
    .default('http://127.0.0.1:8233')
    .describe('Temporal Web UI URL, shown to operators.'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URI')
    .default('mongodb://127.0.0.1:27017/compass')
    .describe('MongoDB connection string; its path names the database.'),
  LOG_LEVEL: z
    .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
    .default('info')
    .describe('Log level.'),
  LOG_PRETTY: bool.default(false).describe('Human-readable logs instead of JSON lines.'),
  REQUEST_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(30_000)
    .describe('How long a mutation waits for its workflow before answering; the workflow goes on.'),
  BODY_LIMIT: z.string().default('1mb').describe('Largest accepted request body.'),
  WORKER_METRICS_HOST: z
    .string()
    .default('127.0.0.1')
    .describe("Address the worker's Prometheus endpoint (/metrics) binds to."),
  WORKER_METRICS_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(9464)
    .describe("Port of the worker's Prometheus endpoint (/metrics); 0 takes a free one."),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .describe(
      "Workflows a worker keeps in memory between their tasks; unset: the SDK's default from the heap size. A workflow not kept replays its history on its next task.",
    ),
  RATE_LIMIT_PER_MINUTE: z.coerce
    .number()
    .min(0)
    .default(60)
    .describe(
      'Requests per minute each client address may make to the Connector without a certificate and to /oauth/token; 0 disables the limit.',
    ),
  RATE_LIMIT_BURST: z.coerce
    .number()
    .int()
    .min(1)
    .default(20)
    .describe('Requests a client may make at once before RATE_LIMIT_PER_MINUTE applies.'),
  SHUTDOWN_GRACE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(30_000)
    .describe(
      'On SIGTERM, how long the gateway lets requests in flight finish and the worker its current tasks before cutting them off.',
    ),
  GRAPHQL_MAX_COST: z.coerce
    .number()
    .int()
    .positive()
    .default(10_000_000_000)
    .describe(
      'Most fields one GraphQL operation may resolve, each list counted full (its `first`, or 200); a full Compass application page costs about 1.3 billion.',
    ),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().positive().default(24).describe('Deepest nesting of fields.'),
  GRAPHQL_MAX_TOKENS: z.coerce
    .number()
    .int()
    .positive()
    .default(20_000)
    .describe('Most lexical tokens in one GraphQL document, checked while parsing.'),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().nonnegative().default(30).describe('Most aliased fields.'),
  GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().nonnegative().default(50).describe('Most directives.'),
  TENANT_AUTO_CREATE: bool
    .default(true)
    .describe('Create an unknown tenant on first use; when false it is refused with TenantNotFound (25).'),
  SPEC_FETCH_ALLOW_PRIVATE_NETWORKS: bool
    .default(false)
    .describe(
      'Let spec fetch requests reach loopback, private, link-local and other non-public addresses (refused by default).',
    ),
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: bool
    .default(false)
    .describe(
      'Let application webhooks (and their redirects and token endpoints) be called on loopback, private, link-local and other non-public addresses (refused by default).',
    ),
  WEBHOOK_RETRY_SCHEDULE_MS: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'must be a comma-separated list of milliseconds')
    .transform((text) => text.split(',').map(Number))
    .default([10_000, 30_000, 90_000, 270_000])
    .describe(
      'Base delays before each further attempt to call a credential-request webhook (each jittered by ±20%, lengthened by Retry-After); after the last one the request FAILS.',
    ),
  WEBHOOK_ATTEMPT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(15_000)
    .describe('Deadline of one webhook call or status poll.'),
  WEBHOOK_POLL_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(10)
    .default(10_000)
    .describe("How often an ASYNC webhook's location is polled when the webhook sets no retryInterval."),
  WEBHOOK_ASYNC_TIMEOUT_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(3600)
    .describe('How long an ASYNC webhook may take to finish when the webhook sets no timeout.'),
  WEBHOOK_POLLS_PER_RUN: z.coerce
    .number()
    .int()
    .min(1)
    .default(500)
    .describe(
      "Polls of an ASYNC webhook's location one credential-request workflow run makes before it continues as new.",
    ),
  CREDENTIAL_REQUEST_TIMEOUT_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(604_800)
    .describe(
      'How long a PENDING credential request waits for setBundleInstanceAuth (polling path, ASYNC_CALLBACK without timeout) before it FAILS.',
    ),
  SECRET_ENCRYPTION_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes in base64')
    .optional()
    .describe(
      'Key (32 bytes, base64) encrypting webhook secrets and delivered credentials at rest; unset: DATA_DIR/secret-box.key, created on first start.',
    ),
  APP_HIDE_SELECTORS: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string().regex(/^[a-zA-Z0-9_]{1,256}$/), z.array(z.string())))
    .default({})
    .describe(
      'Applications hidden from runtimes: a JSON object mapping a label key to the values that hide an application.',
    ),
  PUBLIC_URL: z
    .string()
    .url()
    .optional()
    .describe('URL clients reach the gateway at (default http://HOST:PORT); used in one-time tokens.'),
  MTLS_PORT: port.default(3443).describe('Port of the mTLS listener for certificate-authenticated clients.'),
  MTLS_KEEP_ALIVE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(65)
    .describe(
      "How long an idle mTLS client connection stays open; longer than the agents' heartbeat interval (+25 %), so each call does not pay a new handshake.",
    ),
  MTLS_PUBLIC_URL: z
    .string()
    .url()
    .optional()
    .describe('URL clients reach the mTLS listener at (default https://HOST:MTLS_PORT).'),
  INTERNAL_CONNECTOR_PORT: port
    .default(3001)
    .describe(
      "Port of the Connector's internal API (token generation, token and certificate resolvers); always bound to 127.0.0.1.",
    ),
  CA_DIR: z
    .string()
    .optional()
    .describe(
      'Where the certificate authority is created on first start (default .data/ca in the checkout).',
    ),
  CA_CERT_FILE: z
    .string()
    .optional()
    .describe('A CA certificate (PEM) to use instead of creating one; needs CA_KEY_FILE.'),
  CA_KEY_FILE: z.string().optional().describe('The private key (PEM) of CA_CERT_FILE.'),
  CA_CERT_PEM: z
    .string()
    .optional()
    .describe(
      'A CA certificate as PEM text (e.g. from a secret), instead of CA_CERT_FILE; needs CA_KEY_PEM.',
    ),
  CA_KEY_PEM: z.string().optional().describe('The private key of CA_CERT_PEM as PEM text.'),
  CA_KEY_TYPE: z.enum(['rsa', 'ecdsa']).default('rsa').describe('Key type of a CA created on first start.'),
  CERT_VALIDITY_HOURS: z.coerce
    .number()
    .positive()
    .default(2160)
    .describe('Validity of client certificates, in hours (fractions allowed).'),
  CERT_GRACE_SECONDS: z.coerce
    .number()
    .nonnegative()
    .default(3600)
    .describe('How long a client certificate stays valid after the client renewed it, before it is revoked.'),
  CERT_REVOCATION_POLL_MS: z.coerce
    .number()
    .int()
    .nonnegative()
    .default(1000)
    .describe(
      'How often each gateway reads the certificates revoked lately; between reads it keeps the identity of each certificate seen. 0: every call reads the store.',
    ),
  CERT_SUBJECT: z
    .string()
    .regex(
      /^(?:(?:O|OU|L|ST|C)=[^,=]+)(?:,(?:O|OU|L|ST|C)=[^,=]+)*$/,
      'must be like O=Org,OU=OrgUnit,L=Locality,ST=State,C=PL',
    )
    .default('O=Org,OU=OrgUnit,L=Locality,ST=State,C=PL')
    .describe('Subject attributes, besides CN, of every client certificate.'),
  APP_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(300)
    .describe('Lifetime of application one-time tokens.'),
  RUNTIME_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(3600)
    .describe('Lifetime of runtime one-time tokens.'),
  CSR_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(300).describe('Lifetime of CSR tokens.'),
  RUNTIME_HEALTH_GRACE_SECONDS: z.coerce
    .number()
    .positive()
    .optional()
    .describe(
      'How long a runtime may stay silent before its health lease runs out (default 5 × its agent heartbeat interval, at least RUNTIME_HEALTH_MIN_GRACE_SECONDS).',
    ),
  RUNTIME_HEALTH_MIN_GRACE_SECONDS: z.coerce
    .number()
    .positive()
    .default(60)
    .describe('The shortest grace period derived from an agent heartbeat interval.'),
  RUNTIME_HEALTH_PULSE_SECONDS: z.coerce
    .number()
    .positive()
    .default(10)
    .describe(
      'How often each gateway records that its heartbeat intake is up and reaches Temporal (the sick-control-plane rule reads it).',
    ),
  PROVISION_CREATE_TIMEOUT_SECONDS: z.coerce
    .number()
    .positive()
    .default(3600)
    .describe(
      'Time limit of each cluster creation, upgrade and hibernation stage, from when the stage began.',
    ),
  PROVISION_INSTALL_TIMEOUT_SECONDS: z.coerce
    .number()
    .positive()
    .default(1200)
    .describe('Time limit of installing or removing the Runtime Agent.'),
  PROVISION_CONNECT_TIMEOUT_SECONDS: z.coerce
    .number()
    .positive()
    .default(900)
    .describe('How long a provisioning waits for the agent to connect (then once more with a fresh token).'),
  PROVISION_DELETE_TIMEOUT_SECONDS: z.coerce
    .number()
    .positive()
    .default(3600)
    .describe('Time limit of each cluster deletion stage.'),
  PROVISION_STEP_TIMEOUT_SECONDS: z.coerce
    .number()
    .positive()
    .default(300)
    .describe('Time limit of the short stages (registration, credential revocation, unregistration).'),
  PROVISION_POLL_SECONDS: z.coerce
    .number()
    .positive()
    .default(5)
    .describe("How often a waiting stage asks the provider for the cluster's state (and heartbeats)."),
  DATA_DIR: z
    .string()
    .optional()
    .describe(
      'Where the embedded stack keeps its data (default .data/ in the checkout): CA, local token issuer.',
    ),
  AUTH_JWT_ISSUER: z
    .string()
    .optional()
    .describe('Issuer (iss) of accepted user tokens; unset: the local development issuer.'),
  AUTH_JWT_AUDIENCE: z.string().optional().describe('When set, user tokens must name it in aud.'),
  AUTH_JWT_HS256_SECRET: z
    .string()
    .optional()
    .describe('Shared secret of the issuer (HS256, at least 32 bytes).'),
  AUTH_JWT_RS256_PUBLIC_KEY_FILE: z
    .string()
    .optional()
    .describe("The issuer's RSA public key (PEM file) for RS256 tokens."),
  AUTH_JWKS_URL: z.string().url().optional().describe('Where the issuer publishes its RS256 keys (JWKS).'),
  AUTH_ALLOW_UNSIGNED_TOKENS: bool
    .default(false)
    .describe(
      'Accept unsigned tokens (alg none) for local development; refused unless every listener is on loopback.',
    ),
});

export type Config = z.infer<typeof ConfigSchema>;

/** Raised at start-up when the environment is invalid; lists every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates configuration from `env` (process.env by default). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const relevant: Record<string, string> = {};
  for (const key of Object.keys(ConfigSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') relevant[key] = value;
  }
  const parsed = ConfigSchema.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return parsed.data;
}
