import type { GraphQLResolveInfo } from 'graphql';
import type { Application, ApplicationPage } from '../../domain/application';
import { InvalidOperationError, NotFoundError } from '../../domain/errors';
import type { LabelFilterInput } from '../../domain/label-filter';
import type { Page } from '../../domain/pagination';
import { sharesScenario } from '../../domain/runtime';
import type { SystemAuth } from '../../domain/system-auth';
import type { Webhook } from '../../domain/webhook';
import type { GatewayContext } from '../context';
import type { Resolvers } from '../generated/graphql';
import type { BundleContentKind } from './bundle-content-service';

/**
 * Per-identity restrictions, stricter than Compass (§3.4), in one place: every root Query and
 * Mutation field is wrapped, and a caller that is an APPLICATION or a RUNTIME goes through the
 * rule of that field for its kind. Users and integration systems are not restricted here
 * (scopes and tenant isolation apply to them as to everyone).
 *
 * - An application reads and changes only itself: another application (or its webhooks,
 *   bundles, bundle content, SystemAuths) is NotFound, exactly as if it did not exist, and
 *   `application(id)` of another one is null; `applications` lists only itself.
 * - A runtime reads and changes only itself among runtimes (and its own runtime contexts);
 *   `applications` is `applicationsForRuntime(itself)`; `application(id)` requires a shared
 *   scenario (Compass's `@hasScenario`: InvalidOperation 27), and so do its credential requests
 *   (`requestBundleInstanceAuthCreation`). It may ask to delete only its own requests, also
 *   after their application left its scenarios (giving credentials back). Applications
 *   set and delete the requests of their own bundles.
 * - A field without a rule for the caller's kind is refused (InvalidOperation 27): a new
 *   operation is closed to systems until its rule is written here.
 */

/** Looks up the owner of child objects; built once with the services. */
export interface OwnerLookup {
  webhook(tenantId: string, id: string): Promise<Webhook | undefined>;
  systemAuth(tenantId: string, id: string): Promise<SystemAuth | undefined>;
}

interface Caller {
  readonly kind: 'APPLICATION' | 'RUNTIME';
  /** The application or runtime ID the caller acts as. */
  readonly id: string;
}

type Args = Record<string, unknown>;

interface RuleInput {
  readonly args: Args;
  readonly ctx: GatewayContext;
  readonly caller: Caller;
  /** Runs the field's own resolver. */
  readonly next: () => Promise<unknown>;
}

type Rule = (input: RuleInput) => Promise<unknown>;

const str = (args: Args, name: string): string => String(args[name] ?? '');

/** Passes when the caller is the object named by `arg`; otherwise NotFound for `object`. */
const self =
  (object: 'application' | 'runtime', arg: string): Rule =>
  async ({ args, caller, next }) => {
    const id = str(args, arg);
    if (id !== caller.id) throw new NotFoundError(object, id);
    return next();
  };

/** Passes when the child object (looked up by `arg`) belongs to the caller; otherwise NotFound. */
const owned =
  (
    object: string,
    arg: string,
    ownerOf: (ctx: GatewayContext, tenant: string, id: string) => Promise<string | undefined>,
  ): Rule =>
  async ({ args, ctx, caller, next }) => {
    const id = str(args, arg);
    const owner = await ownerOf(ctx, await ctx.tenant(), id).catch((err: unknown) => {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    });
    if (owner !== caller.id) throw new NotFoundError(object, id);
    return next();
  };

const bundleOwner = async (ctx: GatewayContext, tenant: string, id: string) =>
  (await ctx.services.bundles.get(tenant, id)).applicationId;

const contentOwner =
  (kind: BundleContentKind) =>
  async (ctx: GatewayContext, tenant: string, id: string): Promise<string | undefined> =>
    (await ctx.services.bundleContent.get(kind, tenant, id)).applicationId;

const webhookOwner = async (ctx: GatewayContext, tenant: string, id: string) =>
  (await ctx.services.owners.webhook(tenant, id))?.applicationId;

const systemAuthOwner = async (ctx: GatewayContext, tenant: string, id: string) =>
  (await ctx.services.owners.systemAuth(tenant, id))?.referenceObjectId;

const instanceAuthOwner = async (ctx: GatewayContext, tenant: string, id: string) =>
  (await ctx.services.bundleInstanceAuths.get(tenant, id))?.applicationId;

/**
 * A runtime requests credentials only for bundles of applications in its scenarios
 * (Compass's `@hasScenario` on the bundle's application); a missing bundle is NotFound.
 */
const bundleInScenario: Rule = async ({ args, ctx, caller, next }) => {
  const tenant = await ctx.tenant();
  const bundle = await ctx.services.bundles.get(tenant, str(args, 'bundleID'));
  const app = await ctx.services.applications.get(tenant, bundle.applicationId);
  if (!app) throw new NotFoundError('bundle', bundle.id);
  await assertSharesScenario(ctx, caller.id, app);
  return next();
};

