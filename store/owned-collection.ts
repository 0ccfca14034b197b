import type { Db, Document as MongoDocument, Filter, UpdateFilter } from 'mongodb';
import type { Page, PageRequest } from '../domain/pagination';
import { pageOfRows } from './pages';
import { TenantCollection, type TenantDocument } from './tenant-collection';
import { fromStored, toStored } from './documents';

/** A domain object stored under `_id`. */
export type Stored<T extends { id: string; tenantId: string }> = Omit<T, 'id'> & TenantDocument;

function toDoc<T extends { id: string; tenantId: string }>(obj: T): Stored<T> {
  return toStored(obj) as Stored<T>;
}

function fromDoc<T extends { id: string; tenantId: string }>(doc: Stored<T>): T {
  return fromStored(doc) as unknown as T;
}

/** A stored parent as the child lists see it: any fields, among them its lists. */
export type ListingParent = TenantDocument & Record<string, unknown>;

/** A parent as its children's loaders see it: its ID and, when stored, its list of children. */
export type ParentRef = { readonly id: string } & Readonly<Record<string, unknown>>;

/**
 * Where a parent lists its children: the parent's collection and the field holding the
 * children's IDs in creation order (`bundleIds` and `webhookIds` on applications, `apiDefinitionIds`,
 * `eventDefinitionIds` and `documentIds` on bundles). Pages of children are read through
 * these lists, by ID, which every supported server answers from an index; a parent stored
 * without its list (written before lists existed) is read by querying the parent field.
 */
export interface ChildList {
  readonly parent: TenantCollection<ListingParent>;
  readonly field: string;
}

/** How an owned collection relates to its parents. */
export interface OwnedCollectionOptions {
  readonly parentField: string;
  readonly list: ChildList;
  readonly optionalFields: readonly string[];
}

/**
 * One tenant-scoped collection of objects that belong to a parent (bundles and webhooks to applications,
 * definitions and documents to bundles), with batch reads for DataLoaders. A child is written
 * before it is listed on its parent and unlisted before it is deleted, so a reader never
 * follows a list to a half-written child.
 */
export class OwnedCollection<T extends { id: string; tenantId: string }> {
  readonly col: TenantCollection<Stored<T>>;
  /** The field naming the parent, e.g. `applicationId` or `bundleId`. */
  private readonly parentField: string;
  /** Where the parent lists these children. */
  readonly list: ChildList;
  /** Optional fields a replacement may drop: absent ones are unset. */
  private readonly optionalFields: readonly string[];

  constructor(db: Db, name: string, object: string, options: OwnedCollectionOptions) {
    this.col = new TenantCollection<Stored<T>>(db, name, object);
    this.parentField = options.parentField;
    this.list = options.list;
    this.optionalFields = options.optionalFields;
  }

  async get(tenantId: string, id: string): Promise<T | undefined> {
    const doc = await this.col.get(tenantId, id);
    return doc && fromDoc<T>(doc);
  }

  /** Objects by ID, in the order given; missing IDs are simply absent. */
  async getMany(tenantId: string, ids: readonly string[]): Promise<T[]> {
    return (await this.col.getMany(tenantId, ids)).map((d) => fromDoc<T>(d));
  }

  /** Every object of the tenant matching `filter`. */
  async findWhere(tenantId: string, filter: Record<string, unknown>): Promise<T[]> {
    const docs = await this.col.find(tenantId, filter as Filter<Stored<T>>);
    return docs.map((d) => fromDoc<T>(d));
  }

  /**
   * One page per parent for many parents at once, each in the parent's list order, keeping
   * only children whose fields equal `only`'s.
   */
  async pageByParents(
    tenantId: string,
    parents: readonly ParentRef[],
    page: PageRequest,
    only: Readonly<Record<string, unknown>> = {},
  ): Promise<Map<string, Page<T>>> {
    const children = await this.byParents(tenantId, parents);
    const pages = new Map<string, Page<T>>();
    for (const parent of parents) {
      const rows = (children.get(parent.id) ?? []).filter((child) =>
        Object.entries(only).every(([k, v]) => (child as Record<string, unknown>)[k] === v),
      );
      pages.set(parent.id, pageOfRows(rows, page));
    }
    return pages;
  }

