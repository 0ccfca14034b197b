import type { Resolvers } from '../generated/graphql';

/** Director resolvers: authorize (tenant), call the service, return domain objects. */
export const directorResolvers: Resolvers = {
  Query: {
    applications: (_, { first, after }, ctx) => ctx.services.applications.list(ctx.tenant(), first, after),
    application: async (_, { id }, ctx) => (await ctx.services.applications.get(ctx.tenant(), id)) ?? null,
  },
  Mutation: {
    registerApplication: (_, args, ctx) => ctx.services.applications.register(ctx.tenant(), args.in),
    unregisterApplication: (_, { id }, ctx) => ctx.services.applications.unregister(ctx.tenant(), id),
  },
  Application: {
    labels: (app, { key }) =>
      key == null ? app.labels : key in app.labels ? { [key]: app.labels[key] } : {},
  },
};
