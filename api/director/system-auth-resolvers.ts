import DataLoader from 'dataloader';
import { SystemAuthKind } from '../../domain/system-auth';
import type { GatewayContext } from '../context';
import type { SystemAuthView } from './system-auth-service';
import type { Resolvers } from '../generated/graphql';

const { APPLICATION, RUNTIME, INTEGRATION_SYSTEM } = SystemAuthKind;

/** An object's SystemAuths, read together with every other object's of the request. */
function authsOf(ctx: GatewayContext, tenantId: string, objectId: string): Promise<SystemAuthView[]> {
  return ctx
    .loader(
      `systemAuths.byObject:${tenantId}`,
      () =>
        new DataLoader<string, SystemAuthView[]>((ids) => ctx.services.systemAuths.forObjects(tenantId, ids)),
    )
    .load(objectId);
}

/** Client credentials of systems and the `auths` of applications, runtimes and integration systems. */
export const systemAuthResolvers: Resolvers = {
  Mutation: {
    requestClientCredentialsForApplication: async (_, { id }, ctx) =>
      ctx.services.systemAuths.requestClientCredentials(await ctx.tenant(), APPLICATION, id),
    requestClientCredentialsForRuntime: async (_, { id }, ctx) =>
      ctx.services.systemAuths.requestClientCredentials(await ctx.tenant(), RUNTIME, id),
    requestClientCredentialsForIntegrationSystem: async (_, { id }, ctx) =>
      ctx.services.systemAuths.requestClientCredentials(await ctx.tenant(), INTEGRATION_SYSTEM, id),
    deleteSystemAuthForApplication: async (_, { authID }, ctx) =>
      ctx.services.systemAuths.delete(await ctx.tenant(), APPLICATION, authID),
    deleteSystemAuthForRuntime: async (_, { authID }, ctx) =>
      ctx.services.systemAuths.delete(await ctx.tenant(), RUNTIME, authID),
    deleteSystemAuthForIntegrationSystem: async (_, { authID }, ctx) =>
      ctx.services.systemAuths.delete(await ctx.tenant(), INTEGRATION_SYSTEM, authID),
  },
  Application: {
    auths: (app, _args, ctx) => authsOf(ctx, app.tenantId, app.id),
  },
  Runtime: {
    auths: (runtime, _args, ctx) => authsOf(ctx, runtime.tenantId, runtime.id),
  },
  IntegrationSystem: {
    auths: async (system, _args, ctx) => authsOf(ctx, await ctx.tenant(), system.id),
  },
};
