import type { Collection, Db, Filter, OptionalUnlessRequiredId, UpdateFilter } from 'mongodb';
import { NotUniqueError } from '../domain/errors';
import type { Page, PageRequest } from '../domain/pagination';
import { asNotUnique } from './errors';
import { KeyedQueue } from './keyed-queue';
import { readByIds, readPage } from './pages';
import { type ServerProfile, serverProfileOf } from './server-profile';
import { requireTenant, tenantFilter } from './tenant-scope';

/** Every update of this process, queued per document. */
const updates = new KeyedQueue();

/** Every tenant-scoped document: string `_id` and the owning tenant. */
export interface TenantDocument {
  _id: string;
  tenantId: string;
}

/**
 * Tenant-scoped access to one collection. Every method takes the tenant first: queries build
 * their filter through {@link tenantFilter}, reads and writes by ID check the owner before
 * answering or writing, so no call can reach another tenant's documents. Repositories
 * compose this instead of talking to the driver directly.
 */
export class TenantCollection<D extends TenantDocument> {
  readonly raw: Collection<D>;

  /** `object` names the entity in NotFound/NotUnique messages, as Compass does. */
  constructor(
    private readonly db: Db,
    name: string,
    readonly object: string,
  ) {
    this.raw = db.collection<D>(name);
  }

  private get profile(): ServerProfile {
    return serverProfileOf(this.db);
  }

  /**
   * The tenant's document with this ID. The server is asked for the ID alone (the one filter
   * every supported server answers from an index) and the owner is checked here: IDs are
   * generated server-side or carry their tenant, and a document never changes tenant, so
   * another tenant's document is simply not found.
   */
  async get(tenantId: string, id: string): Promise<D | undefined> {
    requireTenant(tenantId);
    const doc = (await this.raw.findOne({ _id: id } as Filter<D>)) as D | null;
    return doc?.tenantId === tenantId ? doc : undefined;
  }

  /** The tenant's documents with these IDs, in the order given; others are left out. */
  async getMany(tenantId: string, ids: readonly string[]): Promise<D[]> {
    requireTenant(tenantId);
    return (await readByIds(this.raw, this.profile, ids)).filter((d) => d.tenantId === tenantId);
  }

  async find(tenantId: string, filter: Filter<D> = {}): Promise<D[]> {
    return (await this.raw.find(tenantFilter<D>(tenantId, filter)).toArray()) as D[];
  }

  /** One page of the tenant's documents matching `filter` (order: see readPage). */
  page(tenantId: string, filter: Filter<D>, page: PageRequest): Promise<Page<D>> {
    return readPage(this.raw, this.profile, tenantFilter<D>(tenantId, filter), page);
  }

  /**
   * Inserts or replaces by `_id` (idempotent); a unique-index clash, or the ID held by another
   * tenant, → NotUnique.
   */
  async put(doc: D): Promise<D> {
    requireTenant(doc.tenantId);
    const owner = await this.ownerOf(doc._id);
    if (owner !== undefined && owner !== doc.tenantId) throw new NotUniqueError(this.object);
    await asNotUnique(this.object, () =>
      this.raw.replaceOne({ _id: doc._id } as Filter<D>, doc, { upsert: true }),
    );
    return doc;
  }

  /** Inserts a new document; a clash on `_id` or a unique index → NotUnique. */
  async insert(doc: D): Promise<D> {
    await asNotUnique(this.object, () => this.raw.insertOne(doc as OptionalUnlessRequiredId<D>));
    return doc;
  }

  /**
   * Applies `update` to one of the tenant's documents and returns it as updated, or undefined
   * when absent. The owner is checked first, then the write names the ID alone (see get).
   * `update` may be computed from the document as it is, read in the same turn of the queue:
   * this process's updates of one document run one at a time (see KeyedQueue).
   */
  update(
    tenantId: string,
    id: string,
    update: UpdateFilter<D> | ((current: D) => Promise<UpdateFilter<D>>),
  ): Promise<D | undefined> {
    return updates.run(`${this.raw.dbName}.${this.raw.collectionName}/${id}`, async () => {
      let change: UpdateFilter<D>;
      if (typeof update === 'function') {
        const current = await this.get(tenantId, id);
        if (!current) return undefined;
        change = await update(current);
      } else {
        requireTenant(tenantId);
        if ((await this.ownerOf(id)) !== tenantId) return undefined;
        change = update;
      }
      const res = await asNotUnique(this.object, () =>
        this.raw.findOneAndUpdate({ _id: id } as Filter<D>, change, { returnDocument: 'after' }),
      );
      return (res as D | null) ?? undefined;
    });
  }

  /** Removes one of the tenant's documents; true when it existed. */
  async delete(tenantId: string, id: string): Promise<boolean> {
    requireTenant(tenantId);
    if ((await this.ownerOf(id)) !== tenantId) return false;
    const res = await this.raw.deleteOne({ _id: id } as Filter<D>);
    return res.deletedCount === 1;
  }

  /** The tenant owning the document with this ID, read without the rest of the document. */
  private async ownerOf(id: string): Promise<string | undefined> {
    const doc = (await this.raw.findOne({ _id: id } as Filter<D>, {
      projection: { tenantId: 1 },
    })) as Pick<D, 'tenantId'> | null;
    return doc?.tenantId;
  }

  /** Removes every document of the tenant matching `filter`; returns how many. */
  async deleteMany(tenantId: string, filter: Filter<D>): Promise<number> {
    const res = await this.raw.deleteMany(tenantFilter<D>(tenantId, filter));
    return res.deletedCount;
  }
}
