import { Client, cacheExchange, fetchExchange, mapExchange } from 'urql';
import { ErrorCode, errorCode } from './errors';
import { session } from './session';

/**
 * The Director API client for one tenant: the bearer token and the `Tenant` header go on
 * every request. A token the gateway rejects (401, Unauthorized) signs the user out as
 * expired; an operation refused for missing scopes shows the insufficient-token screen.
 */
export function createClient(token: string, tenant: string): Client {
  return new Client({
    url: '/director/graphql',
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: () => ({ headers: { Authorization: `Bearer ${token}`, Tenant: tenant } }),
    exchanges: [
      mapExchange({
        onError(error) {
          const status = (error.response as Response | undefined)?.status;
          const code = errorCode(error);
          if (status === 401 || code === ErrorCode.Unauthorized) session.signOut('expired');
          else if (code === ErrorCode.InsufficientScopes && error.graphQLErrors.length > 0) {
            const op = error.graphQLErrors[0]?.path?.[0];
            if (op === 'tenants' || op === 'viewer') session.signOut('insufficient');
          }
        },
      }),
      cacheExchange,
      fetchExchange,
    ],
  });
}
