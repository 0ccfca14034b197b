import type { Db, Document, UpdateFilter } from 'mongodb';
import type { Application, ApplicationStatus } from '../domain/application';
import type { LabelCondition } from '../domain/label-filter';
import type { Labels } from '../domain/labels';
import { mapPage, type Page, type PageRequest } from '../domain/pagination';
import { labelConditionsToFilter } from './label-query';
import { TenantCollection } from './tenant-collection';
import { fromStored, toStored } from './documents';

/** How an application is stored: the domain type keyed by `_id`. */
export interface ApplicationDocument {
  _id: string;
  tenantId: string;
  name: string;
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

/** Indexes every application query path needs; each tenant query's index leads with tenantId. */
export async function ensureApplicationIndexes(db: Db): Promise<void> {
  const col = db.collection<ApplicationDocument>(APPLICATIONS);
  await col.createIndex({ tenantId: 1, name: 1 }, { unique: true, name: 'tenant_name_unique' });
  await col.createIndex({ tenantId: 1, _id: 1 }, { name: 'tenant_id' });
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
   * nothing, so a retried activity is safe. A name taken by another application → NotUnique.
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
  return { ...toStored(app), labels: { ...app.labels } };
}

const toApplication = (doc: ApplicationDocument): Application => fromStored(doc);
