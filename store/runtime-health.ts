import type { Db, Filter } from 'mongodb';
import { type Page, type PageRequest, mapPage, toPage } from '../domain/pagination';
import type { RuntimeHealth, RuntimeHealthRecord, RuntimeHealthStatus } from '../domain/runtime-health';
import { fromStored, toStored } from './documents';
import { TenantCollection } from './tenant-collection';
import { requireTenant } from './tenant-scope';

/** A runtime's health, keyed by the runtime's ID; written only on transitions. */
export interface RuntimeHealthDocument extends RuntimeHealth {
  _id: string;
  tenantId: string;
}

/** One health transition, listed by `healthChecks`. */
export interface RuntimeHealthRecordDocument extends Omit<RuntimeHealthRecord, 'id'> {
  _id: string;
}

/** A gateway's heartbeat intake: alive and connected to Temporal since `upSince`. */
export interface HeartbeatIntakeDocument {
  _id: string;
  upSince: string;
  lastPulseAt: string;
  pulseMs: number;
}

export const RUNTIME_HEALTH = 'runtime_health';
export const RUNTIME_HEALTH_RECORDS = 'runtime_health_records';
export const HEARTBEAT_INTAKE = 'heartbeat_intake';

export async function ensureRuntimeHealthIndexes(db: Db): Promise<void> {
  await db.collection(RUNTIME_HEALTH).createIndex({ tenantId: 1, status: 1 }, { name: 'tenant_status' });
  await db
    .collection(RUNTIME_HEALTH_RECORDS)
    .createIndex({ tenantId: 1, runtimeId: 1, timestamp: -1 }, { name: 'tenant_runtime_time' });
}

/** Runtimes' health in the read model, tenant-scoped. */
export class RuntimeHealthRepository {
  private readonly col: TenantCollection<RuntimeHealthDocument>;

  constructor(db: Db) {
    this.col = new TenantCollection<RuntimeHealthDocument>(db, RUNTIME_HEALTH, 'RuntimeHealth');
  }

  /** The health of each runtime named, in the order given; absent ones left out. */
  async getMany(tenantId: string, runtimeIds: readonly string[]): Promise<Map<string, RuntimeHealth>> {
    const docs = await this.col.getMany(tenantId, runtimeIds);
    return new Map(docs.map(({ _id, tenantId: _t, ...health }) => [_id, health]));
  }

  /** IDs of the tenant's runtimes in one of `statuses` (UNKNOWN ones may have no document). */
  async idsWithStatus(tenantId: string, statuses: readonly RuntimeHealthStatus[]): Promise<string[]> {
    const docs = await this.col.find(tenantId, {
      status: { $in: [...statuses] },
    } as Filter<RuntimeHealthDocument>);
    return docs.map((d) => d._id);
  }

  /** Writes the runtime's health as given (idempotent). */
  async put(tenantId: string, runtimeId: string, health: RuntimeHealth): Promise<void> {
    await this.col.put({ _id: runtimeId, tenantId, ...health });
  }

  async delete(tenantId: string, runtimeId: string): Promise<void> {
    await this.col.delete(tenantId, runtimeId);
  }
}

/** Health transitions, newest first per tenant (and runtime). */
export class RuntimeHealthRecordRepository {
  private readonly col: TenantCollection<RuntimeHealthRecordDocument>;

  constructor(db: Db) {
    this.col = new TenantCollection<RuntimeHealthRecordDocument>(db, RUNTIME_HEALTH_RECORDS, 'HealthCheck');
  }

  /** Inserts or replaces by ID: a retried write leaves one record. */
  async put(record: RuntimeHealthRecord): Promise<void> {
    await this.col.put(toStored(record));
  }

  /**
   * One page, newest first; the cursor key is `<timestamp>|<id>` of the last record, so pages
   * stay stable while new records arrive.
   */
  async list(
    tenantId: string,
    runtimeId: string | undefined,
    page: PageRequest,
  ): Promise<Page<RuntimeHealthRecord>> {
    requireTenant(tenantId);
    const filter: Record<string, unknown> = { tenantId, ...(runtimeId !== undefined && { runtimeId }) };
    if (page.after !== undefined) {
      const [timestamp = '', id = ''] = page.after.split('|');
      filter.$or = [{ timestamp: { $lt: timestamp } }, { timestamp, _id: { $lt: id } }];
    }
    const rows = await this.col.raw
      .find(filter as Filter<RuntimeHealthRecordDocument>)
      .sort({ timestamp: -1, _id: -1 })
      .limit(page.first + 1)
      .toArray();
    const countFilter = { tenantId, ...(runtimeId !== undefined && { runtimeId }) };
    const result = toPage(
      rows as RuntimeHealthRecordDocument[],
      page,
      () => this.col.raw.countDocuments(countFilter as Filter<RuntimeHealthRecordDocument>),
      (r) => `${r.timestamp}|${r._id}`,
    );
    return mapPage(result, (doc) => fromStored(doc) as RuntimeHealthRecord);
  }

  async deleteForRuntime(tenantId: string, runtimeId: string): Promise<void> {
    await this.col.deleteMany(tenantId, { runtimeId } as Filter<RuntimeHealthRecordDocument>);
  }
}

/**
 * The gateways' heartbeat intake, shared by all tenants: each gateway instance records a pulse
 * while it is up and reaches Temporal, so a runtime's workflow can tell a silent runtime from a
 * silent control plane.
 */
export class HeartbeatIntakeRepository {
  constructor(private readonly db: Db) {}

  private get col() {
    return this.db.collection<HeartbeatIntakeDocument>(HEARTBEAT_INTAKE);
  }

  async pulse(instanceId: string, upSince: string, now: string, pulseMs: number): Promise<void> {
    await this.col.replaceOne({ _id: instanceId }, { upSince, lastPulseAt: now, pulseMs }, { upsert: true });
  }

  /**
   * The earliest time since which some gateway has pulsed without a gap up to `now` (a pulse
   * missing for two periods is a gap), or undefined when none is pulsing.
   */
  async upSince(now: number): Promise<string | undefined> {
    const docs = await this.col.find({}).toArray();
    const live = docs.filter((d) => Date.parse(d.lastPulseAt) >= now - 2 * d.pulseMs - 1000);
    return live.map((d) => d.upSince).sort()[0];
  }

  /** Removes the records of gateways that stopped pulsing before `before`. */
  async forgetBefore(before: string): Promise<void> {
    await this.col.deleteMany({ lastPulseAt: { $lt: before } });
  }
}
