import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { StateError, readOptional, writeAtomically } from './files';
import type { GatewayClient } from './graphql';

/** One application of the runtime's view, with its whole tree, as the Director answers it. */
export interface SyncedApplication {
  readonly id: string;
  readonly name: string;
  readonly [field: string]: unknown;
}

/** Where synchronised applications go; the default keeps them on disk. */
export interface Applier {
  apply(applications: readonly SyncedApplication[]): Promise<{ added: number; removed: number }>;
}

const PAGE = `pageInfo { hasNextPage endCursor }`;
const API = `id name description targetURL group spec { data format type }`;
const EVENT = `id name description group spec { data type format }`;
const DOCUMENT = `id title displayName description format kind data`;
const BUNDLE = `id name description instanceAuthRequestInputSchema
  apiDefinitions(first: $first) { data { ${API} } ${PAGE} }
  eventDefinitions(first: $first) { data { ${EVENT} } ${PAGE} }
  documents(first: $first) { data { ${DOCUMENT} } ${PAGE} }`;

const APPLICATIONS = `query($runtimeID: ID!, $first: Int, $after: PageCursor) {
  applicationsForRuntime(runtimeID: $runtimeID, first: $first, after: $after) {
    data {
      id name providerName description baseUrl labels status { condition }
      bundles(first: $first) { data { ${BUNDLE} } ${PAGE} }
    }
    ${PAGE}
  }
}`;
const MORE_BUNDLES = `query($app: ID!, $first: Int, $after: PageCursor) {
  application(id: $app) { bundles(first: $first, after: $after) { data { ${BUNDLE} } ${PAGE} } }
}`;
/** The further pages of one list of a bundle. */
const MORE_OF_BUNDLE = {
  apiDefinitions: API,
  eventDefinitions: EVENT,
  documents: DOCUMENT,
} as const;
type BundleList = keyof typeof MORE_OF_BUNDLE;
const moreOfBundle = (list: BundleList) => `query($app: ID!, $bundle: ID!, $first: Int, $after: PageCursor) {
  application(id: $app) { bundle(id: $bundle) { ${list}(first: $first, after: $after) { data { ${MORE_OF_BUNDLE[list]} } ${PAGE} } } }
}`;

interface Paged<T> {
  data: T[];
  pageInfo?: { hasNextPage: boolean; endCursor: string };
}
type RawBundle = { id: string } & Record<BundleList, Paged<unknown> | null> & Record<string, unknown>;
type RawApplication = SyncedApplication & { bundles: Paged<RawBundle> | null };

/** The rest of a list whose first page is `first`: every page, in order. */
async function rest<T>(
  first: Paged<T> | null,
  next: (after: string) => Promise<Paged<T> | null | undefined>,
): Promise<T[]> {
  const all = [...(first?.data ?? [])];
  let page = first;
  while (page?.pageInfo?.hasNextPage) {
    page = (await next(page.pageInfo.endCursor)) ?? null;
    all.push(...(page?.data ?? []));
  }
  return all;
}

/**
 * Reads every page of the runtime's applications over mTLS, and every page of their bundles
 * and of each bundle's API definitions, event definitions and documents (`pageSize` each).
 */
