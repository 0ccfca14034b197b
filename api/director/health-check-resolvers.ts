import type { Resolvers } from '../generated/graphql';

/** Health checks of the management plane, answered for a known tenant. */
export const healthCheckResolvers: Resolvers = {
  Query: {
    healthChecks: async (_, { types, origin, first, after }, ctx) =>
      ctx.services.runtimeHealth.healthChecks(await ctx.tenant(), types, origin, first, after),
  },
};
