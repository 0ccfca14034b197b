import type { Resolvers } from '../generated/graphql';

/** Integration systems are global, as in Compass: no call needs or reads a tenant. */
export const integrationSystemResolvers: Resolvers = {
  Query: {
    integrationSystems: (_, { first, after }, ctx) => ctx.services.integrationSystems.list(first, after),
    integrationSystem: async (_, { id }, ctx) => (await ctx.services.integrationSystems.get(id)) ?? null,
  },
  Mutation: {
    registerIntegrationSystem: (_, args, ctx) => ctx.services.integrationSystems.register(args.in),
    updateIntegrationSystem: (_, args, ctx) => ctx.services.integrationSystems.update(args.id, args.in),
    unregisterIntegrationSystem: (_, { id }, ctx) => ctx.services.integrationSystems.unregister(id),
  },
};
