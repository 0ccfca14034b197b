import type { Collection, Db, Document, UpdateFilter } from 'mongodb';
import type { Application, ApplicationStatus } from '../domain/application';
import { normalizeApplicationName } from '../domain/application-name';
import type { LabelCondition } from '../domain/label-filter';
import type { Labels } from '../domain/labels';
import { mapPage, type Page, type PageRequest } from '../domain/pagination';
import { labelConditionsToFilter } from './label-query';
import { TenantCollection } from './tenant-collection';
import { fromStored, toStored } from './documents';

/**
 * How an application is stored: the domain type keyed by `_id`, plus its normalised name,
 * by which names are unique within a tenant.
 */
export interface ApplicationDocument {
  _id: string;
  tenantId: string;
  name: string;
  normalizedName: string;
  providerName?: string;
  description?: string;
  healthCheckURL?: string;
  integrationSystemID?: string;
  baseUrl?: string;
  labels: Labels;
  status: ApplicationStatus;
  createdAt: string;
  /** Its bundles' IDs in creation order (see ChildList). */
  bundleIds?: readonly string[];
  /** Its webhooks' IDs in creation order (see ChildList). */
  webhookIds?: readonly string[];
}

export const APPLICATIONS = 'applications';

const NORMALIZED_NAME_INDEX = 'tenant_normalized_name_unique';
/** The unique index of raw names, which the normalised one replaces. */
const LEGACY_NAME_INDEX = 'tenant_name_unique';

/**
 * Indexes every application query path needs; each tenant query's index leads with tenantId.
 * Names are unique by their normalised form (`appwordpress` and `mp-appwordpress` clash), so
 * two concurrent registrations cannot both take one. Applications stored before that index
 * existed get their normalised name first.
 */
export async function ensureApplicationIndexes(db: Db): Promise<void> {
  const col = db.collection<ApplicationDocument>(APPLICATIONS);
  const existing = (
    await col
      .listIndexes()
      .toArray()
      .catch(() => [])
  ).map((i) => String(i.name));
  if (!existing.includes(NORMALIZED_NAME_INDEX)) await backfillNormalizedNames(col);
  await col.createIndex({ tenantId: 1, normalizedName: 1 }, { unique: true, name: NORMALIZED_NAME_INDEX });
  if (existing.includes(LEGACY_NAME_INDEX)) await col.dropIndex(LEGACY_NAME_INDEX);
  await col.createIndex({ tenantId: 1, _id: 1 }, { name: 'tenant_id' });
}

/**
 * Gives applications stored without a normalised name one, and their protected `name` label
 * the normalised form, oldest first. When two of them normalise alike in a tenant, the
 * younger gets a value no normalised name can take (`<normalised>#<id>`): both stay
 * readable, the index can be built, and a new registration still clashes with the older.
 */
async function backfillNormalizedNames(col: Collection<ApplicationDocument>): Promise<void> {
  const legacy = await col
    .find({ normalizedName: { $exists: false } }, { projection: { _id: 1, tenantId: 1, name: 1 } })
    .sort({ createdAt: 1, _id: 1 })
    .toArray();
  for (const doc of legacy) {
    const normalized = normalizeApplicationName(doc.name);
    const taken = await col.findOne(
      { tenantId: doc.tenantId, normalizedName: normalized },
      { projection: { _id: 1 } },
    );
    await col.updateOne(
      { _id: doc._id, normalizedName: { $exists: false } },
      {
        $set: { normalizedName: taken ? `${normalized}#${doc._id}` : normalized, 'labels.name': normalized },
      },
    );
  }
}

/** Label values that hide an application (APP_HIDE_SELECTORS): label key → values. */
export type HideSelectors = Readonly<Record<string, readonly string[]>>;

/** Tenant-scoped access to applications. Every method takes the tenant first. */
export class ApplicationRepository {
  private readonly col: TenantCollection<ApplicationDocument>;

  constructor(db: Db) {
    this.col = new TenantCollection<ApplicationDocument>(db, APPLICATIONS, 'Application');
  }

  async get(tenantId: string, id: string): Promise<Application | undefined> {
    const doc = await this.col.get(tenantId, id);
    return doc && toApplication(doc);
  }

  /**
   * By ID in whichever tenant owns it: only for the Connector's internal API on loopback,
   * whose callers name an object without a tenant.
   */
  async getGlobal(id: string): Promise<Application | undefined> {
    const doc = await this.col.raw.findOne({ _id: id });
    return doc ? toApplication(doc) : undefined;
  }

  /**
   * Pages through a tenant's applications matching every label condition, in ID order,
   * without those whose label `key` holds one of `hide[key]`'s values.
   */
  async list(
    tenantId: string,
    page: PageRequest,
    conditions: readonly LabelCondition[] = [],
    hide: HideSelectors = {},
  ): Promise<Page<Application>> {
    const clauses: Document[] = [labelConditionsToFilter(conditions)];
    for (const [key, values] of Object.entries(hide)) {
      if (values.length > 0) clauses.push({ [`labels.${key}`]: { $nin: [...values] } });
    }
    const filter = clauses.length === 1 ? clauses[0]! : { $and: clauses };
    const result = await this.col.page(tenantId, filter as Document, page);
    return mapPage(result, toApplication);
  }

  /**
   * Writes the application as given. Idempotent: writing the same application again changes
   * nothing, so a retried activity is safe. A name that normalises like another application's
   * in the tenant → NotUnique.
   */
  async put(app: Application): Promise<Application> {
    await this.col.put(toDocument(app));
    return app;
  }

  /** Sets and clears top-level fields (dotted paths allowed); the application as updated. */
  async update(
    tenantId: string,
    id: string,
    set: Readonly<Record<string, unknown>>,
    unset: readonly string[] = [],
  ): Promise<Application | undefined> {
    const doc = await this.col.update(tenantId, id, {
      ...(Object.keys(set).length > 0 && { $set: set }),
      ...(unset.length > 0 && { $unset: Object.fromEntries(unset.map((k) => [k, ''])) }),
    } as UpdateFilter<ApplicationDocument>);
    return doc && toApplication(doc);
  }

  /** Upserts one label; the application as updated, or undefined when it does not exist. */
  setLabel(tenantId: string, id: string, key: string, value: unknown): Promise<Application | undefined> {
    return this.update(tenantId, id, { [`labels.${key}`]: value });
  }

  /** Removes one label; the application as updated, or undefined when it does not exist. */
  deleteLabel(tenantId: string, id: string, key: string): Promise<Application | undefined> {
    return this.update(tenantId, id, {}, [`labels.${key}`]);
  }

  /** Removes the application; true when it existed. Idempotent. */
  delete(tenantId: string, id: string): Promise<boolean> {
    return this.col.delete(tenantId, id);
  }
}

function toDocument(app: Application): ApplicationDocument {
  return { ...toStored(app), normalizedName: normalizeApplicationName(app.name), labels: { ...app.labels } };
}

function toApplication(doc: ApplicationDocument): Application {
  const { normalizedName: _normalized, ...rest } = doc;
  return fromStored(rest);
}
