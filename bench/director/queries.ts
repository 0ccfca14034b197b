import type { Db, Filter } from 'mongodb';
import { normalizeApplicationName } from '../../domain/application-name';
import { APPLICATIONS } from '../../store/applications';
import { API_DEFINITIONS, BUNDLES, EVENT_DEFINITIONS } from '../../store/bundle-collections';
import { RUNTIMES } from '../../store/runtimes';
import { serverProfileOf } from '../../store/server-profile';
import { REGIONS } from './seed';

/** Applications per page in every measured query. */
export const PAGE_SIZE = 100;
/** The label the filtered list asks for: one application in {@link REGIONS}.length. */
export const FILTER_REGION = REGIONS[0];

/** What both sides of a query produce, reduced to what must agree between them. */
export interface PageDigest {
  readonly hasNextPage: boolean;
  readonly apps: readonly AppDigest[];
}

/** One application of a page; `bundles` only for the nested query. */
export interface AppDigest {
  readonly id: string;
  readonly name: string;
  readonly region: unknown;
  readonly scenarios: unknown;
  readonly bundles?: { readonly totalCount: number; readonly data: readonly BundleDigest[] };
}

/** One bundle: its ID and how many APIs and events it has (page length and totalCount). */
export interface BundleDigest {
  readonly id: string;
  readonly apis: number;
  readonly apisTotal: number;
  readonly events: number;
  readonly eventsTotal: number;
}

/** One measured query: the GraphQL request and the raw-driver reads producing the same data. */
export interface DirectorQuery {
  readonly name: 'apps-nested' | 'filtered' | 'for-runtime';
  readonly graphqlSubject: string;
  readonly floorSubject: string;
  graphql(): Promise<PageDigest>;
  floor(): Promise<PageDigest>;
}

/**
 * Where the queries go: the gateway's URL and the Authorization header value it accepts, the
 * database it reads, the tenant and its runtime.
 */
export interface QueryTarget {
  readonly url: string;
  readonly authorization: string;
  readonly db: Db;
  readonly tenantId: string;
  readonly runtimeId: string;
}

const APP_FIELDS = 'id name labels status { condition timestamp }';
/**
 * No top-level totalCount: counting every matching application is a query of its own (a
 * full scan on FerretDB), which the pages leave to clients that ask for it.
 */
const PAGE_FIELDS = 'pageInfo { startCursor endCursor hasNextPage }';
const SPEC_FIELDS = 'spec { type format data }';

const NESTED = `query Nested($first: Int!) {
  applications(first: $first) {
    ${PAGE_FIELDS}
    data {
      ${APP_FIELDS}
      bundles {
        totalCount
        data {
          id name description
          apiDefinitions { totalCount data { id name targetURL ${SPEC_FIELDS} version { value } } }
          eventDefinitions { totalCount data { id name ${SPEC_FIELDS} version { value } } }
        }
      }
    }
  }
}`;

const FILTERED = `query Filtered($first: Int!, $filter: [LabelFilter!]) {
  applications(filter: $filter, first: $first) { ${PAGE_FIELDS} data { ${APP_FIELDS} } }
}`;

const FOR_RUNTIME = `query ForRuntime($runtimeID: ID!, $first: Int!) {
  applicationsForRuntime(runtimeID: $runtimeID, first: $first) { ${PAGE_FIELDS} data { ${APP_FIELDS} } }
}`;

interface GqlPage<T> {
  readonly totalCount?: number;
  readonly pageInfo: { readonly hasNextPage: boolean };
  readonly data: readonly T[];
}

interface GqlApp {
  readonly id: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, unknown>>;
  readonly bundles?: GqlPage<GqlBundle> | null;
}

interface GqlBundle {
  readonly id: string;
  readonly apiDefinitions: GqlPage<{ readonly id: string }> | null;
  readonly eventDefinitions: GqlPage<{ readonly id: string }> | null;
}

