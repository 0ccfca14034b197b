import { Agent, request } from 'undici';
import type { Credentials } from './credentials';

/** The gateway answered with GraphQL errors; `code` is the first error's error_code. */
export class GraphQLError extends Error {
  override readonly name = 'GraphQLError';
  constructor(
    message: string,
    readonly code: number | undefined,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The gateway could not be reached (connection refused, TLS refused, timeout). */
export class UnreachableError extends Error {
  override readonly name = 'UnreachableError';
}

/**
 * A GraphQL client for one endpoint family: plain HTTPS/HTTP with a one-time token, or mTLS
 * with the agent's certificate over keep-alive connections.
 */
export class GatewayClient {
  private readonly dispatcher: Agent;

  constructor(
    credentials: Pick<Credentials, 'keyPem' | 'certificateChainPem' | 'caPem'> | undefined,
    private readonly timeoutMs: number,
  ) {
    this.dispatcher = new Agent({
      keepAliveTimeout: 30_000,
      connect: credentials
        ? { cert: credentials.certificateChainPem, key: credentials.keyPem, ca: credentials.caPem }
        : {},
    });
  }

  async query<T>(
    url: string,
    query: string,
    variables: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): Promise<T> {
    let status: number;
    let text: string;
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher: this.dispatcher,
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (err) {
      throw new UnreachableError(`${new URL(url).origin} is not reachable: ${(err as Error).message}`);
    }
    let body: { data?: T; errors?: Array<{ message: string; extensions?: { error_code?: number } }> };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new UnreachableError(`${new URL(url).origin} answered ${status} without a GraphQL body`);
    }
    const first = body.errors?.[0];
    if (first || !body.data)
      throw new GraphQLError(first?.message ?? `HTTP ${status}`, first?.extensions?.error_code, status);
    return body.data;
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }
}
