import type { Resolvers } from '../generated/graphql';

/** Label definitions: the tenant's label keys and the JSON Schemas their values must satisfy. */
export const labelResolvers: Resolvers = {
  Query: {
    labelDefinitions: async (_, _args, ctx) => ctx.services.labelDefinitions.list(await ctx.tenant()),
    labelDefinition: async (_, { key }, ctx) =>
      (await ctx.services.labelDefinitions.get(await ctx.tenant(), key)) ?? null,
  },
  Mutation: {
    createLabelDefinition: async (_, args, ctx) =>
      ctx.services.labelDefinitions.create(await ctx.tenant(), args.in),
    updateLabelDefinition: async (_, args, ctx) =>
      ctx.services.labelDefinitions.update(await ctx.tenant(), args.in),
    deleteLabelDefinition: async (_, { key, deleteRelatedLabels }, ctx) =>
      ctx.services.labelDefinitions.delete(await ctx.tenant(), key, deleteRelatedLabels ?? false),
  },
  LabelDefinition: {
    schema: (def) => (def.schema === undefined ? null : JSON.stringify(def.schema)),
  },
};
