import { NotFoundError } from '../../domain/errors';
import { SystemAuthKind } from '../../domain/system-auth';
import type { Resolvers } from '../generated/graphql';

/** One-time tokens start a pairing of an application or runtime of the caller's tenant. */
export const oneTimeTokenResolvers: Resolvers = {
  Mutation: {
    requestOneTimeTokenForApplication: async (_, { id }, ctx) => {
      const tenant = await ctx.tenant();
      if (!(await ctx.services.applications.get(tenant, id))) throw new NotFoundError('application', id);
      return ctx.services.connector.requestOneTimeToken(tenant, SystemAuthKind.APPLICATION, id);
    },
    requestOneTimeTokenForRuntime: async (_, { id }, ctx) => {
      const tenant = await ctx.tenant();
      if (!(await ctx.services.runtimes.get(tenant, id))) throw new NotFoundError('runtime', id);
      return ctx.services.connector.requestOneTimeToken(tenant, SystemAuthKind.RUNTIME, id);
    },
  },
};
