import type { Db, Document, Filter } from 'mongodb';
import type { LabelCondition } from '../domain/label-filter';
import type { Labels } from '../domain/labels';
import { mapPage, type Page, type PageRequest } from '../domain/pagination';
import type { RuntimeContext } from '../domain/runtime-context';
import { labelConditionsToFilter } from './label-query';
import { TenantCollection } from './tenant-collection';
import { fromStored, toStored } from './documents';

/** How a runtime context is stored. */
export interface RuntimeContextDocument {
  _id: string;
  tenantId: string;
  runtimeId: string;
  key: string;
  value: string;
  labels: Labels;
}

export const RUNTIME_CONTEXTS = 'runtime_contexts';

export async function ensureRuntimeContextIndexes(db: Db): Promise<void> {
  const col = db.collection<RuntimeContextDocument>(RUNTIME_CONTEXTS);
  await col.createIndex({ tenantId: 1, _id: 1 }, { name: 'tenant_id' });
  await col.createIndex({ tenantId: 1, runtimeId: 1 }, { name: 'tenant_runtime' });
}

/** Tenant-scoped access to runtime contexts. */
export class RuntimeContextRepository {
  private readonly col: TenantCollection<RuntimeContextDocument>;

  constructor(db: Db) {
    this.col = new TenantCollection<RuntimeContextDocument>(db, RUNTIME_CONTEXTS, 'RuntimeContext');
  }

  async get(tenantId: string, id: string): Promise<RuntimeContext | undefined> {
    const doc = await this.col.get(tenantId, id);
    return doc && toContext(doc);
  }

  /**
   * Pages through the tenant's runtime contexts matching every label condition, of one
   * runtime when `runtimeId` is given.
   */
  async list(
    tenantId: string,
    page: PageRequest,
    conditions: readonly LabelCondition[] = [],
    runtimeId?: string,
  ): Promise<Page<RuntimeContext>> {
    const filter = labelConditionsToFilter(conditions);
    const result = await this.col.page(
      tenantId,
      (runtimeId === undefined ? filter : { ...filter, runtimeId }) as Document,
      page,
    );
    return mapPage(result, toContext);
  }

  /** Creates or replaces the context (idempotent). */
  async put(context: RuntimeContext): Promise<RuntimeContext> {
    await this.col.put({ ...toStored(context), labels: { ...context.labels } });
    return context;
  }

  delete(tenantId: string, id: string): Promise<boolean> {
    return this.col.delete(tenantId, id);
  }

  /** Removes every context of a runtime (after the runtime itself is gone). */
  deleteForRuntime(tenantId: string, runtimeId: string): Promise<number> {
    return this.col.deleteMany(tenantId, { runtimeId } as Filter<RuntimeContextDocument>);
  }
}

const toContext = (doc: RuntimeContextDocument): RuntimeContext => fromStored(doc);
