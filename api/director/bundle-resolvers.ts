import DataLoader from 'dataloader';
import { isBasicCredential } from '../../domain/auth';
import { type PageRequest, parsePageRequest } from '../../domain/pagination';
import type { GatewayContext } from '../context';
import type { Resolvers } from '../generated/graphql';
import type { Page } from '../../domain/pagination';
import type { ParentRef } from '../../store/owned-collection';
import type { BundleContentKind, ContentByKind } from './bundle-content-service';

/** A loader of one page per parent, for one combination of page arguments. */
function pageLoader<V>(
  ctx: GatewayContext,
  name: string,
  load: (parents: readonly ParentRef[]) => Promise<Map<string, V>>,
): DataLoader<ParentRef, V | null, string> {
  return ctx.loader(
    name,
    () =>
      new DataLoader<ParentRef, V | null, string>(
        async (parents) => {
          const pages = await load(parents);
          return parents.map((p) => pages.get(p.id) ?? null);
        },
        { cacheKeyFn: (p) => p.id },
      ),
  );
}

/** A loader of objects by ID, batching every lookup of a request into one query. */
function idLoader<V extends { id: string }>(
  ctx: GatewayContext,
  name: string,
  load: (ids: readonly string[]) => Promise<V[]>,
): DataLoader<string, V | null> {
  return ctx.loader(
    name,
    () =>
      new DataLoader<string, V | null>(async (ids) => {
        const found = new Map((await load(ids)).map((v) => [v.id, v]));
        return ids.map((id) => found.get(id) ?? null);
      }),
  );
}

function pageKey(page: PageRequest, group?: string | null): string {
  return JSON.stringify([page.first, page.cursor ?? null, group ?? null]);
}

/** Bundle.apiDefinitions / eventDefinitions / documents: one query per page shape per request. */
async function contentPage<K extends BundleContentKind>(
  ctx: GatewayContext,
  kind: K,
  bundle: ParentRef,
  args: { first?: number | null; after?: string | null; group?: string | null },
): Promise<Page<ContentByKind[K]> | null> {
  const tenant = await ctx.tenant();
  const page = parsePageRequest(args.first, args.after);
  const group = args.group ?? undefined;
  const loader = pageLoader(ctx, `${kind}.byBundle:${pageKey(page, group)}`, (bundles) =>
    ctx.services.bundleContent.pagesByBundles(kind, tenant, bundles, page, group),
  );
  return loader.load(bundle);
}

/** Content of a bundle by ID: null when absent, in another tenant or in another bundle. */
async function contentById<K extends BundleContentKind>(
  ctx: GatewayContext,
  kind: K,
  bundleId: string,
  id: string,
): Promise<ContentByKind[K] | null> {
  const tenant = await ctx.tenant();
  const found = await idLoader(ctx, `${kind}.byId`, (ids) =>
    ctx.services.bundleContent.byIds(kind, tenant, ids),
  ).load(id);
  return found && found.bundleId === bundleId ? found : null;
}

/** Bundles, their content and auths: thin resolvers over the bundle services and loaders. */
export const bundleResolvers: Resolvers = {
  Mutation: {
    addBundle: async (_, args, ctx) =>
      ctx.services.bundles.add(await ctx.tenant(), args.applicationID, args.in),
    updateBundle: async (_, args, ctx) => ctx.services.bundles.update(await ctx.tenant(), args.id, args.in),
    deleteBundle: async (_, args, ctx) => ctx.services.bundles.delete(await ctx.tenant(), args.id),
    addAPIDefinitionToBundle: async (_, args, ctx) =>
      ctx.services.bundleContent.addAPIDefinition(await ctx.tenant(), args.bundleID, args.in),
    updateAPIDefinition: async (_, args, ctx) =>
      ctx.services.bundleContent.updateAPIDefinition(await ctx.tenant(), args.id, args.in),
    deleteAPIDefinition: async (_, args, ctx) =>
      ctx.services.bundleContent.delete('apiDefinitions', await ctx.tenant(), args.id),
    refetchAPISpec: async (_, args, ctx) =>
      ctx.services.bundleContent.refetchAPISpec(await ctx.tenant(), args.apiID),
    addEventDefinitionToBundle: async (_, args, ctx) =>
      ctx.services.bundleContent.addEventDefinition(await ctx.tenant(), args.bundleID, args.in),
    updateEventDefinition: async (_, args, ctx) =>
      ctx.services.bundleContent.updateEventDefinition(await ctx.tenant(), args.id, args.in),
    deleteEventDefinition: async (_, args, ctx) =>
      ctx.services.bundleContent.delete('eventDefinitions', await ctx.tenant(), args.id),
    refetchEventDefinitionSpec: async (_, args, ctx) =>
      ctx.services.bundleContent.refetchEventSpec(await ctx.tenant(), args.eventID),
    addDocumentToBundle: async (_, args, ctx) =>
      ctx.services.bundleContent.addDocument(await ctx.tenant(), args.bundleID, args.in),
    deleteDocument: async (_, args, ctx) =>
      ctx.services.bundleContent.delete('documents', await ctx.tenant(), args.id),
  },
  Application: {
    bundles: async (app, { first, after }, ctx) => {
      const tenant = await ctx.tenant();
      const page = parsePageRequest(first, after);
      return pageLoader(ctx, `bundles.byApplication:${pageKey(page)}`, (apps) =>
        ctx.services.bundles.pagesByApplications(tenant, apps, page),
      ).load(app as unknown as ParentRef);
    },
    bundle: async (app, { id }, ctx) => {
      const tenant = await ctx.tenant();
      const found = await idLoader(ctx, 'bundles.byId', (ids) =>
        ctx.services.bundles.byIds(tenant, ids),
      ).load(id);
      return found && found.applicationId === app.id ? found : null;
    },
  },
  Bundle: {
    apiDefinitions: (bundle, args, ctx) =>
      contentPage(ctx, 'apiDefinitions', bundle as unknown as ParentRef, args),
    eventDefinitions: (bundle, args, ctx) =>
      contentPage(ctx, 'eventDefinitions', bundle as unknown as ParentRef, args),
    documents: (bundle, args, ctx) => contentPage(ctx, 'documents', bundle as unknown as ParentRef, args),
    apiDefinition: (bundle, { id }, ctx) => contentById(ctx, 'apiDefinitions', bundle.id, id),
    eventDefinition: (bundle, { id }, ctx) => contentById(ctx, 'eventDefinitions', bundle.id, id),
    document: (bundle, { id }, ctx) => contentById(ctx, 'documents', bundle.id, id),
  },
  CredentialData: {
    __resolveType: (credential) =>
      isBasicCredential(credential) ? 'BasicCredentialData' : 'OAuthCredentialData',
  },
};