interface StoredApp {
  _id: string;
  tenantId: string;
  name: string;
  labels: Record<string, unknown>;
  bundleIds: string[];
}

interface StoredChild {
  _id: string;
  tenantId: string;
  applicationId: string;
  bundleId?: string;
  apiDefinitionIds?: string[];
  eventDefinitionIds?: string[];
}

/** The three measured queries against one tenant. */
export function directorQueries(target: QueryTarget): DirectorQuery[] {
  const { db, tenantId } = target;
  const post = <T>(query: string, variables: Record<string, unknown>) =>
    postGraphql<T>(target, query, variables);
  return [
    {
      name: 'apps-nested',
      graphqlSubject: 'applications(first: 100) + bundles/APIs/events via GraphQL',
      floorSubject: `driver: page, bundles/APIs/events ${byIdsLabel(db)} (floor)`,
      graphql: async () =>
        digestGraphql(
          (await post<{ applications: GqlPage<GqlApp> }>(NESTED, { first: PAGE_SIZE })).applications,
        ),
      floor: async () => {
        const page = await appPage(db, { tenantId });
        return digestStored(page, await nestedContent(db, tenantId, page.rows));
      },
    },
    {
      name: 'filtered',
      graphqlSubject: `applications(filter: region="${FILTER_REGION}", first: 100) via GraphQL`,
      floorSubject: 'driver: filtered page (floor)',
      graphql: async () =>
        digestGraphql(
          (
            await post<{ applications: GqlPage<GqlApp> }>(FILTERED, {
              first: PAGE_SIZE,
              filter: [{ key: 'region', query: JSON.stringify(FILTER_REGION) }],
            })
          ).applications,
        ),
      floor: async () => digestStored(await appPage(db, { 'labels.region': FILTER_REGION, tenantId })),
    },
    {
      name: 'for-runtime',
      graphqlSubject: 'applicationsForRuntime(first: 100) via GraphQL',
      floorSubject: 'driver: runtime by ID, scenario page (floor)',
      graphql: async () =>
        digestGraphql(
          (
            await post<{ applicationsForRuntime: GqlPage<GqlApp> }>(FOR_RUNTIME, {
              runtimeID: target.runtimeId,
              first: PAGE_SIZE,
            })
          ).applicationsForRuntime,
        ),
      floor: async () => {
        const runtime = await db
          .collection<{ _id: string; tenantId: string; labels: Record<string, unknown> }>(RUNTIMES)
          .findOne({ _id: target.runtimeId });
        const scenarios = runtime?.tenantId === tenantId ? runtime.labels.scenarios : undefined;
        if (!Array.isArray(scenarios)) throw new Error('the benchmark runtime has no scenarios');
        const page = await appPage(db, { 'labels.scenarios': { $in: scenarios }, tenantId });
        return digestStored({
          ...page,
          rows: page.rows.map((r) => ({ ...r, name: normalizeApplicationName(r.name) })),
        });
      },
    },
  ];
}