/**
 * A runtime asks to delete only a request it made (others are NotFound). Unlike Compass it
 * may do so after the application left its scenarios: a runtime that loses sight of a bundle
 * gives its credentials back rather than leaving them delivered at the application.
 */
const ownRequest: Rule = async ({ args, ctx, caller, next }) => {
  const tenant = await ctx.tenant();
  const id = str(args, 'authID');
  const request = await ctx.services.bundleInstanceAuths.get(tenant, id);
  if (!request || request.runtimeId !== caller.id) throw new NotFoundError('bundleInstanceAuth', id);
  return next();
};

const runtimeContextOwner = async (ctx: GatewayContext, tenant: string, id: string) =>
  (await ctx.services.runtimeContexts.get(tenant, id))?.runtimeId;

/** A query for one object: null (not an error) when it is not the caller's, as for a missing one. */
const selfOrNull =
  (arg: string): Rule =>
  async ({ args, caller, next }) =>
    str(args, arg) === caller.id ? next() : null;

const ownedOrNull =
  (
    arg: string,
    ownerOf: (ctx: GatewayContext, tenant: string, id: string) => Promise<string | undefined>,
  ): Rule =>
  async ({ args, ctx, caller, next }) =>
    (await ownerOf(ctx, await ctx.tenant(), str(args, arg))) === caller.id ? next() : null;

function onePage<T>(items: T[]): Page<T> {
  return {
    data: items,
    totalCount: items.length,
    pageInfo: { startCursor: '', endCursor: '', hasNextPage: false },
  };
}

const open: Rule = ({ next }) => next();

const refused =
  (reason: string): Rule =>
  async () => {
    throw new InvalidOperationError(reason);
  };

/** The message Compass's `@hasScenario` directive answers with. */
export const NOT_IN_SCENARIO =
  'requesting runtime should be in same scenario as the requested application resource';

async function assertSharesScenario(ctx: GatewayContext, runtimeId: string, app: Application): Promise<void> {
  const runtime = await ctx.services.runtimes.get(await ctx.tenant(), runtimeId);
  if (!sharesScenario(app.labels, runtime?.labels ?? {})) throw new InvalidOperationError(NOT_IN_SCENARIO);
}

const APPLICATION_RULES: Readonly<Record<string, Rule>> = {
  'Query.viewer': open,
  'Query.applications': async ({ ctx, caller }) => {
    const app = await ctx.services.applications.get(await ctx.tenant(), caller.id);
    return onePage(app ? [app] : []) satisfies ApplicationPage;
  },
  'Query.application': selfOrNull('id'),
  'Mutation.registerApplication': refused('an application may not register other applications'),
  'Mutation.registerApplicationFromTemplate': refused('an application may not register other applications'),
  'Mutation.updateApplication': self('application', 'id'),
  'Mutation.unregisterApplication': self('application', 'id'),
  'Mutation.setApplicationLabel': self('application', 'applicationID'),
  'Mutation.deleteApplicationLabel': self('application', 'applicationID'),
  'Mutation.requestOneTimeTokenForApplication': self('application', 'id'),
  'Mutation.requestClientCredentialsForApplication': self('application', 'id'),
  'Mutation.deleteSystemAuthForApplication': owned('systemAuth', 'authID', systemAuthOwner),
  'Mutation.addWebhook': self('application', 'applicationID'),
  'Mutation.updateWebhook': owned('webhook', 'webhookID', webhookOwner),
  'Mutation.deleteWebhook': owned('webhook', 'webhookID', webhookOwner),
  'Mutation.addBundle': self('application', 'applicationID'),
  'Mutation.updateBundle': owned('bundle', 'id', bundleOwner),
  'Mutation.deleteBundle': owned('bundle', 'id', bundleOwner),
  'Mutation.addAPIDefinitionToBundle': owned('bundle', 'bundleID', bundleOwner),
  'Mutation.addEventDefinitionToBundle': owned('bundle', 'bundleID', bundleOwner),
  'Mutation.addDocumentToBundle': owned('bundle', 'bundleID', bundleOwner),
  'Mutation.updateAPIDefinition': owned('apiDefinition', 'id', contentOwner('apiDefinitions')),
  'Mutation.deleteAPIDefinition': owned('apiDefinition', 'id', contentOwner('apiDefinitions')),
  'Mutation.refetchAPISpec': owned('apiDefinition', 'apiID', contentOwner('apiDefinitions')),
  'Mutation.updateEventDefinition': owned('eventDefinition', 'id', contentOwner('eventDefinitions')),
  'Mutation.deleteEventDefinition': owned('eventDefinition', 'id', contentOwner('eventDefinitions')),
  'Mutation.refetchEventDefinitionSpec': owned(
    'eventDefinition',
    'eventID',
    contentOwner('eventDefinitions'),
  ),
  'Mutation.deleteDocument': owned('document', 'id', contentOwner('documents')),
  'Mutation.setBundleInstanceAuth': owned('bundleInstanceAuth', 'authID', instanceAuthOwner),
  'Mutation.deleteBundleInstanceAuth': owned('bundleInstanceAuth', 'authID', instanceAuthOwner),
};

