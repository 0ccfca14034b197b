import type { Resolvers } from '../generated/graphql';

/** Automatic scenario assignment resolvers: resolve the tenant, call the service. */
export const scenarioAssignmentResolvers: Resolvers = {
  Query: {
    automaticScenarioAssignments: async (_, { first, after }, ctx) =>
      ctx.services.scenarioAssignments.list(await ctx.tenant(), first, after),
    automaticScenarioAssignmentForScenario: async (_, { scenarioName }, ctx) =>
      (await ctx.services.scenarioAssignments.forScenario(await ctx.tenant(), scenarioName)) ?? null,
    automaticScenarioAssignmentsForSelector: async (_, { selector }, ctx) =>
      ctx.services.scenarioAssignments.forSelector(await ctx.tenant(), selector),
  },
  Mutation: {
    createAutomaticScenarioAssignment: async (_, args, ctx) =>
      ctx.services.scenarioAssignments.create(await ctx.tenant(), args.in),
    deleteAutomaticScenarioAssignmentForScenario: async (_, { scenarioName }, ctx) =>
      ctx.services.scenarioAssignments.deleteForScenario(await ctx.tenant(), scenarioName),
    deleteAutomaticScenarioAssignmentsForSelector: async (_, { selector }, ctx) =>
      ctx.services.scenarioAssignments.deleteForSelector(await ctx.tenant(), selector),
  },
};
