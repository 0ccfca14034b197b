import type { Collection, Db, Filter, OptionalUnlessRequiredId } from 'mongodb';
import type { Page, PageRequest } from '../domain/pagination';
import { asNotUnique } from './errors';
import { readPage } from './pages';
import { serverProfileOf } from './server-profile';

/** Every global document: a string `_id`, no tenant. */
export interface GlobalDocument {
  _id: string;
}

/**
 * Access to a collection shared by every tenant (application templates, integration
 * systems). Method names end in `Global` because they cross tenants by design; tenant-scoped
 * data never goes through this class.
 */
export class GlobalCollection<D extends GlobalDocument> {
  readonly raw: Collection<D>;

  /** `object` names the entity in NotUnique messages. */
  constructor(
    private readonly db: Db,
    name: string,
    readonly object: string,
  ) {
    this.raw = db.collection<D>(name);
  }

  async getGlobal(id: string): Promise<D | undefined> {
    return ((await this.raw.findOne({ _id: id } as Filter<D>)) as D | null) ?? undefined;
  }

  async findOneGlobal(filter: Filter<D>): Promise<D | undefined> {
    return ((await this.raw.findOne(filter)) as D | null) ?? undefined;
  }

  /** One page of every document (order: see readPage). */
  pageGlobal(page: PageRequest): Promise<Page<D>> {
    return readPage(this.raw, serverProfileOf(this.db), {}, page);
  }

  /** Inserts a new document; a clash on `_id` or a unique index → NotUnique. */
  async insertGlobal(doc: D): Promise<D> {
    await asNotUnique(this.object, () => this.raw.insertOne(doc as OptionalUnlessRequiredId<D>));
    return doc;
  }

  /**
   * Replaces an existing document; undefined when it is absent, NotUnique when it would clash
   * with another document on a unique index (see store/errors.ts for FerretDB's form).
   */
  async replaceGlobal(doc: D): Promise<D | undefined> {
    const res = await asNotUnique(this.object, () => this.raw.replaceOne({ _id: doc._id } as Filter<D>, doc));
    return res.matchedCount === 1 ? doc : undefined;
  }

  /** Removes one document and returns it, or undefined when it was absent. */
  async deleteGlobal(id: string): Promise<D | undefined> {
    return ((await this.raw.findOneAndDelete({ _id: id } as Filter<D>)) as D | null) ?? undefined;
  }
}
