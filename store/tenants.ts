import { isDuplicateKeyError } from './errors';
import type { Db } from 'mongodb';
import { APPLICATIONS } from './applications';
import { RUNTIMES } from './runtimes';

/** A tenant the system knows. Tenants are global: this collection is the one not scoped by tenant. */
export interface TenantDocument {
  _id: string;
  name: string;
  createdAt: string;
}

export const TENANTS = 'tenants';

/** Global access to tenants (methods end in `Global` where they cross tenants by design). */
export class TenantRepository {
  private readonly col;

  constructor(private readonly db: Db) {
    this.col = db.collection<TenantDocument>(TENANTS);
  }

  async get(id: string): Promise<TenantDocument | undefined> {
    return (await this.col.findOne({ _id: id })) ?? undefined;
  }

  /** Creates the tenant unless it exists; returns it either way (idempotent). */
  async ensure(id: string, name: string, now: string): Promise<TenantDocument> {
    try {
      await this.col.updateOne({ _id: id }, { $setOnInsert: { name, createdAt: now } }, { upsert: true });
    } catch (err) {
      // Two first requests of a tenant at once: the other one created it.
      if (!isDuplicateKeyError(err)) throw err;
    }
    return (await this.get(id))!;
  }

  async listGlobal(): Promise<TenantDocument[]> {
    return this.col.find({}).sort({ _id: 1 }).toArray();
  }

  /** Creates each tenant or renames it (idempotent); its creation time is kept. */
  async writeGlobal(tenants: readonly { id: string; name: string }[], now: string): Promise<void> {
    if (tenants.length === 0) return;
    await this.col.bulkWrite(
      tenants.map((t) => ({
        updateOne: {
          filter: { _id: t.id },
          update: { $set: { name: t.name }, $setOnInsert: { createdAt: now } },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }

  /**
   * True when the tenant holds any application or runtime: one indexed `findOne` per
   * collection with a projection, never a count.
   */
  async hasObjects(tenantId: string): Promise<boolean> {
    for (const name of TENANT_OBJECT_COLLECTIONS) {
      const found = await this.db.collection(name).findOne({ tenantId }, { projection: { _id: 1 } });
      if (found) return true;
    }
    return false;
  }
}

/** The collections whose objects make a tenant count as initialized. */
const TENANT_OBJECT_COLLECTIONS = [APPLICATIONS, RUNTIMES] as const;
