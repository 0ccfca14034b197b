import { Client, cacheExchange, fetchExchange, mapExchange } from 'urql';
import { ErrorCode, errorCode } from './errors';
import { session } from './session';

/** The gateway's GraphQL endpoints the Cockpit talks to. */
export const DIRECTOR_URL = '/director/graphql';
export const PROVISIONER_URL = '/provisioner/graphql';

/**
 * A client of one of the gateway's APIs (the Director by default, or the Provisioner) for one
 * tenant: the bearer token and the `Tenant` header go on every request. A token the gateway
 * rejects (401, Unauthorized) signs the user out as expired; an operation refused for missing
 * scopes shows the insufficient-token screen.
 */
export function createClient(token: string, tenant: string, url: string = DIRECTOR_URL): Client {
  return new Client({
    url,
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
