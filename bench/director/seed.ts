import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { LabelDefinitionService } from '../../api/director/label-definition-service';
import { type Application, ApplicationStatusCondition, newApplication } from '../../domain/application';
import { registrationLabels } from '../../domain/application-labels';
import { normalizeApplicationName } from '../../domain/application-name';
import {
  type BundleCreateContent,
  type BundleTree,
  buildBundleTree,
  validateBundleCreateInput,
} from '../../domain/bundle';
import { DEFAULT_SCENARIO, SCENARIOS_KEY, scenariosSchema } from '../../domain/label-definitions';
import { newRuntime, withRuntimeDefaults } from '../../domain/runtime';
import { APPLICATIONS } from '../../store/applications';
import { API_DEFINITIONS, BUNDLES, DOCUMENTS, EVENT_DEFINITIONS } from '../../store/bundle-collections';
import { listedBundles } from '../../store/bundles';
import { LabelDefinitionRepository } from '../../store/label-definitions';
import { RuntimeRepository } from '../../store/runtimes';
import { TenantRepository } from '../../store/tenants';

/** The scenario the measured runtime is in; every {@link SCENARIO_EVERY}th application joins it. */
export const BENCH_SCENARIO = 'BENCH';
/** One application in this many is in {@link BENCH_SCENARIO}. */
export const SCENARIO_EVERY = 10;
/** Values of the `region` label, given round-robin; the filtered list asks for the first. */
export const REGIONS = ['eu-1', 'us-1', 'ap-1', 'eu-2', 'us-2'] as const;
/** Bundles per application, and API and event definitions per bundle. */
export const BUNDLES_PER_APP = 3;
export const APIS_PER_BUNDLE = 3;
export const EVENTS_PER_BUNDLE = 3;

const BATCH = 1_000;
const RUNTIME_NAME = 'bench-runtime';

/** What a tenant holds after {@link seedApplications}: enough to check every answer. */
export interface SeededTenant {
  readonly tenantId: string;
  readonly runtimeId: string;
  /** Applications seeded so far (indices `0 … applications - 1`). */
  applications: number;
}

/** How many of the first `n` applications carry `region: REGIONS[0]`. */
export function regionMatches(n: number): number {
  return Math.ceil(n / REGIONS.length);
}

/** How many of the first `n` applications are in {@link BENCH_SCENARIO}. */
export function scenarioMatches(n: number): number {
  return Math.ceil(n / SCENARIO_EVERY);
}

/**
 * Prepares a tenant as the API would: the tenant itself, the `scenarios` definition with
 * {@link BENCH_SCENARIO}, a `region` definition with an enum schema, the definitions a
 * registration creates (`name`, `integrationSystemID`), all through LabelDefinitionService;
 * then one runtime in {@link BENCH_SCENARIO}, stored by RuntimeRepository.
 */
export async function prepareTenant(db: Db, tenantId: string): Promise<SeededTenant> {
  const now = new Date().toISOString();
  await new TenantRepository(db).ensure(tenantId, tenantId, now);
  const labelDefinitions = new LabelDefinitionService(new LabelDefinitionRepository(db));
  await labelDefinitions.update(tenantId, {
    key: SCENARIOS_KEY,
    schema: JSON.stringify(scenariosSchema([DEFAULT_SCENARIO, BENCH_SCENARIO])),
  });
  await labelDefinitions.create(tenantId, {
    key: 'region',
    schema: JSON.stringify({ type: 'string', enum: [...REGIONS] }),
  });
  await labelDefinitions.validateLabels(tenantId, applicationLabels(0));
  const runtimeLabels = withRuntimeDefaults({ [SCENARIOS_KEY]: [BENCH_SCENARIO] });
  await labelDefinitions.validateLabels(tenantId, runtimeLabels);
  const runtimeId = randomUUID();
  await new RuntimeRepository(db).put(
    newRuntime(
      tenantId,
      runtimeId,
      { name: RUNTIME_NAME, labels: runtimeLabels, scenariosFromAssignments: [] },
      now,
    ),
  );
  return { tenantId, runtimeId, applications: 0 };
}

