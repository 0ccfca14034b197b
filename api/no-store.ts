import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';

/**
 * Every GraphQL answer is `Cache-Control: no-store` (answers carry credentials and tenant
 * data). Apollo's cache-control plugin, installed unless disabled, would say the same for a
 * schema without cache hints, but it does so by wrapping every field's resolver of every
 * request; this sets the header once per answer instead.
 */
export function noStorePlugins<TContext extends BaseContext>(): ApolloServerPlugin<TContext>[] {
  return [
    ApolloServerPluginCacheControlDisabled(),
    {
      requestDidStart: async () => ({
        willSendResponse: async ({ response }) => {
          response.http.headers.set('cache-control', 'no-store');
        },
      }),
    },
  ];
}
