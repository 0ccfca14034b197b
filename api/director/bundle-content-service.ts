import { randomUUID } from 'node:crypto';
import {
  type APISpec,
  type EventSpec,
  checkAPIDefinitionInput,
  checkDocumentInput,
  checkEventDefinitionInput,
} from '../../domain/api-definitions';
import {
  type APIDefinition,
  type Bundle,
  type BundleChildRef,
  type Document,
  type EventDefinition,
  validateChildInput,
} from '../../domain/bundle';
import { InvalidOperationError, NotFoundError } from '../../domain/errors';
import type { Page, PageRequest } from '../../domain/pagination';
import type { OwnedCollection } from '../../store/owned-collection';
import type { ParentRef } from '../../store/owned-collection';
import type { BundleRepository } from '../../store/bundles';
import { type SpecFetcher, fetchTargets } from './spec-fetcher';

export interface BundleContentServiceDeps {
  readonly bundles: BundleRepository;
  readonly specFetcher: SpecFetcher;
}

/** The content kinds of a bundle, as the nested fields and loaders name them. */
export type BundleContentKind = 'apiDefinitions' | 'eventDefinitions' | 'documents';

/** The object type of each content kind. */
export interface ContentByKind {
  apiDefinitions: APIDefinition;
  eventDefinitions: EventDefinition;
  documents: Document;
}

/** Compass's object names in NotFound messages. */
const OBJECT: Record<BundleContentKind, string> = {
  apiDefinitions: 'apiDefinition',
  eventDefinitions: 'eventDefinition',
  documents: 'document',
};

/**
 * API and event definitions and documents of bundles: direct validated MongoDB writes, each
 * checking that the bundle exists in the caller's tenant. Specs with a fetch request are
 * fetched (through the spec fetch workflow) before the mutation answers.
 */
export class BundleContentService {
  constructor(private readonly deps: BundleContentServiceDeps) {}

  /** One object by ID, or NotFound naming its kind. */
  async get<K extends BundleContentKind>(kind: K, tenantId: string, id: string): Promise<ContentByKind[K]> {
    const found = await this.col(kind).get(tenantId, id);
    if (!found) throw new NotFoundError(OBJECT[kind], id);
    return found;
  }

  /** Objects by ID in one query (for DataLoaders). */
  byIds<K extends BundleContentKind>(
    kind: K,
    tenantId: string,
    ids: readonly string[],
  ): Promise<ContentByKind[K][]> {
    return this.col(kind).getMany(tenantId, ids);
  }

  /** One page per bundle, optionally of one group, read together (for DataLoaders). */
  pagesByBundles<K extends BundleContentKind>(
    kind: K,
    tenantId: string,
    bundles: readonly ParentRef[],
    page: PageRequest,
    group?: string,
  ): Promise<Map<string, Page<ContentByKind[K]>>> {
    return this.col(kind).pageByParents(tenantId, bundles, page, group == null ? {} : { group });
  }

  async addAPIDefinition(tenantId: string, bundleId: string, raw: unknown): Promise<APIDefinition> {
    const now = new Date().toISOString();
    const content = validateChildInput('APIDefinitionInput', checkAPIDefinitionInput, raw, now);
    const api: APIDefinition = { ...(await this.childRef(tenantId, bundleId, now)), ...content };
    await this.deps.bundles.apiDefinitions.insert(api);
    return this.fetched('apiDefinitions', tenantId, api);
  }

  async updateAPIDefinition(tenantId: string, id: string, raw: unknown): Promise<APIDefinition> {
    const now = new Date().toISOString();
    const content = validateChildInput('APIDefinitionInput', checkAPIDefinitionInput, raw, now);
    const api: APIDefinition = { ...refOf(await this.get('apiDefinitions', tenantId, id)), ...content };
    await this.replace('apiDefinitions', api);
    return this.fetched('apiDefinitions', tenantId, api);
  }

  async addEventDefinition(tenantId: string, bundleId: string, raw: unknown): Promise<EventDefinition> {
    const now = new Date().toISOString();
    const content = validateChildInput('EventDefinitionInput', checkEventDefinitionInput, raw, now);
    const event: EventDefinition = { ...(await this.childRef(tenantId, bundleId, now)), ...content };
    await this.deps.bundles.eventDefinitions.insert(event);
    return this.fetched('eventDefinitions', tenantId, event);
  }

