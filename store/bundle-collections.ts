import type { Db, Document as MongoDocument, Filter } from 'mongodb';
import { type Page, type PageRequest, toPage } from '../domain/pagination';
import { TenantCollection, type TenantDocument } from './tenant-collection';
import { tenantFilter } from './tenant-scope';

export const BUNDLES = 'bundles';
export const API_DEFINITIONS = 'api_definitions';
export const EVENT_DEFINITIONS = 'event_definitions';
export const DOCUMENTS = 'documents';

/** Indexes of bundles and their children; each leads with tenantId. */
export async function ensureBundleIndexes(db: Db): Promise<void> {
  await db.collection(BUNDLES).createIndex({ tenantId: 1, applicationId: 1, _id: 1 }, { name: 'tenant_app' });
  for (const name of [API_DEFINITIONS, EVENT_DEFINITIONS, DOCUMENTS]) {
    await db.collection(name).createIndex({ tenantId: 1, bundleId: 1, _id: 1 }, { name: 'tenant_bundle' });
    await db.collection(name).createIndex({ tenantId: 1, applicationId: 1 }, { name: 'tenant_app' });
  }
}

/** A domain object stored under `_id`. */
type Stored<T extends { id: string; tenantId: string }> = Omit<T, 'id'> & TenantDocument;

function toDoc<T extends { id: string; tenantId: string }>(obj: T): Stored<T> {
  const { id, ...rest } = obj;
  return { _id: id, ...rest } as Stored<T>;
}

function fromDoc<T extends { id: string; tenantId: string }>(doc: Stored<T>): T {
  const { _id, ...rest } = doc;
  return { id: _id, ...rest } as unknown as T;
}

/**
 * One tenant-scoped collection of objects that belong to a parent (bundles to applications,
 * definitions and documents to bundles), with batch reads for DataLoaders.
 */
export class OwnedCollection<T extends { id: string; tenantId: string }> {
  readonly col: TenantCollection<Stored<T>>;

  constructor(
    db: Db,
    name: string,
    object: string,
    /** The field naming the parent: `applicationId` or `bundleId`. */
    private readonly parentField: 'applicationId' | 'bundleId',
  ) {
    this.col = new TenantCollection<Stored<T>>(db, name, object);
  }

  async get(tenantId: string, id: string): Promise<T | undefined> {
    const doc = await this.col.get(tenantId, id);
    return doc && fromDoc<T>(doc);
  }

  /** Objects by ID in one query; missing IDs are simply absent. */
  async getMany(tenantId: string, ids: readonly string[]): Promise<T[]> {
    const docs = await this.col.find(tenantId, { _id: { $in: [...ids] } } as Filter<Stored<T>>);
    return docs.map((d) => fromDoc<T>(d));
  }

  /** Every object of the tenant matching `filter`. */
  async findWhere(tenantId: string, filter: Record<string, unknown>): Promise<T[]> {
    const docs = await this.col.find(tenantId, filter as Filter<Stored<T>>);
    return docs.map((d) => fromDoc<T>(d));
  }

  /**
   * One page per parent, for many parents in one query: rows are read in `_id` order and
   * split per parent, so a page of parents costs one round trip whatever its size.
   */
  async pageByParents(
    tenantId: string,
    parentIds: readonly string[],
    page: PageRequest,
    extra: Record<string, unknown> = {},
  ): Promise<Map<string, Page<T>>> {
    const filter = { [this.parentField]: { $in: [...parentIds] }, ...extra } as Filter<Stored<T>>;
    const docs = await this.col.raw
      .find(tenantFilter<Stored<T>>(tenantId, filter))
      .sort({ _id: 1 })
      .toArray();
    const byParent = new Map<string, Stored<T>[]>(parentIds.map((id) => [id, []]));
    for (const doc of docs as Stored<T>[]) {
      byParent.get((doc as unknown as Record<string, string>)[this.parentField] ?? '')?.push(doc);
    }
    const pages = new Map<string, Page<T>>();
    for (const [parentId, rows] of byParent) {
      const after = page.after;
      const rest = after === undefined ? rows : rows.filter((r) => r._id > after);
      const pageRows = rest.slice(0, page.first + 1).map((d) => fromDoc<T>(d));
      pages.set(
        parentId,
        toPage(pageRows, page, rows.length, (r) => r.id),
      );
    }
    return pages;
  }

  async insert(obj: T): Promise<T> {
    await this.col.insert(toDoc(obj));
    return obj;
  }

  /** Inserts or replaces by ID: idempotent, so retried writes are safe. */
  async put(obj: T): Promise<T> {
    await this.col.put(toDoc(obj));
    return obj;
  }

  /** Replaces an existing object; undefined when it is gone. */
  async replace(obj: T): Promise<T | undefined> {
    const { _id, tenantId, ...fields } = toDoc(obj) as Stored<T> & Record<string, unknown>;
    const unset = Object.fromEntries(this.optionalKeysAbsentFrom(fields).map((k) => [k, '']));
    const updated = await this.col.update(tenantId, _id, {
      $set: fields,
      ...(Object.keys(unset).length > 0 && { $unset: unset }),
    } as MongoDocument);
    return updated && fromDoc<T>(updated);
  }

  /** Sets fields of one object; undefined when it is gone. */
  async set(tenantId: string, id: string, fields: Record<string, unknown>): Promise<T | undefined> {
    const updated = await this.col.update(tenantId, id, { $set: fields } as MongoDocument);
    return updated && fromDoc<T>(updated);
  }

  delete(tenantId: string, id: string): Promise<boolean> {
    return this.col.delete(tenantId, id);
  }

  deleteWhere(tenantId: string, filter: Record<string, unknown>): Promise<number> {
    return this.col.deleteMany(tenantId, filter as Filter<Stored<T>>);
  }

  /** Optional fields a replacement may drop; absent ones are unset. */
  private optionalKeysAbsentFrom(fields: Record<string, unknown>): string[] {
    return OPTIONAL_FIELDS.filter((k) => !(k in fields));
  }
}

/** Every optional field of bundles and their children, unset when a replacement omits it. */
const OPTIONAL_FIELDS = [
  'description',
  'instanceAuthRequestInputSchema',
  'defaultInstanceAuth',
  'group',
  'spec',
  'version',
  'kind',
  'data',
  'fetchRequest',
];