  /** Inserts a new object, then lists it on its parent. */
  async insert(obj: T): Promise<T> {
    await this.col.insert(toDoc(obj));
    await this.link(obj.tenantId, this.parentIdOf(obj), obj.id);
    return obj;
  }

  /**
   * Lists `childId` on its parent. A parent stored without a list gets its whole list, built
   * from the children that name it (the new one included, as it is written first).
   */
  async link(tenantId: string, parentId: string, childId: string): Promise<void> {
    await this.list.parent.update(tenantId, parentId, async (parent) => {
      if (Array.isArray(parent[this.list.field])) return listUpdate('$addToSet', this.list.field, childId);
      const all = await this.col.find(tenantId, { [this.parentField]: parentId } as Filter<Stored<T>>);
      return listUpdate(
        '$set',
        this.list.field,
        all.sort(byCreation).map((d) => d._id),
      );
    });
  }

  /** Takes `childId` off its parent's list. */
  async unlink(tenantId: string, parentId: string, childId: string): Promise<void> {
    await this.list.parent.update(tenantId, parentId, listUpdate('$pull', this.list.field, childId));
  }

  /** The children of each parent, through its list when it has one. */
  async byParents(tenantId: string, parents: readonly ParentRef[]): Promise<Map<string, T[]>> {
    const result = new Map<string, T[]>();
    const listed = parents.filter((p) => Array.isArray(p[this.list.field]));
    const unlisted = parents.filter((p) => !Array.isArray(p[this.list.field])).map((p) => p.id);
    const idsOf = (p: ParentRef) => p[this.list.field] as readonly string[];
    const byId = new Map(
      (await this.getMany(tenantId, listed.flatMap(idsOf))).map((child) => [child.id, child]),
    );
    for (const parent of listed) {
      result.set(
        parent.id,
        idsOf(parent).flatMap((id) => byId.get(id) ?? []),
      );
    }
    if (unlisted.length > 0) {
      const filter = { [this.parentField]: { $in: unlisted } } as Filter<Stored<T>>;
      const docs = (await this.col.find(tenantId, filter)).sort(byCreation);
      for (const doc of docs) {
        const parentId = (doc as unknown as Record<string, string>)[this.parentField] ?? '';
        result.set(parentId, [...(result.get(parentId) ?? []), fromDoc<T>(doc)]);
      }
    }
    return result;
  }

  private parentIdOf(obj: T): string {
    return (obj as unknown as Record<string, string>)[this.parentField] ?? '';
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

  /**
   * Takes the object off its parent's list, then removes it; returns it as it was, or
   * undefined when it is not the tenant's.
   */
  async delete(tenantId: string, id: string): Promise<T | undefined> {
    const doc = await this.col.get(tenantId, id);
    if (!doc) return undefined;
    const obj = fromDoc<T>(doc);
    await this.unlink(tenantId, this.parentIdOf(obj), id);
    await this.col.raw.deleteOne({ _id: id } as Filter<Stored<T>>);
    return obj;
  }

  deleteWhere(tenantId: string, filter: Record<string, unknown>): Promise<number> {
    return this.col.deleteMany(tenantId, filter as Filter<Stored<T>>);
  }

  private optionalKeysAbsentFrom(fields: Record<string, unknown>): string[] {
    return this.optionalFields.filter((k) => !(k in fields));
  }
}

/** An update of one list field of a parent. */
function listUpdate(
  operator: '$addToSet' | '$pull' | '$set',
  field: string,
  value: string | readonly string[],
): UpdateFilter<ListingParent> {
  return { [operator]: { [field]: value } } as UpdateFilter<ListingParent>;
}

/** Oldest first, then by ID: the order a parent's list is built in. */
function byCreation(a: TenantDocument, b: TenantDocument): number {
  const [ca, cb] = [createdAtOf(a), createdAtOf(b)];
  return ca < cb ? -1 : ca > cb ? 1 : a._id < b._id ? -1 : a._id > b._id ? 1 : 0;
}

function createdAtOf(doc: TenantDocument): string {
  const value = (doc as TenantDocument & { createdAt?: unknown }).createdAt;
  return typeof value === 'string' ? value : '';
}
