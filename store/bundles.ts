import type { Db } from 'mongodb';
import type { FetchRequest, FetchRequestStatus, SpecOwnerKind } from '../domain/api-definitions';
import type { APIDefinition, Bundle, BundleTree, Document, EventDefinition } from '../domain/bundle';
import {
  API_DEFINITIONS,
  BUNDLE_OPTIONAL_FIELDS,
  BUNDLES,
  DOCUMENTS,
  EVENT_DEFINITIONS,
} from './bundle-collections';
import { type ListingParent, OwnedCollection } from './owned-collection';
import { APPLICATIONS } from './applications';
import { TenantCollection } from './tenant-collection';

/** The tree's bundles as they are stored: each with the lists of its content (see ChildList). */
export function listedBundles(tree: BundleTree): Bundle[] {
  const idsIn = (children: readonly { id: string; bundleId: string }[], bundleId: string) =>
    children.filter((c) => c.bundleId === bundleId).map((c) => c.id);
  return tree.bundles.map((b) => ({
    ...b,
    apiDefinitionIds: idsIn(tree.apiDefinitions, b.id),
    eventDefinitionIds: idsIn(tree.eventDefinitions, b.id),
    documentIds: idsIn(tree.documents, b.id),
  }));
}

/** What a spec fetch produced: the data (when it succeeded) and the fetch status. */
export interface SpecFetchResult {
  readonly data?: string;
  readonly status: FetchRequestStatus;
}

/**
 * Bundles, API and event definitions and documents of a tenant's applications. Children carry
 * their application and bundle IDs, so deleting an application or a bundle is one query per
 * collection.
 */
export class BundleRepository {
  readonly bundles: OwnedCollection<Bundle>;
  readonly apiDefinitions: OwnedCollection<APIDefinition>;
  readonly eventDefinitions: OwnedCollection<EventDefinition>;
  readonly documents: OwnedCollection<Document>;

  constructor(db: Db) {
    const applications = new TenantCollection<ListingParent>(db, APPLICATIONS, 'Application');
    const owned = (parent: TenantCollection<ListingParent>, parentField: string, field: string) => ({
      parentField,
      list: { parent, field },
      optionalFields: BUNDLE_OPTIONAL_FIELDS,
    });
    this.bundles = new OwnedCollection<Bundle>(
      db,
      BUNDLES,
      'Bundle',
      owned(applications, 'applicationId', 'bundleIds'),
    );
    const bundles = this.bundles.col as unknown as TenantCollection<ListingParent>;
    this.apiDefinitions = new OwnedCollection<APIDefinition>(
      db,
      API_DEFINITIONS,
      'APIDefinition',
      owned(bundles, 'bundleId', 'apiDefinitionIds'),
    );
    this.eventDefinitions = new OwnedCollection<EventDefinition>(
      db,
      EVENT_DEFINITIONS,
      'EventDefinition',
      owned(bundles, 'bundleId', 'eventDefinitionIds'),
    );
    this.documents = new OwnedCollection<Document>(
      db,
      DOCUMENTS,
      'Document',
      owned(bundles, 'bundleId', 'documentIds'),
    );
  }

  /**
   * Writes a whole tree, children before bundles, so a reader never finds a bundle whose
   * content is still missing; each bundle is stored with the lists of its content. The
   * application, written last by its workflow, lists the bundles.
   * Idempotent: every object is upserted by its ID.
   */
  async putTree(tree: BundleTree): Promise<void> {
    await Promise.all([
      ...tree.apiDefinitions.map((a) => this.apiDefinitions.put(a)),
      ...tree.eventDefinitions.map((e) => this.eventDefinitions.put(e)),
      ...tree.documents.map((d) => this.documents.put(d)),
    ]);
    await Promise.all(listedBundles(tree).map((b) => this.bundles.put(b)));
  }

  /** Adds a tree of bundles to an existing application: written, then listed on the application. */
  async addTree(tree: BundleTree): Promise<void> {
    await this.putTree(tree);
    for (const b of tree.bundles) await this.bundles.link(b.tenantId, b.applicationId, b.id);
  }

  /**
   * Removes a bundle: first off its application's list, then the bundle, then its content
   * (so nothing half-deleted is visible). Returns the bundle as it was, if it was the tenant's.
   */
  async deleteBundle(tenantId: string, bundleId: string): Promise<Bundle | undefined> {
    const bundle = await this.bundles.delete(tenantId, bundleId);
    await this.deleteChildren(tenantId, { bundleId });
    return bundle;
  }

  /** Removes every bundle of an application, then their children. Idempotent. */
  async deleteForApplication(tenantId: string, applicationId: string): Promise<void> {
    await this.bundles.deleteWhere(tenantId, { applicationId });
    await this.deleteChildren(tenantId, { applicationId });
  }

  /** Stores a fetch result on its owner; a deleted owner is left alone. Idempotent. */
  async setFetchResult(
    kind: SpecOwnerKind,
    tenantId: string,
    id: string,
    result: SpecFetchResult,
  ): Promise<boolean> {
    const prefix = kind === 'document' ? '' : 'spec.';
    const fields: Record<string, unknown> = { [`${prefix}fetchRequest.status`]: result.status };
    if (result.data !== undefined) fields[`${prefix}data`] = result.data;
    const col = this.collectionOf(kind);
    return (await col.set(tenantId, id, fields)) !== undefined;
  }

  /** The fetch request of a spec or document as stored; undefined when either is gone. */
  async getFetchRequest(
    kind: SpecOwnerKind,
    tenantId: string,
    id: string,
  ): Promise<FetchRequest | undefined> {
    const owner = await this.collectionOf(kind).get(tenantId, id);
    if (!owner) return undefined;
    return kind === 'document'
      ? (owner as Document).fetchRequest
      : (owner as APIDefinition | EventDefinition).spec?.fetchRequest;
  }

  /** The collection holding owners of `kind`. */
  collectionOf(kind: SpecOwnerKind): OwnedCollection<APIDefinition | EventDefinition | Document> {
    const cols = { api: this.apiDefinitions, event: this.eventDefinitions, document: this.documents };
    return cols[kind] as OwnedCollection<APIDefinition | EventDefinition | Document>;
  }

  private async deleteChildren(tenantId: string, filter: Record<string, string>): Promise<void> {
    await Promise.all([
      this.apiDefinitions.deleteWhere(tenantId, filter),
      this.eventDefinitions.deleteWhere(tenantId, filter),
      this.documents.deleteWhere(tenantId, filter),
    ]);
  }
}
