import type { Resolvers } from '../generated/graphql';

/** Integration systems are global: every call still runs as a known tenant. */
export const integrationSystemResolvers: Resolvers = {
  Query: {
    integrationSystems: async (_, { first, after }, ctx) => {
      await ctx.tenant();
      return ctx.services.integrationSystems.list(first, after);
    },
    integrationSystem: async (_, { id }, ctx) => {
      await ctx.tenant();
      return (await ctx.services.integrationSystems.get(id)) ?? null;
    },
  },
  Mutation: {
    registerIntegrationSystem: async (_, args, ctx) => {
      await ctx.tenant();
      return ctx.services.integrationSystems.register(args.in);
    },
    updateIntegrationSystem: async (_, args, ctx) => {
      await ctx.tenant();
      return ctx.services.integrationSystems.update(args.id, args.in);
    },
    unregisterIntegrationSystem: async (_, { id }, ctx) => {
      await ctx.tenant();
      return ctx.services.integrationSystems.unregister(id);
    },
  },
};
