import { randomUUID } from 'node:crypto';
import {
  type Bundle,
  type BundlePage,
  buildBundleTree,
  validateBundleCreateInput,
  validateBundleUpdateInput,
} from '../../domain/bundle';
import { NotFoundError } from '../../domain/errors';
import type { PageRequest } from '../../domain/pagination';
import type { ApplicationRepository } from '../../store/applications';
import type { ParentRef } from '../../store/owned-collection';
import type { BundleRepository } from '../../store/bundles';
import { type SpecFetcher, fetchTargets } from './spec-fetcher';

export interface BundleServiceDeps {
  readonly bundles: BundleRepository;
  readonly applications: Pick<ApplicationRepository, 'get'>;
  readonly specFetcher: SpecFetcher;
  /** Ends the bundle's credential requests; absent, a deleted bundle leaves them. */
  readonly instanceAuths?: { deleteForBundle(tenantId: string, bundleId: string): Promise<void> };
}

/**
 * Bundles of applications: direct validated MongoDB writes (plain metadata), each checking
 * that the parent exists in the caller's tenant. Content created with a bundle is written
 * before the bundle that makes it visible.
 */
export class BundleService {
  constructor(private readonly deps: BundleServiceDeps) {}

  async get(tenantId: string, id: string): Promise<Bundle> {
    const bundle = await this.deps.bundles.bundles.get(tenantId, id);
    if (!bundle) throw new NotFoundError('bundle', id);
    return bundle;
  }

  /** Bundles by ID in one query (for DataLoaders); unknown IDs are absent. */
  byIds(tenantId: string, ids: readonly string[]): Promise<Bundle[]> {
    return this.deps.bundles.bundles.getMany(tenantId, ids);
  }

  /** One page of bundles per application, read together (for DataLoaders). */
  pagesByApplications(
    tenantId: string,
    applications: readonly ParentRef[],
    page: PageRequest,
  ): Promise<Map<string, BundlePage>> {
    return this.deps.bundles.bundles.pageByParents(tenantId, applications, page);
  }

  /** Creates a bundle with its content; specs with a fetch request are fetched before answering. */
  async add(tenantId: string, applicationId: string, rawInput: unknown): Promise<Bundle> {
    const now = new Date().toISOString();
    const input = validateBundleCreateInput(rawInput, now);
    if (!(await this.deps.applications.get(tenantId, applicationId))) {
      throw new NotFoundError('application', applicationId);
    }
    const tree = buildBundleTree(tenantId, applicationId, [input], randomUUID, now);
    await this.deps.bundles.addTree(tree);
    await this.deps.specFetcher.runAll(fetchTargets(tenantId, tree));
    return tree.bundles[0]!;
  }

  /** Runs the fetch requests of every definition and document of an application. */
  async fetchSpecsOf(tenantId: string, applicationId: string): Promise<void> {
    const { apiDefinitions, eventDefinitions, documents } = this.deps.bundles;
    const withSpecFetch = { applicationId, 'spec.fetchRequest': { $exists: true } };
    const [apis, events, docs] = await Promise.all([
      apiDefinitions.findWhere(tenantId, withSpecFetch),
      eventDefinitions.findWhere(tenantId, withSpecFetch),
      documents.findWhere(tenantId, { applicationId, fetchRequest: { $exists: true } }),
    ]);
    await this.deps.specFetcher.runAll(
      fetchTargets(tenantId, { apiDefinitions: apis, eventDefinitions: events, documents: docs }),
    );
  }

  /** Replaces the bundle's own fields; existing instance auths are not touched. */
  async update(tenantId: string, id: string, rawInput: unknown): Promise<Bundle> {
    const content = validateBundleUpdateInput(rawInput);
    const { applicationId, createdAt } = await this.get(tenantId, id);
    const updated = await this.deps.bundles.bundles.replace({
      id,
      tenantId,
      applicationId,
      createdAt,
      ...content,
    });
    if (!updated) throw new NotFoundError('bundle', id);
    return updated;
  }

  /**
   * Deletes the bundle's credential requests (ending their workflows), the bundle, then its API
   * and event definitions and documents; requests stored meanwhile are deleted after it. A
   * deletion that stopped halfway is finished by deleting the bundle again.
   */
  async delete(tenantId: string, id: string): Promise<Bundle> {
    await this.deps.instanceAuths?.deleteForBundle(tenantId, id);
    const deleted = await this.deps.bundles.deleteBundle(tenantId, id);
    if (!deleted) throw new NotFoundError('bundle', id);
    await this.deps.instanceAuths?.deleteForBundle(tenantId, id);
    return deleted;
  }
}
