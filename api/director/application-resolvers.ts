import type { Resolvers } from '../generated/graphql';

/** Director resolvers: resolve the tenant, call the service, return domain objects. */
export const directorResolvers: Resolvers = {
  Query: {
    applications: async (_, { filter, first, after }, ctx) =>
      ctx.services.applications.list(await ctx.tenant(), filter, first, after),
    application: async (_, { id }, ctx) =>
      (await ctx.services.applications.get(await ctx.tenant(), id)) ?? null,
  },
  Mutation: {
    registerApplication: async (_, args, ctx) => {
      const tenant = await ctx.tenant();
      const app = await ctx.services.applications.register(tenant, args.in);
      // Specs of nested bundles are fetched once the application is visible, before answering.
      if (args.in.bundles?.length) await ctx.services.bundles.fetchSpecsOf(tenant, app.id);
      return app;
    },
    unregisterApplication: async (_, { id }, ctx) =>
      ctx.services.applications.unregister(await ctx.tenant(), id),
    updateApplication: async (_, args, ctx) =>
      ctx.services.applications.update(await ctx.tenant(), args.id, args.in),
    setApplicationLabel: async (_, { applicationID, key, value }, ctx) =>
      ctx.services.applicationLabels.set(await ctx.tenant(), applicationID, key, value),
    deleteApplicationLabel: async (_, { applicationID, key }, ctx) =>
      ctx.services.applicationLabels.delete(await ctx.tenant(), applicationID, key),
  },
  Application: {
    labels: (app, { key }) =>
      key == null ? app.labels : key in app.labels ? { [key]: app.labels[key] } : {},
  },
};
