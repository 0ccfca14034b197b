import type { Db, Document, Filter } from 'mongodb';
import type { LabelCondition } from '../domain/label-filter';
import type { Labels } from '../domain/labels';
import { mapPage, type Page, type PageRequest } from '../domain/pagination';
import type { Runtime, RuntimeStatus } from '../domain/runtime';
import { labelConditionsToFilter } from './label-query';
import { TenantCollection } from './tenant-collection';
import { fromStored, toStored } from './documents';

/** How a runtime is stored: the domain type keyed by `_id`. */
export interface RuntimeDocument {
  _id: string;
  tenantId: string;
  name: string;
  description?: string;
  labels: Labels;
  scenariosFromAssignments: string[];
  status: RuntimeStatus;
  createdAt: string;
}

export const RUNTIMES = 'runtimes';

/** Indexes of every runtime query path; names are unique per tenant. */
export async function ensureRuntimeIndexes(db: Db): Promise<void> {
  const col = db.collection<RuntimeDocument>(RUNTIMES);
  await col.createIndex({ tenantId: 1, name: 1 }, { unique: true, name: 'tenant_name_unique' });
  await col.createIndex({ tenantId: 1, _id: 1 }, { name: 'tenant_id' });
  await col.createIndex({ tenantId: 1, 'labels.scenarios': 1 }, { name: 'tenant_scenarios' });
}

/** Tenant-scoped access to runtimes. Every method takes the tenant first. */
export class RuntimeRepository {
  private readonly col: TenantCollection<RuntimeDocument>;

  constructor(db: Db) {
    this.col = new TenantCollection<RuntimeDocument>(db, RUNTIMES, 'Runtime');
  }

  async get(tenantId: string, id: string): Promise<Runtime | undefined> {
    const doc = await this.col.get(tenantId, id);
    return doc && toRuntime(doc);
  }

  /**
   * By ID in whichever tenant owns it: only for the Connector's internal API on loopback,
   * whose callers name an object without a tenant.
   */
  async getGlobal(id: string): Promise<Runtime | undefined> {
    const doc = await this.col.raw.findOne({ _id: id });
    return doc ? toRuntime(doc) : undefined;
  }

  /** Pages through a tenant's runtimes matching every label condition, in ID order. */
  async list(
    tenantId: string,
    page: PageRequest,
    conditions: readonly LabelCondition[] = [],
    /** A further filter, e.g. the runtimes of some health status by `_id`. */
    extra: Document = {},
  ): Promise<Page<Runtime>> {
    const filter = { ...(labelConditionsToFilter(conditions) as Document), ...extra };
    const result = await this.col.page(tenantId, filter, page);
    return mapPage(result, toRuntime);
  }

  /** The tenant's runtime with this name, if any. */
  async findByName(tenantId: string, name: string): Promise<Runtime | undefined> {
    const [doc] = await this.col.find(tenantId, { name } as Filter<RuntimeDocument>);
    return doc && toRuntime(doc);
  }

  /** Runtimes whose label `key` equals `value`. */
  async findByLabel(tenantId: string, key: string, value: unknown): Promise<Runtime[]> {
    const docs = await this.col.find(tenantId, { [`labels.${key}`]: value } as Filter<RuntimeDocument>);
    return docs.map(toRuntime);
  }

  /** Runtimes sharing at least one of `scenarios`, oldest first. */
  async findInScenarios(tenantId: string, scenarios: readonly string[]): Promise<Runtime[]> {
    if (scenarios.length === 0) return [];
    const docs = await this.col.find(tenantId, {
      'labels.scenarios': { $in: [...scenarios] },
    } as Filter<RuntimeDocument>);
    return docs
      .map(toRuntime)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  /** Runtimes to which an assignment gave `scenarioName`. */
  async findAssigned(tenantId: string, scenarioName: string): Promise<Runtime[]> {
    const docs = await this.col.find(tenantId, {
      scenariosFromAssignments: scenarioName,
    } as Filter<RuntimeDocument>);
    return docs.map(toRuntime);
  }

  /**
   * Writes the runtime as given. Idempotent, so a retried activity is safe; a name taken by
   * another runtime of the tenant → NotUnique.
   */
  async put(runtime: Runtime): Promise<Runtime> {
    await this.col.put(toDocument(runtime));
    return runtime;
  }

  /** Replaces the labels (and which scenarios came from assignments); undefined when absent. */
  async setLabels(
    tenantId: string,
    id: string,
    labels: Labels,
    scenariosFromAssignments: readonly string[],
  ): Promise<Runtime | undefined> {
    const doc = await this.col.update(tenantId, id, {
      $set: { labels: { ...labels }, scenariosFromAssignments: [...scenariosFromAssignments] },
    });
    return doc && toRuntime(doc);
  }

  /** Sets one label without touching the others (Director-managed labels). */
  async setLabel(tenantId: string, id: string, key: string, value: unknown): Promise<void> {
    await this.col.update(tenantId, id, { $set: { [`labels.${key}`]: value } });
  }

  /** Removes label `key` from every runtime of the tenant that has it. */
  async unsetLabelEverywhere(tenantId: string, key: string): Promise<void> {
    const path = `labels.${key}`;
    await this.col.raw.updateMany({ tenantId, [path]: { $exists: true } }, { $unset: { [path]: '' } });
  }

  /** Removes the runtime; true when it existed. Idempotent. */
  delete(tenantId: string, id: string): Promise<boolean> {
    return this.col.delete(tenantId, id);
  }
}

function toDocument(runtime: Runtime): RuntimeDocument {
  return {
    ...toStored(runtime),
    labels: { ...runtime.labels },
    scenariosFromAssignments: [...runtime.scenariosFromAssignments],
  };
}

function toRuntime(doc: RuntimeDocument): Runtime {
  const runtime = fromStored(doc);
  return { ...runtime, scenariosFromAssignments: runtime.scenariosFromAssignments ?? [] };
}