  async updateEventDefinition(tenantId: string, id: string, raw: unknown): Promise<EventDefinition> {
    const now = new Date().toISOString();
    const content = validateChildInput('EventDefinitionInput', checkEventDefinitionInput, raw, now);
    const event: EventDefinition = { ...refOf(await this.get('eventDefinitions', tenantId, id)), ...content };
    await this.replace('eventDefinitions', event);
    return this.fetched('eventDefinitions', tenantId, event);
  }

  async addDocument(tenantId: string, bundleId: string, raw: unknown): Promise<Document> {
    const now = new Date().toISOString();
    const content = validateChildInput('DocumentInput', checkDocumentInput, raw, now);
    const doc: Document = { ...(await this.childRef(tenantId, bundleId, now)), ...content };
    await this.deps.bundles.documents.insert(doc);
    return this.fetched('documents', tenantId, doc);
  }

  /** Deletes one object and returns it as it was. */
  async delete<K extends BundleContentKind>(
    kind: K,
    tenantId: string,
    id: string,
  ): Promise<ContentByKind[K]> {
    const deleted = await this.col(kind).delete(tenantId, id);
    if (!deleted) throw new NotFoundError(OBJECT[kind], id);
    return deleted;
  }

  /** Fetches the API's spec again; a spec without fetch request is returned as it is, no spec is InvalidOperation. */
  async refetchAPISpec(tenantId: string, id: string): Promise<APISpec> {
    const api = await this.get('apiDefinitions', tenantId, id);
    const refreshed = await this.fetched('apiDefinitions', tenantId, api);
    if (!refreshed.spec) throw new InvalidOperationError('the API definition has no spec', { ID: id });
    return refreshed.spec;
  }

  /** Fetches the event's spec again; a spec without fetch request is returned as it is, no spec is InvalidOperation. */
  async refetchEventSpec(tenantId: string, id: string): Promise<EventSpec> {
    const event = await this.get('eventDefinitions', tenantId, id);
    const refreshed = await this.fetched('eventDefinitions', tenantId, event);
    if (!refreshed.spec) throw new InvalidOperationError('the event definition has no spec', { ID: id });
    return refreshed.spec;
  }

  /** Where a new child of `bundleId` lives; NotFound when the bundle is not in the tenant. */
  private async childRef(tenantId: string, bundleId: string, now: string): Promise<BundleChildRef> {
    const bundle: Bundle | undefined = await this.deps.bundles.bundles.get(tenantId, bundleId);
    if (!bundle) throw new NotFoundError('bundle', bundleId);
    return { id: randomUUID(), tenantId, applicationId: bundle.applicationId, bundleId, createdAt: now };
  }

  private async replace<K extends BundleContentKind>(kind: K, obj: ContentByKind[K]): Promise<void> {
    if (!(await this.col(kind).replace(obj))) throw new NotFoundError(OBJECT[kind], obj.id);
  }

  /** Runs the fetch `obj` needs, if any, then re-reads it with the stored result. */
  private async fetched<K extends BundleContentKind>(
    kind: K,
    tenantId: string,
    obj: ContentByKind[K],
  ): Promise<ContentByKind[K]> {
    const targets = fetchTargets(tenantId, { [kind]: [obj] });
    if (targets.length === 0) return obj;
    await this.deps.specFetcher.runAll(targets);
    return (await this.col(kind).get(tenantId, obj.id)) ?? obj;
  }

  private col<K extends BundleContentKind>(kind: K): OwnedCollection<ContentByKind[K]> {
    return this.deps.bundles[kind] as unknown as OwnedCollection<ContentByKind[K]>;
  }
}

/** The placement of an existing object, kept when its content is replaced. */
function refOf(obj: BundleChildRef): BundleChildRef {
  const { id, tenantId, applicationId, bundleId, createdAt } = obj;
  return { id, tenantId, applicationId, bundleId, createdAt };
}
