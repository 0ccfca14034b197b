import DataLoader from 'dataloader';
import type { Application } from '../../domain/application';
import type { Labels } from '../../domain/labels';
import { runtimeEventingURL } from '../../domain/runtime';
import type { Resolvers } from '../generated/graphql';
import type { EventingConfiguration } from './eventing-service';

/** All labels, or only the one named by `key` (an empty object when absent). */
function pickLabels(labels: Labels, key: string | null | undefined): Labels {
  if (key == null) return labels;
  return key in labels ? { [key]: labels[key] } : {};
}

/** Runtime, runtime context and runtime label resolvers, plus applicationsForRuntime. */
export const runtimeResolvers: Resolvers = {
  Query: {
    runtimes: async (_, { filter, health, first, after }, ctx) =>
      health
        ? ctx.services.runtimeHealth.listRuntimes(await ctx.tenant(), filter, health, first, after)
        : ctx.services.runtimes.list(await ctx.tenant(), filter, first, after),
    runtime: async (_, { id }, ctx) => (await ctx.services.runtimes.get(await ctx.tenant(), id)) ?? null,
    runtimeContexts: async (_, { filter, first, after }, ctx) =>
      ctx.services.runtimeContexts.list(await ctx.tenant(), filter, first, after),
    runtimeContext: async (_, { id }, ctx) =>
      (await ctx.services.runtimeContexts.get(await ctx.tenant(), id)) ?? null,
    applicationsForRuntime: async (_, { runtimeID, first, after }, ctx) =>
      ctx.services.runtimeApplications.list(await ctx.tenant(), runtimeID, first, after),
  },
  Mutation: {
    registerRuntime: async (_, args, ctx) => ctx.services.runtimes.register(await ctx.tenant(), args.in),
    updateRuntime: async (_, args, ctx) => ctx.services.runtimes.update(await ctx.tenant(), args.id, args.in),
    unregisterRuntime: async (_, { id }, ctx) => ctx.services.runtimes.unregister(await ctx.tenant(), id),
    setRuntimeLabel: async (_, { runtimeID, key, value }, ctx) =>
      ctx.services.runtimes.setLabel(await ctx.tenant(), runtimeID, key, value),
    deleteRuntimeLabel: async (_, { runtimeID, key }, ctx) =>
      ctx.services.runtimes.deleteLabel(await ctx.tenant(), runtimeID, key),
    registerRuntimeContext: async (_, args, ctx) =>
      ctx.services.runtimeContexts.register(await ctx.tenant(), args.runtimeID, args.in),
    updateRuntimeContext: async (_, args, ctx) =>
      ctx.services.runtimeContexts.update(await ctx.tenant(), args.id, args.in),
    unregisterRuntimeContext: async (_, { id }, ctx) =>
      ctx.services.runtimeContexts.unregister(await ctx.tenant(), id),
    setDefaultEventingForApplication: async (_, { appID, runtimeID }, ctx) =>
      ctx.services.eventing.setDefault(await ctx.tenant(), appID, runtimeID),
    deleteDefaultEventingForApplication: async (_, { appID }, ctx) =>
      ctx.services.eventing.deleteDefault(await ctx.tenant(), appID),
  },
  Runtime: {
    labels: (runtime, { key }) => pickLabels(runtime.labels, key),
    metadata: (runtime) => ({ creationTimestamp: runtime.createdAt }),
    eventingConfiguration: (runtime) => ({ defaultURL: runtimeEventingURL(runtime) }),
  },
  RuntimeContext: {
    labels: (context, { key }) => pickLabels(context.labels, key),
  },
  Application: {
    eventingConfiguration: async (app, _, ctx) => {
      const tenantId = await ctx.tenant();
      const loader = ctx.loader<Application, EventingConfiguration>(
        'applicationEventing',
        () =>
          new DataLoader<Application, EventingConfiguration, string>(
            (apps) => ctx.services.eventing.forApplications(tenantId, apps),
            { cacheKeyFn: (a) => a.id },
          ),
      );
      return loader.load(app);
    },
  },
};