export async function readApplications(
  client: GatewayClient,
  directorUrl: string,
  runtimeId: string,
  pageSize: number,
): Promise<SyncedApplication[]> {
  const q = <T>(query: string, variables: Record<string, unknown>) =>
    client.query<T>(directorUrl, query, { first: pageSize, ...variables });
  const apps = await rest<RawApplication>(
    (await q<{ applicationsForRuntime: Paged<RawApplication> }>(APPLICATIONS, { runtimeID: runtimeId }))
      .applicationsForRuntime,
    async (after) =>
      (
        await q<{ applicationsForRuntime: Paged<RawApplication> }>(APPLICATIONS, {
          runtimeID: runtimeId,
          after,
        })
      ).applicationsForRuntime,
  );
  const complete: SyncedApplication[] = [];
  for (const app of apps) {
    const bundles = await rest<RawBundle>(app.bundles, async (after) => {
      const more = await q<{ application: { bundles: Paged<RawBundle> | null } | null }>(MORE_BUNDLES, {
        app: app.id,
        after,
      });
      return more.application?.bundles;
    });
    const full = [];
    for (const bundle of bundles) {
      const lists: Record<string, { data: unknown[] }> = {};
      for (const list of Object.keys(MORE_OF_BUNDLE) as BundleList[]) {
        const data = await rest<unknown>(bundle[list], async (after) => {
          const more = await q<{
            application: { bundle: Record<BundleList, Paged<unknown> | null> | null } | null;
          }>(moreOfBundle(list), { app: app.id, bundle: bundle.id, after });
          return more.application?.bundle?.[list];
        });
        lists[list] = { data };
      }
      full.push({ ...bundle, ...lists });
    }
    complete.push({ ...app, bundles: { data: full } });
  }
  return complete;
}

/** Keeps one JSON document per application under `<state>/applications/`; gone ones are removed. */
export class FileApplier implements Applier {
  constructor(private readonly dir: string) {}

  async apply(applications: readonly SyncedApplication[]): Promise<{ added: number; removed: number }> {
    const existing = new Set((await readdir(this.dir)).filter((f) => f.endsWith('.json')));
    let added = 0;
    for (const app of applications) {
      const file = `${app.id}.json`;
      if (!existing.delete(file)) added += 1;
      await writeAtomically(this.dir, { [file]: JSON.stringify(app, null, 2) + '\n' }, 0o644);
    }
    for (const gone of existing) await rm(path.join(this.dir, gone), { force: true });
    return { added, removed: existing.size };
  }
}

/** The view the last synchronisation left in `dir` (the FileApplier's files). */
export async function readStoredApplications(dir: string): Promise<SyncedApplication[]> {
  const apps: SyncedApplication[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.json')).sort()) {
    const text = await readOptional(path.join(dir, file));
    if (text === undefined) continue;
    try {
      apps.push(JSON.parse(text) as SyncedApplication);
    } catch {
      throw new StateError(`${path.join(dir, file)} is corrupt`);
    }
  }
  return apps;
}

const RUNTIME = `query($id: ID!) { runtime(id: $id) { id name description labels status { condition } } }`;
const SET_LABEL = `mutation($id: ID!, $key: String!, $value: Any!) { setRuntimeLabel(runtimeID: $id, key: $key, value: $value) { key } }`;
const UPDATE = `mutation($id: ID!, $in: RuntimeInput!) { updateRuntime(id: $id, in: $in) { id } }`;

/**
 * Reports the runtime's URLs as labels (only when they differ), and sets its status to
 * CONNECTED once (after the first successful synchronisation).
 */
export async function updateMetadata(
  client: GatewayClient,
  directorUrl: string,
  runtimeId: string,
  labels: Readonly<Record<string, string>>,
  markConnected: boolean,
): Promise<void> {
  const { runtime } = await client.query<{
    runtime: {
      name: string;
      description?: string | null;
      labels: Record<string, unknown>;
      status: { condition: string };
    } | null;
  }>(directorUrl, RUNTIME, { id: runtimeId });
  if (!runtime) throw new Error(`runtime ${runtimeId} is not registered`);
  for (const [key, value] of Object.entries(labels)) {
    if (runtime.labels[key] !== value)
      await client.query(directorUrl, SET_LABEL, { id: runtimeId, key, value });
  }
  if (markConnected && runtime.status.condition !== 'CONNECTED') {
    const kept = Object.fromEntries(
      Object.entries(runtime.labels).filter(([k]) => !k.endsWith('_defaultEventing')),
    );
    await client.query(directorUrl, UPDATE, {
      id: runtimeId,
      in: {
        name: runtime.name,
        ...(runtime.description && { description: runtime.description }),
        labels: { ...kept, ...labels },
        statusCondition: 'CONNECTED',
      },
    });
  }
}
