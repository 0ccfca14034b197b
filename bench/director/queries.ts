import type { Db, Document, Filter } from 'mongodb';
import { normalizeApplicationName } from '../../domain/runtime';
import { APPLICATIONS } from '../../store/applications';
import { API_DEFINITIONS, BUNDLES, EVENT_DEFINITIONS } from '../../store/bundle-collections';
import { RUNTIMES } from '../../store/runtimes';
import { REGIONS } from './seed';

/** Applications per page in every measured query. */
export const PAGE_SIZE = 100;
/** The label the filtered list asks for: one application in {@link REGIONS}.length. */
export const FILTER_REGION = REGIONS[0];

/** What both sides of a query produce, reduced to what must agree between them. */
export interface PageDigest {
  readonly totalCount: number;
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
const PAGE_FIELDS = 'totalCount pageInfo { startCursor endCursor hasNextPage }';
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
  readonly totalCount: number;
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
}

interface StoredChild {
  _id: string;
  tenantId: string;
  applicationId: string;
  bundleId?: string;
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
      floorSubject: 'driver: page + count, bundles $in, APIs/events $in (floor)',
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
      floorSubject: 'driver: filtered page + count (floor)',
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
      floorSubject: 'driver: runtime by ID, scenario page + count (floor)',
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
          .findOne({ _id: target.runtimeId, tenantId });
        const scenarios = runtime?.labels.scenarios;
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
  readonly totalCount: number;
  readonly hasNextPage: boolean;
}

/** The same reads as TenantCollection.page: `first + 1` rows in `_id` order, and the count. */
async function appPage(db: Db, filter: Filter<StoredApp>): Promise<StoredPage> {
  const col = db.collection<StoredApp>(APPLICATIONS);
  const [rows, totalCount] = await Promise.all([
    col
      .find(filter)
      .sort({ _id: 1 })
      .limit(PAGE_SIZE + 1)
      .toArray(),
    col.countDocuments(filter),
  ]);
  return { rows: rows.slice(0, PAGE_SIZE), totalCount, hasNextPage: rows.length > PAGE_SIZE };
}

interface NestedContent {
  readonly bundles: Map<string, StoredChild[]>;
  readonly apis: Map<string, StoredChild[]>;
  readonly events: Map<string, StoredChild[]>;
}

/** A page's bundles in one `$in` query, then their APIs and events in one `$in` query each. */
async function nestedContent(db: Db, tenantId: string, apps: readonly StoredApp[]): Promise<NestedContent> {
  const children = (name: string, field: 'applicationId' | 'bundleId', ids: readonly string[]) =>
    db
      .collection<StoredChild>(name)
      .find({ [field]: { $in: [...ids] }, tenantId } as Filter<StoredChild>)
      .sort({ _id: 1 })
      .toArray();
  const bundles = await children(
    BUNDLES,
    'applicationId',
    apps.map((a) => a._id),
  );
  const bundleIds = bundles.map((b) => b._id);
  const [apis, events] = await Promise.all([
    children(API_DEFINITIONS, 'bundleId', bundleIds),
    children(EVENT_DEFINITIONS, 'bundleId', bundleIds),
  ]);
  return {
    bundles: groupBy(bundles, (b) => b.applicationId),
    apis: groupBy(apis, (a) => a.bundleId ?? ''),
    events: groupBy(events, (e) => e.bundleId ?? ''),
  };
}

function groupBy<T extends Document>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}

function digestGraphql(page: GqlPage<GqlApp>): PageDigest {
  return {
    totalCount: page.totalCount,
    hasNextPage: page.pageInfo.hasNextPage,
    apps: page.data.map((app) => ({
      id: app.id,
      name: app.name,
      region: app.labels.region,
      scenarios: app.labels.scenarios,
      ...(app.bundles && {
        bundles: {
          totalCount: app.bundles.totalCount,
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
    totalCount: page.totalCount,
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
