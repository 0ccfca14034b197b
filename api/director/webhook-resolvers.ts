import DataLoader from 'dataloader';
import type { ParentRef } from '../../store/owned-collection';
import type { Webhook } from '../../domain/webhook';
import type { Resolvers } from '../generated/graphql';

/** Application webhooks; `Application.webhooks` loads in one batch per request. */
export const webhookResolvers: Resolvers = {
  Mutation: {
    addWebhook: async (_, args, ctx) =>
      ctx.services.webhooks.add(await ctx.tenant(), args.applicationID, args.in),
    updateWebhook: async (_, args, ctx) =>
      ctx.services.webhooks.update(await ctx.tenant(), args.webhookID, args.in),
    deleteWebhook: async (_, { webhookID }, ctx) =>
      ctx.services.webhooks.delete(await ctx.tenant(), webhookID),
  },
  Application: {
    webhooks: (app, _args, ctx) =>
      ctx
        .loader(
          'application.webhooks',
          () =>
            new DataLoader<ParentRef, Webhook[], string>(
              (apps) => ctx.services.webhooks.forApplications(app.tenantId, apps),
              { cacheKeyFn: (a) => a.id },
            ),
        )
        .load(app as unknown as ParentRef),
  },
  Webhook: {
    applicationID: (w) => w.applicationId,
    // Present only on the object addWebhook (or the updateWebhook that created it) answers.
    secret: (w) => (w as { secret?: string }).secret ?? null,
  },
};
