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
    registerApplication: async (_, args, ctx) =>
      ctx.services.applications.register(await ctx.tenant(), args.in),
    unregisterApplication: async (_, { id }, ctx) =>
      ctx.services.applications.unregister(await ctx.tenant(), id),
  },
  Application: {
    labels: (app, { key }) =>
      key == null ? app.labels : key in app.labels ? { [key]: app.labels[key] } : {},
  },
};
