import { renderApplicationRegisterInput } from '../../domain/graphql-literal';
import type { Resolvers } from '../generated/graphql';

/**
 * Application templates are global, as in Compass: reading and writing them needs no tenant;
 * registering an application from one does, as every registration.
 */
export const applicationTemplateResolvers: Resolvers = {
  Query: {
    applicationTemplates: (_, { first, after }, ctx) => ctx.services.applicationTemplates.list(first, after),
    applicationTemplate: async (_, { id }, ctx) => (await ctx.services.applicationTemplates.get(id)) ?? null,
  },
  Mutation: {
    createApplicationTemplate: (_, args, ctx) => ctx.services.applicationTemplates.create(args.in),
    updateApplicationTemplate: (_, args, ctx) => ctx.services.applicationTemplates.update(args.id, args.in),
    deleteApplicationTemplate: (_, { id }, ctx) => ctx.services.applicationTemplates.delete(id),
    registerApplicationFromTemplate: async (_, args, ctx) => {
      const tenant = await ctx.tenant();
      const input = await ctx.services.applicationTemplates.applicationInputFor(args.in);
      return ctx.services.applications.register(tenant, input);
    },
  },
  ApplicationTemplate: {
    applicationInput: (template) => renderApplicationRegisterInput(JSON.parse(template.applicationInput)),
  },
};
