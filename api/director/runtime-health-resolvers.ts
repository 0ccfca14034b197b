import DataLoader from 'dataloader';
import type { Resolvers } from '../generated/graphql';
import type { RuntimeHealthView } from './runtime-health-service';

/** Heartbeat intake, and the health of runtimes (loaded in batches per request). */
export const runtimeHealthResolvers: Resolvers = {
  Mutation: {
    reportRuntimeHealth: async (_, args, ctx) =>
      ctx.services.runtimeHealth.report(await ctx.tenant(), await ctx.viewer(), args.in),
  },
  Runtime: {
    health: async (runtime, _, ctx) => {
      const loader = ctx.loader<string, RuntimeHealthView>(
        'runtimeHealth',
        () => new DataLoader((ids) => ctx.services.runtimeHealth.forRuntimes(runtime.tenantId, ids)),
      );
      const view = await loader.load(runtime.id);
      return { ...view, since: view.since ?? null, lastHeartbeat: null, checks: [...view.checks] };
    },
  },
  RuntimeHealth: {
    lastHeartbeat: async (health, _, ctx) =>
      ctx.services.runtimeHealth.lastHeartbeat(health as unknown as RuntimeHealthView),
  },
};
