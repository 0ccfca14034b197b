import type { Collection, Db } from 'mongodb';
import type { Application, ApplicationStatus } from '../domain/application';
import { NotUniqueError } from '../domain/errors';
import type { Labels } from '../domain/labels';
import { type Page, type PageRequest, toPage } from '../domain/pagination';
import { isDuplicateKeyError } from './errors';
import { tenantFilter } from './tenant-scope';

/** How an application is stored: the domain type keyed by `_id`. */
export interface ApplicationDocument {
  _id: string;
  tenantId: string;
  name: string;
  providerName?: string;
  description?: string;
  healthCheckURL?: string;
  labels: Labels;
  status: ApplicationStatus;
  createdAt: string;
}

export const APPLICATIONS = 'applications';

/** Indexes every application query path needs; each tenant query's index leads with tenantId. */
export async function ensureApplicationIndexes(db: Db): Promise<void> {
  const col = db.collection<ApplicationDocument>(APPLICATIONS);
  await col.createIndex({ tenantId: 1, name: 1 }, { unique: true, name: 'tenant_name_unique' });
  await col.createIndex({ tenantId: 1, _id: 1 }, { name: 'tenant_id' });
}

/** Tenant-scoped access to applications. Every method takes the tenant first. */
export class ApplicationRepository {
  private readonly col: Collection<ApplicationDocument>;

  constructor(db: Db) {
    this.col = db.collection<ApplicationDocument>(APPLICATIONS);
  }

  async get(tenantId: string, id: string): Promise<Application | undefined> {
    const doc = await this.col.findOne(tenantFilter<ApplicationDocument>(tenantId, { _id: id }));
    return doc ? toApplication(doc) : undefined;
  }

  /** Pages through a tenant's applications in ID order (keyset, so deep pages stay cheap). */
  async list(tenantId: string, page: PageRequest): Promise<Page<Application>> {
    const filter = tenantFilter<ApplicationDocument>(tenantId);
    const pageFilter = page.after === undefined ? filter : { ...filter, _id: { $gt: page.after } };
    const [docs, totalCount] = await Promise.all([
      this.col
        .find(pageFilter)
        .sort({ _id: 1 })
        .limit(page.first + 1)
        .toArray(),
      this.col.countDocuments(filter),
    ]);
    return toPage(docs.map(toApplication), page, totalCount, (a) => a.id);
  }

  /**
   * Writes the application as given. Idempotent: writing the same application again changes
   * nothing, so a retried activity is safe. A name taken by another application → NotUnique.
   */
  async put(app: Application): Promise<Application> {
    const doc = toDocument(app);
    try {
      await this.col.replaceOne(tenantFilter<ApplicationDocument>(app.tenantId, { _id: app.id }), doc, {
        upsert: true,
      });
    } catch (err) {
      if (isDuplicateKeyError(err)) throw new NotUniqueError('Application');
      throw err;
    }
    return app;
  }

  /** Removes the application; true when it existed. Idempotent. */
  async delete(tenantId: string, id: string): Promise<boolean> {
    const res = await this.col.deleteOne(tenantFilter<ApplicationDocument>(tenantId, { _id: id }));
    return res.deletedCount === 1;
  }
}

function toDocument(app: Application): ApplicationDocument {
  const { id, ...rest } = app;
  return { _id: id, ...rest, labels: { ...app.labels } };
}

function toApplication(doc: ApplicationDocument): Application {
  const { _id, ...rest } = doc;
  return { id: _id, ...rest };
}
