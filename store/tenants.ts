import type { Db } from 'mongodb';

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

  constructor(db: Db) {
    this.col = db.collection<TenantDocument>(TENANTS);
  }

  async get(id: string): Promise<TenantDocument | undefined> {
    return (await this.col.findOne({ _id: id })) ?? undefined;
  }

  /** Creates the tenant unless it exists; returns it either way (idempotent). */
  async ensure(id: string, name: string, now: string): Promise<TenantDocument> {
    await this.col.updateOne({ _id: id }, { $setOnInsert: { name, createdAt: now } }, { upsert: true });
    return (await this.get(id))!;
  }

  async listGlobal(): Promise<TenantDocument[]> {
    return this.col.find({}).sort({ _id: 1 }).toArray();
  }
}