/**
 * Grows the tenant's applications to `total`, each with {@link BUNDLES_PER_APP} bundles of
 * {@link APIS_PER_BUNDLE} APIs and {@link EVENTS_PER_BUNDLE} events, written straight to
 * MongoDB in the shapes ApplicationRepository and BundleRepository write (built by the same
 * domain builders, with the same ID lists), with `insertMany` in batches of {@link BATCH}.
 */
export async function seedApplications(db: Db, tenant: SeededTenant, total: number): Promise<void> {
  const now = new Date().toISOString();
  const content = bundleContent(now);
  for (let start = tenant.applications; start < total; start += BATCH) {
    const end = Math.min(total, start + BATCH);
    const apps: Application[] = [];
    const trees: BundleTree[] = [];
    for (let i = start; i < end; i++) {
      const app = newApplication(
        tenant.tenantId,
        randomUUID(),
        {
          name: appName(i),
          labels: applicationLabels(i),
          statusCondition: ApplicationStatusCondition.CONNECTED,
        },
        now,
      );
      const tree = buildBundleTree(tenant.tenantId, app.id, content, randomUUID, now);
      apps.push({ ...app, bundleIds: tree.bundles.map((b) => b.id), webhookIds: [] });
      trees.push(tree);
    }
    // children before parents, as BundleRepository.putTree writes them
    await insertBatches(
      db,
      API_DEFINITIONS,
      trees.flatMap((t) => t.apiDefinitions),
    );
    await insertBatches(
      db,
      EVENT_DEFINITIONS,
      trees.flatMap((t) => t.eventDefinitions),
    );
    await insertBatches(
      db,
      DOCUMENTS,
      trees.flatMap((t) => t.documents),
    );
    await insertBatches(db, BUNDLES, trees.flatMap(listedBundles));
    await insertBatches(
      db,
      APPLICATIONS,
      apps.map((app) => ({ ...app, normalizedName: normalizeApplicationName(app.name) })),
    );
  }
  tenant.applications = total;
}

function appName(i: number): string {
  return `app-${String(i).padStart(6, '0')}`;
}

/** The labels application `i` is registered with, completed as a registration completes them. */
function applicationLabels(i: number): Record<string, unknown> {
  const scenarios = i % SCENARIO_EVERY === 0 ? [DEFAULT_SCENARIO, BENCH_SCENARIO] : [DEFAULT_SCENARIO];
  return registrationLabels({
    name: appName(i),
    labels: { region: REGIONS[i % REGIONS.length], [SCENARIOS_KEY]: scenarios },
  });
}

/**
 * One application's bundles, validated once from a BundleCreateInput as the API validates it.
 * Definitions are kept lean (a one-line spec, no descriptions): FerretDB's SQLite backend
 * decodes every document of a collection per query, at a cost that grows with its fields.
 */
function bundleContent(now: string): BundleCreateContent[] {
  return Array.from({ length: BUNDLES_PER_APP }, (_, b) =>
    validateBundleCreateInput(
      {
        name: `bundle-${b}`,
        description: 'Orders, customers and their events',
        apiDefinitions: Array.from({ length: APIS_PER_BUNDLE }, (_, a) => ({
          name: `api-${b}-${a}`,
          targetURL: `https://orders.example.com/api/v${a + 1}`,
          spec: { type: 'OPEN_API', format: 'JSON', data: '{"openapi":"3.0.0"}' },
          version: { value: 'v1' },
        })),
        eventDefinitions: Array.from({ length: EVENTS_PER_BUNDLE }, (_, e) => ({
          name: `event-${b}-${e}`,
          spec: { type: 'ASYNC_API', format: 'JSON', data: '{"asyncapi":"2.0.0"}' },
          version: { value: 'v1' },
        })),
      },
      now,
    ),
  );
}

/** Stores domain objects as the repositories do (`id` → `_id`), `BATCH` documents at a time. */
async function insertBatches(db: Db, collection: string, objects: readonly { id: string }[]): Promise<void> {
  const col = db.collection<{ _id: string }>(collection);
  for (let i = 0; i < objects.length; i += BATCH) {
    const docs = objects.slice(i, i + BATCH).map(({ id, ...rest }) => ({ _id: id, ...rest }));
    await col.insertMany(docs, { ordered: false });
  }
}
