import type { GraphQLResponse, Stack } from './harness';

/** Client credentials as `requestClientCredentialsFor…` returns them. */
export interface FixClientCredentials {
  readonly id: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly url: string;
}

const SYSTEM_AUTH = `id auth { credential { ... on OAuthCredentialData { clientId clientSecret url } } }`;

/** Requests client credentials for an object of `kind` (Runtime, Application, IntegrationSystem). */
export async function fixClientCredentials(
  stack: Stack,
  kind: 'Runtime' | 'Application' | 'IntegrationSystem',
  id: string,
  tenant: string,
): Promise<FixClientCredentials> {
  const op = `requestClientCredentialsFor${kind}`;
  const res = await stack.gql<
    Record<string, { id: string; auth: { credential: Omit<FixClientCredentials, 'id'> } }>
  >(`mutation($id: ID!) { ${op}(id: $id) { ${SYSTEM_AUTH} } }`, { id }, tenant);
  expect(res.body.errors).toBeUndefined();
  const auth = res.body.data![op]!;
  return { id: auth.id, ...auth.auth.credential };
}

/** POSTs the client-credentials grant; `basic` sends the client in an Authorization header. */
export async function requestToken(
  url: string,
  credentials: { clientId: string; clientSecret: string },
  options: { basic?: boolean; grantType?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new URLSearchParams({ grant_type: options.grantType ?? 'client_credentials' });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (options.basic) {
    const pair = `${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  } else {
    form.set('client_id', credentials.clientId);
    form.set('client_secret', credentials.clientSecret);
  }
  const res = await fetch(url, { method: 'POST', headers, body: form.toString() });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** An access token for the credentials (asserting success). */
export async function accessToken(credentials: FixClientCredentials): Promise<string> {
  const res = await requestToken(credentials.url, credentials);
  expect(res.status).toBe(200);
  return res.body.access_token as string;
}

/** POSTs a Director operation with a bearer token and an optional Tenant header. */
export async function gqlAs<T = Record<string, unknown>>(
  stack: Stack,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
  tenant?: string,
): Promise<GraphQLResponse<T>> {
  const res = await fetch(`${stack.url}/director/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      ...(tenant !== undefined && { tenant }),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as GraphQLResponse<T>['body'] };
}
