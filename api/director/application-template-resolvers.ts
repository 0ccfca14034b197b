import type { Resolvers } from '../generated/graphql';

/** Application templates are global: every call still runs as a known tenant. */
export const applicationTemplateResolvers: Resolvers = {
  Query: {
    applicationTemplates: async (_, { first, after }, ctx) => {
      await ctx.tenant();
      return ctx.services.applicationTemplates.list(first, after);
    },
    applicationTemplate: async (_, { id }, ctx) => {
      await ctx.tenant();
      return (await ctx.services.applicationTemplates.get(id)) ?? null;
    },
  },
  Mutation: {
    createApplicationTemplate: async (_, args, ctx) => {
      await ctx.tenant();
      return ctx.services.applicationTemplates.create(args.in);
    },
    updateApplicationTemplate: async (_, args, ctx) => {
      await ctx.tenant();
      return ctx.services.applicationTemplates.update(args.id, args.in);
    },
    deleteApplicationTemplate: async (_, { id }, ctx) => {
      await ctx.tenant();
      return ctx.services.applicationTemplates.delete(id);
    },
    registerApplicationFromTemplate: async (_, args, ctx) => {
      const tenant = await ctx.tenant();
      const input = await ctx.services.applicationTemplates.applicationInputFor(args.in);
      return ctx.services.applications.register(tenant, input);
    },
  },
};
