import DataLoader from 'dataloader';
import { GraphQLScalarType, Kind } from 'graphql';
import type { BundleInstanceAuth } from '../../domain/bundle-instance-auth';
import { InvalidDataError } from '../../domain/errors';
import type { GatewayContext } from '../context';
import type { Resolvers } from '../generated/graphql';

/** Stringified JSON, as Compass's JSON scalar: a string that parses as JSON. */
const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Stringified JSON.',
  serialize: (v) => v,
  parseValue: (v) => {
    if (typeof v !== 'string') throw new InvalidDataError('', { JSON: 'must be stringified JSON' });
    return v;
  },
  parseLiteral: (node) => {
    if (node.kind !== Kind.STRING) throw new InvalidDataError('', { JSON: 'must be stringified JSON' });
    return node.value;
  },
});

/** A runtime sees only the requests it made; applications and users see every request they can reach. */
function visibleTo(ctx: GatewayContext, auth: BundleInstanceAuth): boolean {
  return ctx.identity?.kind !== 'RUNTIME' || auth.runtimeId === ctx.identity.consumerId;
}

/** The runtime a caller acts as, when it is one: requests record who asked. */
function requestingRuntime(ctx: GatewayContext): string | undefined {
  return ctx.identity?.kind === 'RUNTIME' ? ctx.identity.consumerId : undefined;
}

function byBundle(ctx: GatewayContext, tenant: string): DataLoader<string, BundleInstanceAuth[]> {
  return ctx.loader(
    'bundle.instanceAuths',
    () =>
      new DataLoader<string, BundleInstanceAuth[]>((ids) =>
        ctx.services.bundleInstanceAuths.forBundles(tenant, ids),
      ),
  );
}

/** Credential requests: thin resolvers over BundleInstanceAuthService; nested reads in one batch. */
export const bundleInstanceAuthResolvers: Resolvers = {
  JSON: JSONScalar,
  Mutation: {
    requestBundleInstanceAuthCreation: async (_, args, ctx) =>
      ctx.services.bundleInstanceAuths.requestCreation(
        await ctx.tenant(),
        args.bundleID,
        args.in,
        requestingRuntime(ctx),
      ),
    requestBundleInstanceAuthDeletion: async (_, args, ctx) =>
      ctx.services.bundleInstanceAuths.requestDeletion(await ctx.tenant(), args.authID),
    setBundleInstanceAuth: async (_, args, ctx) =>
      ctx.services.bundleInstanceAuths.set(await ctx.tenant(), args.authID, args.in),
    deleteBundleInstanceAuth: async (_, args, ctx) =>
      ctx.services.bundleInstanceAuths.delete(await ctx.tenant(), args.authID),
  },
  Bundle: {
    instanceAuths: async (bundle, _args, ctx) =>
      (await byBundle(ctx, await ctx.tenant()).load(bundle.id)).filter((a) => visibleTo(ctx, a)),
    instanceAuth: async (bundle, { id }, ctx) => {
      const found = (await byBundle(ctx, await ctx.tenant()).load(bundle.id)).find((a) => a.id === id);
      return found && visibleTo(ctx, found) ? found : null;
    },
  },
  BundleInstanceAuth: {
    runtimeID: (a) => a.runtimeId ?? null,
  },
};
