import DataLoader from 'dataloader';
import type { Resolvers } from '../generated/graphql';

/**
 * Tenants and the viewer. `tenants` and `writeTenants` administer tenants themselves, so
 * they need no `Tenant` header (the first tenant must be creatable when auto-creation is off).
 */
export const tenantResolvers: Resolvers = {
  Query: {
    tenants: (_, __, ctx) => ctx.services.tenants.list(),
    viewer: (_, __, ctx) => ctx.viewer(),
  },
  Mutation: {
    writeTenants: (_, args, ctx) => ctx.services.tenants.write(args.in),
  },
  Tenant: {
    internalID: (tenant) => tenant.id,
    initialized: (tenant, _, ctx) =>
      ctx
        .loader(
          'tenantInitialized',
          () => new DataLoader<string, boolean>((ids) => ctx.services.tenants.initialized(ids)),
        )
        .load(tenant.id),
  },
};
