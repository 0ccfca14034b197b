import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomically } from './files';
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

const APPLICATIONS = `query($runtimeID: ID!, $first: Int, $after: PageCursor) {
  applicationsForRuntime(runtimeID: $runtimeID, first: $first, after: $after) {
    data {
      id name providerName description baseUrl labels status { condition }
      bundles {
        data {
          id name description instanceAuthRequestInputSchema
          apiDefinitions { data { id name description targetURL group spec { data format type } } }
          eventDefinitions { data { id name description group spec { data type format } } }
          documents { data { id title displayName description format kind data } }
        }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** Reads every page of the runtime's applications over mTLS. */
export async function readApplications(
  client: GatewayClient,
  directorUrl: string,
  runtimeId: string,
  pageSize: number,
): Promise<SyncedApplication[]> {
  const all: SyncedApplication[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await client.query<{
      applicationsForRuntime: {
        data: SyncedApplication[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    }>(directorUrl, APPLICATIONS, { runtimeID: runtimeId, first: pageSize, ...(after && { after }) });
    all.push(...page.applicationsForRuntime.data);
    if (!page.applicationsForRuntime.pageInfo.hasNextPage) return all;
    after = page.applicationsForRuntime.pageInfo.endCursor;
  }
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
