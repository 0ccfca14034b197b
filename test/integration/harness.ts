import { randomUUID } from 'node:crypto';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import pino from 'pino';
import {
  devAuthorization,
  type InProcessStack,
  type InProcessStackOptions,
  startInProcessStack,
} from '../../scripts/in-process-stack';

let authorization: string | undefined;

/** Worker logs below ERROR (expected retries, shutdowns) would drown test output. */
try {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
} catch {
  // already installed by an earlier test file in this jest worker
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  body: {
    data?: T | null;
    errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
  };
}

/** The in-process stack plus a GraphQL client for the Director API. */
export interface Stack extends InProcessStack {
  /** POSTs a GraphQL operation with the given tenant header (none when undefined). */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    tenant?: string,
  ): Promise<GraphQLResponse<T>>;
}

/** An object of a GraphQL answer, identified by its ID. */
export type Obj = Record<string, unknown> & { id: string };

/** Runs a GraphQL operation on `stack`, expects no errors, and returns its (first) top-level field. */
export async function okData<T = Obj>(
  stack: Stack,
  query: string,
  variables: Record<string, unknown>,
  tenant: string,
): Promise<T> {
  const res = await stack.gql<Record<string, T>>(query, variables, tenant);
  expect(res.body.errors).toBeUndefined();
  return Object.values(res.body.data!)[0]!;
}

/** A fresh tenant for one test. */
export function fixTenant(): string {
  return `t-${randomUUID()}`;
}

export function testEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests through jest (globalSetup)`);
  return value;
}

/** Starts a gateway and worker against the shared real servers, isolated from other test files. */
export async function startStack(
  options: {
    worker?: boolean;
    tenantAutoCreate?: boolean;
    /** Spec fetches may reach loopback (default true: the tests' spec servers listen there). */
    specFetchAllowPrivateNetworks?: boolean;
    appHideSelectors?: Record<string, string[]>;
    certificateValidityMs?: number;
    certificateGraceMs?: number;
    appTokenTtlSeconds?: number;
    csrTokenTtlSeconds?: number;
    runtimeHealth?: InProcessStackOptions['runtimeHealth'];
    /** The stack's logger (default: pino at TEST_LOG_LEVEL, silent unless set). */
    log?: pino.Logger;
    /** Webhooks may be called on loopback (default false: tests of webhooks set it for their receivers). */
    webhookAllowPrivateNetworks?: boolean;
    credentialRequests?: InProcessStackOptions['credentialRequests'];
    provisioning?: InProcessStackOptions['provisioning'];
  } = {},
): Promise<Stack> {
  const stack = await startInProcessStack({
    temporalAddress: testEnv('COMPASS_TEST_TEMPORAL_ADDRESS'),
    namespace: testEnv('COMPASS_TEST_NAMESPACE'),
    mongoUri: `${testEnv('COMPASS_TEST_MONGODB_BASE')}/test_${randomUUID().slice(0, 8)}`,
    workflowBundle: { codePath: testEnv('COMPASS_TEST_WORKFLOW_BUNDLE') },
    log: options.log ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    ...(options.worker === false && { worker: false }),
    specFetchAllowPrivateNetworks: options.specFetchAllowPrivateNetworks ?? true,
    ...(options.tenantAutoCreate !== undefined && { tenantAutoCreate: options.tenantAutoCreate }),
    ...(options.appHideSelectors && { appHideSelectors: options.appHideSelectors }),
    ...(options.certificateValidityMs !== undefined && {
      certificateValidityMs: options.certificateValidityMs,
    }),
    ...(options.certificateGraceMs !== undefined && { certificateGraceMs: options.certificateGraceMs }),
    ...(options.appTokenTtlSeconds !== undefined && { appTokenTtlSeconds: options.appTokenTtlSeconds }),
    ...(options.csrTokenTtlSeconds !== undefined && { csrTokenTtlSeconds: options.csrTokenTtlSeconds }),
    ...(options.runtimeHealth && { runtimeHealth: options.runtimeHealth }),
    ...(options.webhookAllowPrivateNetworks !== undefined && {
      webhookAllowPrivateNetworks: options.webhookAllowPrivateNetworks,
    }),
    ...(options.credentialRequests && { credentialRequests: options.credentialRequests }),
    ...(options.provisioning && { provisioning: options.provisioning }),
  });
  return {
    ...stack,
    gql: async <T>(query: string, variables?: Record<string, unknown>, tenant?: string) => {
      const res = await fetch(`${stack.url}/director/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: (authorization ??= await devAuthorization()),
          ...(tenant !== undefined && { tenant }),
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as GraphQLResponse<T>['body'] };
    },
  };
}

/** Polls `check` until it returns a value other than undefined (no fixed sleeps in tests). */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
