import { SystemAuthKind } from '../../domain/system-auth';
import type { Resolvers } from '../generated/graphql';

const { APPLICATION, RUNTIME, INTEGRATION_SYSTEM } = SystemAuthKind;

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
    auths: (app, _args, ctx) => ctx.services.systemAuths.forObject(app.tenantId, app.id),
  },
  Runtime: {
    auths: (runtime, _args, ctx) => ctx.services.systemAuths.forObject(runtime.tenantId, runtime.id),
  },
  IntegrationSystem: {
    auths: async (system, _args, ctx) => ctx.services.systemAuths.forObject(await ctx.tenant(), system.id),
  },
};
