import DataLoader from 'dataloader';
import { SystemAuthKind } from '../../domain/system-auth';
import type { GatewayContext } from '../context';
import type { StoredCredential, SystemAuthView } from './system-auth-service';
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

/**
 * Whether the caller may read a SystemAuth's credentials: a user who may read its object, or
 * the system it identifies (an application its own, a runtime its own, an integration system its
 * own). Compass gives systems only the `*.auths:read` scope of their own kind; this is stricter
 * for integration systems, which do not read each other's secrets.
 */
function mayReadCredential(ctx: GatewayContext, auth: SystemAuthView): boolean {
  const identity = ctx.identity;
  if (!identity) return false;
  return identity.kind === 'USER' || identity.consumerId === auth.referenceObjectId;
}

/** A SystemAuth's stored credentials, read together with every other one of the request. */
function credentialOf(ctx: GatewayContext, auth: SystemAuthView): Promise<StoredCredential> {
  return ctx
    .loader(
      `systemAuths.credentials:${auth.tenantId}`,
      () =>
        new DataLoader<string, StoredCredential>((ids) =>
          ctx.services.systemAuths.credentialsOf(auth.tenantId, ids),
        ),
    )
    .load(auth.id);
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
  SystemAuth: {
    auth: async (auth, _args, ctx) => {
      if (auth.auth) return auth.auth;
      if (!mayReadCredential(ctx, auth)) return null;
      const stored = await credentialOf(ctx, auth);
      if (stored.unreadable) {
        ctx.log.warn(
          { systemAuthId: auth.id },
          'a client secret does not open with this SECRET_ENCRYPTION_KEY for its client ID and cannot be shown',
        );
      }
      return stored.credential ? { credential: stored.credential } : null;
    },
  },
};