const RUNTIME_RULES: Readonly<Record<string, Rule>> = {
  'Query.viewer': open,
  'Query.applications': async ({ args, ctx, caller }) =>
    ctx.services.runtimeApplications.list(
      await ctx.tenant(),
      caller.id,
      args.first as number | null | undefined,
      args.after as string | null | undefined,
    ),
  'Query.application': async ({ args, ctx, caller }) => {
    const app = await ctx.services.applications.get(await ctx.tenant(), str(args, 'id'));
    if (!app) return null;
    await assertSharesScenario(ctx, caller.id, app);
    return app;
  },
  'Query.applicationsForRuntime': self('runtime', 'runtimeID'),
  'Query.runtimes': async ({ ctx, caller }) => {
    const runtime = await ctx.services.runtimes.get(await ctx.tenant(), caller.id);
    return onePage(runtime ? [runtime] : []);
  },
  'Query.runtime': selfOrNull('id'),
  'Query.runtimeContexts': async ({ args, ctx, caller }) =>
    // Only the caller's own contexts, so pages and counts describe what it may see.
    ctx.services.runtimeContexts.list(
      await ctx.tenant(),
      args.filter as readonly LabelFilterInput[] | null | undefined,
      args.first as number | null | undefined,
      args.after as string | null | undefined,
      caller.id,
    ),
  'Query.runtimeContext': ownedOrNull('id', runtimeContextOwner),
  'Mutation.registerRuntime': refused('a runtime may not register other runtimes'),
  'Mutation.updateRuntime': self('runtime', 'id'),
  'Mutation.unregisterRuntime': self('runtime', 'id'),
  'Mutation.setRuntimeLabel': self('runtime', 'runtimeID'),
  'Mutation.deleteRuntimeLabel': self('runtime', 'runtimeID'),
  'Mutation.reportRuntimeHealth': async ({ args, caller, next }) => {
    const id = String((args.in as Args | undefined)?.runtimeID ?? '');
    if (id !== caller.id) throw new NotFoundError('runtime', id);
    return next();
  },
  'Mutation.registerRuntimeContext': self('runtime', 'runtimeID'),
  'Mutation.updateRuntimeContext': owned('runtimeContext', 'id', runtimeContextOwner),
  'Mutation.unregisterRuntimeContext': owned('runtimeContext', 'id', runtimeContextOwner),
  'Mutation.requestOneTimeTokenForRuntime': self('runtime', 'id'),
  'Mutation.requestClientCredentialsForRuntime': self('runtime', 'id'),
  'Mutation.deleteSystemAuthForRuntime': owned('systemAuth', 'authID', systemAuthOwner),
  'Mutation.requestBundleInstanceAuthCreation': bundleInScenario,
  'Mutation.requestBundleInstanceAuthDeletion': ownRequest,
};

const RULES = { APPLICATION: APPLICATION_RULES, RUNTIME: RUNTIME_RULES } as const;

function callerOf(ctx: GatewayContext): Caller | undefined {
  const kind = ctx.identity?.kind;
  if (kind !== 'APPLICATION' && kind !== 'RUNTIME') return undefined;
  return { kind, id: ctx.identity!.consumerId };
}

type FieldResolver = (parent: unknown, args: Args, ctx: GatewayContext, info: GraphQLResolveInfo) => unknown;

function guard(typeName: string, field: string, resolve: FieldResolver): FieldResolver {
  const key = `${typeName}.${field}`;
  return async (parent, args, ctx, info) => {
    const caller = callerOf(ctx);
    if (!caller) return resolve(parent, args, ctx, info);
    const rule = RULES[caller.kind][key];
    if (!rule)
      throw new InvalidOperationError(`${key} is not available to ${caller.kind.toLowerCase()} callers`);
    return rule({ args, ctx, caller, next: async () => resolve(parent, args, ctx, info) });
  };
}

/** Wraps every root Query and Mutation resolver of the maps with the per-identity rules. */
export function withAccessRules(maps: Resolvers[]): Resolvers[] {
  return maps.map((map) => {
    const wrapped: Record<string, unknown> = { ...map };
    for (const typeName of ['Query', 'Mutation'] as const) {
      const fields = map[typeName] as Record<string, unknown> | undefined;
      if (!fields) continue;
      wrapped[typeName] = Object.fromEntries(
        Object.entries(fields).map(([field, resolve]) => [
          field,
          typeof resolve === 'function' ? guard(typeName, field, resolve as FieldResolver) : resolve,
        ]),
      );
    }
    return wrapped as Resolvers;
  });
}
