import type { Collection, Db, Filter, OptionalUnlessRequiredId, UpdateFilter } from 'mongodb';
import { NotUniqueError } from '../domain/errors';
import { type Page, type PageRequest, toPage } from '../domain/pagination';
import { isDuplicateKeyError } from './errors';
import { tenantFilter } from './tenant-scope';

/** Every tenant-scoped document: string `_id` and the owning tenant. */
export interface TenantDocument {
  _id: string;
  tenantId: string;
}

/**
 * Tenant-scoped access to one collection. Every method takes the tenant first and builds
 * its filter through {@link tenantFilter}, so no call can reach another tenant's documents.
 * Repositories compose this instead of talking to the driver directly.
 */
export class TenantCollection<D extends TenantDocument> {
  readonly raw: Collection<D>;

  /** `object` names the entity in NotFound/NotUnique messages, as Compass does. */
  constructor(
    db: Db,
    name: string,
    readonly object: string,
  ) {
    this.raw = db.collection<D>(name);
  }

  async get(tenantId: string, id: string): Promise<D | undefined> {
    return (
      ((await this.raw.findOne(tenantFilter<D>(tenantId, { _id: id } as Filter<D>))) as D | null) ?? undefined
    );
  }

  async find(tenantId: string, filter: Filter<D> = {}): Promise<D[]> {
    return (await this.raw.find(tenantFilter<D>(tenantId, filter)).toArray()) as D[];
  }

  /** Documents matching `filter` in `_id` order, one page at a time (keyset on `_id`). */
  async page(tenantId: string, filter: Filter<D>, page: PageRequest): Promise<Page<D>> {
    const base = tenantFilter<D>(tenantId, filter);
    const paged =
      page.after === undefined ? base : ({ $and: [base, { _id: { $gt: page.after } }] } as Filter<D>);
    const [rows, totalCount] = await Promise.all([
      this.raw
        .find(paged)
        .sort({ _id: 1 })
        .limit(page.first + 1)
        .toArray(),
      this.raw.countDocuments(base),
    ]);
    return toPage(rows as D[], page, totalCount, (d) => d._id);
  }

  /** Inserts or replaces by `_id` (idempotent); a unique-index clash → NotUnique. */
  async put(doc: D): Promise<D> {
    try {
      await this.raw.replaceOne(tenantFilter<D>(doc.tenantId, { _id: doc._id } as Filter<D>), doc, {
        upsert: true,
      });
    } catch (err) {
      if (isDuplicateKeyError(err)) throw new NotUniqueError(this.object);
      throw err;
    }
    return doc;
  }

  /** Inserts a new document; a clash on `_id` or a unique index → NotUnique. */
  async insert(doc: D): Promise<D> {
    try {
      await this.raw.insertOne(doc as OptionalUnlessRequiredId<D>);
    } catch (err) {
      if (isDuplicateKeyError(err)) throw new NotUniqueError(this.object);
      throw err;
    }
    return doc;
  }

  /** Applies `update` to one document and returns it as updated, or undefined when absent. */
  async update(tenantId: string, id: string, update: UpdateFilter<D>): Promise<D | undefined> {
    try {
      const res = await this.raw.findOneAndUpdate(
        tenantFilter<D>(tenantId, { _id: id } as Filter<D>),
        update,
        {
          returnDocument: 'after',
        },
      );
      return (res as D | null) ?? undefined;
    } catch (err) {
      if (isDuplicateKeyError(err)) throw new NotUniqueError(this.object);
      throw err;
    }
  }

  /** Removes one document; true when it existed. */
  async delete(tenantId: string, id: string): Promise<boolean> {
    const res = await this.raw.deleteOne(tenantFilter<D>(tenantId, { _id: id } as Filter<D>));
    return res.deletedCount === 1;
  }

  /** Removes every document of the tenant matching `filter`; returns how many. */
  async deleteMany(tenantId: string, filter: Filter<D>): Promise<number> {
    const res = await this.raw.deleteMany(tenantFilter<D>(tenantId, filter));
    return res.deletedCount;
  }
}
