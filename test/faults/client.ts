import { mtlsGql, type MtlsCredentials } from '../integration/mtls-client';

/** One gateway of the stack, as a client reaches it. */
export interface GatewayEndpoint {
  readonly name: string;
  readonly url: string;
  readonly mtlsUrl: string;
}

/**
 * How a call ended: its data, or the clear error a client saw (never both); `transport` when
 * no answer came (refused or broken connection, or a hang).
 */
export type CallResult<T> = { ok: true; data: T } | { ok: false; code: string; transport?: true };

/** The code a client sees when an answer does not come within its wait: a hang. */
export const HANG = 'hang';

interface GraphQLBody<T> {
  data?: T | null;
  errors?: Array<{ extensions?: { error?: string } }>;
}

/**
 * `ok` with the data, or the first error's `extensions.error` (with the HTTP status when it is
 * 5xx; the status alone when there is no code).
 */
function resultOf<T>(status: number, body: GraphQLBody<T> | undefined): CallResult<T> {
  const error = body?.errors?.[0];
  if (error) {
    const name = error.extensions?.error ?? 'no error code';
    return { ok: false, code: status >= 500 ? `${name} (HTTP ${status})` : name };
  }
  if (status !== 200 || !body?.data) return { ok: false, code: `HTTP ${status}` };
  return { ok: true, data: body.data };
}

/** The code of a transport failure: the socket error's code (ECONNREFUSED, ECONNRESET...). */
function transportCode(err: unknown): string {
  const e = err as { code?: string; cause?: { code?: string }; name?: string };
  return e.cause?.code ?? e.code ?? e.name ?? 'network error';
}

/** Resolves with `fn`'s result, or with HANG once `waitMs` passes without one. */
async function within<T>(waitMs: number, fn: () => Promise<CallResult<T>>): Promise<CallResult<T>> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<CallResult<T>>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, code: HANG, transport: true }), waitMs);
  });
  try {
    return await Promise.race([
      fn().catch((err: unknown): CallResult<T> => ({ ok: false, code: transportCode(err), transport: true })),
      hang,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** A GraphQL client of the load: every call ends in data or a code within `waitMs`. */
export class FaultClient {
  constructor(private readonly waitMs: number) {}

  /** POSTs to `/<api>/graphql` on the gateway's HTTP listener. */
  gql<T>(
    gateway: GatewayEndpoint,
    api: 'director' | 'connector',
    headers: Record<string, string>,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<CallResult<T>> {
    return within(this.waitMs, async () => {
      const res = await fetch(`${gateway.url}/${api}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.waitMs + 1000),
      });
      const text = await res.text();
      let body: GraphQLBody<T> | undefined;
      try {
        body = JSON.parse(text) as GraphQLBody<T>;
      } catch {
        body = undefined;
      }
      return resultOf(res.status, body);
    });
  }

  /** POSTs to `/director/graphql` on the gateway's mTLS listener with a client certificate. */
  mtls<T>(
    gateway: GatewayEndpoint,
    credentials: MtlsCredentials,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<CallResult<T>> {
    return within(this.waitMs, async () => {
      const res = await mtlsGql<T>(gateway, 'director', credentials, query, variables);
      return resultOf(res.status, res.body);
    });
  }
}