/** POSTs one GraphQL request with the Tenant and Authorization headers; any error fails. */
async function postGraphql<T>(
  target: QueryTarget,
  query: string,
  variables: Record<string, unknown>,
): Promise<T> {
  const res = await fetch(`${target.url}/director/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      tenant: target.tenantId,
      authorization: target.authorization,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`GraphQL request failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

interface StoredPage {
  readonly rows: readonly StoredApp[];
  readonly hasNextPage: boolean;
}

/**
 * The reads TenantCollection.page makes: `first + 1` rows, in `_id` order on MongoDB, in
 * insertion order on FerretDB (which sorts by reading the whole collection).
 */
async function appPage(db: Db, filter: Filter<StoredApp>): Promise<StoredPage> {
  const cursor = db
    .collection<StoredApp>(APPLICATIONS)
    .find(filter)
    .limit(PAGE_SIZE + 1);
  if (serverProfileOf(db) === 'indexed') cursor.sort({ _id: 1 });
  const rows = await cursor.toArray();
  return { rows: rows.slice(0, PAGE_SIZE), hasNextPage: rows.length > PAGE_SIZE };
}

interface NestedContent {
  readonly bundles: Map<string, StoredChild[]>;
  readonly apis: Map<string, StoredChild[]>;
  readonly events: Map<string, StoredChild[]>;
}

function byIdsLabel(db: Db): string {
  return serverProfileOf(db) === 'indexed' ? 'by ID lists, $in' : 'by ID lists, one lookup each';
}

/**
 * A page's bundles by the IDs their applications list, then the bundles' APIs and events by
 * the IDs the bundles list: one `$in` per collection on MongoDB, all lookups at once on
 * FerretDB (which answers `$in` by reading the whole collection).
 */
async function nestedContent(db: Db, tenantId: string, apps: readonly StoredApp[]): Promise<NestedContent> {
  const byIds = async (name: string, ids: readonly string[]): Promise<Map<string, StoredChild>> => {
    const col = db.collection<StoredChild>(name);
    const docs =
      serverProfileOf(db) === 'indexed'
        ? await col.find({ _id: { $in: [...ids] } }).toArray()
        : await Promise.all(ids.map((id) => col.findOne({ _id: id })));
    return new Map(docs.flatMap((d) => (d && d.tenantId === tenantId ? [[d._id, d] as const] : [])));
  };
  const pick = (found: Map<string, StoredChild>, ids: readonly string[] = []) =>
    ids.flatMap((id) => found.get(id) ?? []);
  const bundles = await byIds(
    BUNDLES,
    apps.flatMap((a) => a.bundleIds),
  );
  const [apis, events] = await Promise.all([
    byIds(
      API_DEFINITIONS,
      [...bundles.values()].flatMap((b) => b.apiDefinitionIds ?? []),
    ),
    byIds(
      EVENT_DEFINITIONS,
      [...bundles.values()].flatMap((b) => b.eventDefinitionIds ?? []),
    ),
  ]);
  return {
    bundles: new Map(apps.map((a) => [a._id, pick(bundles, a.bundleIds)])),
    apis: new Map([...bundles.values()].map((b) => [b._id, pick(apis, b.apiDefinitionIds)])),
    events: new Map([...bundles.values()].map((b) => [b._id, pick(events, b.eventDefinitionIds)])),
  };
}

function digestGraphql(page: GqlPage<GqlApp>): PageDigest {
  return {
    hasNextPage: page.pageInfo.hasNextPage,
    apps: page.data.map((app) => ({
      id: app.id,
      name: app.name,
      region: app.labels.region,
      scenarios: app.labels.scenarios,
      ...(app.bundles && {
        bundles: {
          totalCount: app.bundles.totalCount ?? -1,
          data: app.bundles.data.map((b) => ({
            id: b.id,
            apis: b.apiDefinitions?.data.length ?? -1,
            apisTotal: b.apiDefinitions?.totalCount ?? -1,
            events: b.eventDefinitions?.data.length ?? -1,
            eventsTotal: b.eventDefinitions?.totalCount ?? -1,
          })),
        },
      }),
    })),
  };
}

function digestStored(page: StoredPage, nested?: NestedContent): PageDigest {
  return {
    hasNextPage: page.hasNextPage,
    apps: page.rows.map((app) => {
      const bundles = nested && (nested.bundles.get(app._id) ?? []);
      return {
        id: app._id,
        name: app.name,
        region: app.labels.region,
        scenarios: app.labels.scenarios,
        ...(nested &&
          bundles && {
            bundles: {
              totalCount: bundles.length,
              data: bundles.map((b) => {
                const apis = nested.apis.get(b._id)?.length ?? 0;
                const events = nested.events.get(b._id)?.length ?? 0;
                return { id: b._id, apis, apisTotal: apis, events, eventsTotal: events };
              }),
            },
          }),
      };
    }),
  };
}
