import type { Db } from 'mongodb';
import type { Auth } from '../domain/auth';
import {
  type BundleInstanceAuth,
  type BundleInstanceAuthRecord,
  type BundleInstanceAuthStatusCondition,
  notPendingError,
} from '../domain/bundle-instance-auth';
import { NotUniqueError } from '../domain/errors';
import type { SecretBox } from '../infra/secret-box';
import { fromStored, toStored, type StoredAs } from './documents';
import { TenantCollection } from './tenant-collection';
import { requireTenant } from './tenant-scope';

/** How a credential request is stored: the record keyed by `_id`; its Auth only sealed. */
export type BundleInstanceAuthDocument = StoredAs<BundleInstanceAuthRecord>;

export const BUNDLE_INSTANCE_AUTHS = 'bundleInstanceAuths';

/** Requests are read by ID and by bundle; both index paths lead with tenantId. */
export async function ensureBundleInstanceAuthIndexes(db: Db): Promise<void> {
  const col = db.collection<BundleInstanceAuthDocument>(BUNDLE_INSTANCE_AUTHS);
  await col.createIndex({ tenantId: 1, bundleId: 1 }, { name: 'tenant_bundle' });
  await col.createIndex({ tenantId: 1, _id: 1 }, { name: 'tenant_id' });
  await col.createIndex({ tenantId: 1, applicationId: 1 }, { name: 'tenant_application' });
}

/** The request as the API returns it, its Auth opened; never log the result. */
export function openBundleInstanceAuth(record: BundleInstanceAuthRecord, box: SecretBox): BundleInstanceAuth {
  const { authSealed, ...rest } = record;
  return { ...rest, ...(authSealed !== undefined && { auth: box.openJson<Auth>(authSealed) }) };
}

/**
 * Tenant-scoped access to credential requests (bundle instance auths). Only the
 * credential-request workflow's activities write them; every method takes the tenant first.
 */
export class BundleInstanceAuthRepository {
  private readonly col: TenantCollection<BundleInstanceAuthDocument>;

  constructor(db: Db) {
    this.col = new TenantCollection<BundleInstanceAuthDocument>(
      db,
      BUNDLE_INSTANCE_AUTHS,
      'bundleInstanceAuth',
    );
  }

  async get(tenantId: string, id: string): Promise<BundleInstanceAuthRecord | undefined> {
    const doc = await this.col.get(tenantId, id);
    return doc && fromStored(doc);
  }

  /** The requests of each bundle, by bundle ID, in creation order. */
  async listForBundles(
    tenantId: string,
    bundleIds: readonly string[],
  ): Promise<Map<string, BundleInstanceAuthRecord[]>> {
    const byBundle = new Map<string, BundleInstanceAuthRecord[]>(bundleIds.map((id) => [id, []]));
    if (bundleIds.length === 0) return byBundle;
    const docs = await this.col.find(tenantId, { bundleId: { $in: [...bundleIds] } });
    docs.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a._id.localeCompare(b._id));
    for (const doc of docs) byBundle.get(doc.bundleId)?.push(fromStored(doc));
    return byBundle;
  }

  /** The IDs of an application's requests (unregistration ends each one). */
  async idsForApplication(tenantId: string, applicationId: string): Promise<string[]> {
    const docs = await this.col.find(tenantId, { applicationId });
    return docs.map((doc) => doc._id).sort();
  }

  /**
   * Writes the record as given (idempotent: a retried write changes nothing). A new request is
   * one insert; only when its ID is taken (a retried write) is the owner checked and the
   * record replaced.
   */
  async put(record: BundleInstanceAuthRecord): Promise<BundleInstanceAuthRecord> {
    requireTenant(record.tenantId);
    try {
      await this.col.insert(toStored(record));
    } catch (err) {
      if (!(err instanceof NotUniqueError)) throw err;
      await this.col.put(toStored(record));
    }
    return record;
  }

  /**
   * Replaces the record when its condition is one of `from` (or it already is `next`, for a
   * retried write); otherwise InvalidOperation, as setting a request outside PENDING is.
   * Absent → undefined.
   */
  async transition(
    from: readonly BundleInstanceAuthStatusCondition[],
    next: BundleInstanceAuthRecord,
  ): Promise<BundleInstanceAuthRecord | undefined> {
    const stored = toStored(next);
    const updated = await this.col.update(next.tenantId, next.id, async (current) => {
      const same =
        current.status.condition === next.status.condition &&
        current.status.timestamp === next.status.timestamp;
      if (!same && !from.includes(current.status.condition)) throw notPendingError(next.id);
      const { _id, ...fields } = stored;
      const unset = Object.fromEntries(
        (['authSealed', 'context', 'inputParams', 'runtimeId'] as const)
          .filter((k) => fields[k] === undefined)
          .map((k) => [k, '']),
      );
      return { $set: fields, ...(Object.keys(unset).length > 0 && { $unset: unset }) };
    });
    return updated && fromStored(updated);
  }

  /** Removes one request; returns it as it was. */
  async delete(tenantId: string, id: string): Promise<BundleInstanceAuthRecord | undefined> {
    const existing = await this.get(tenantId, id);
    if (!existing) return undefined;
    return (await this.col.delete(tenantId, id)) ? existing : undefined;
  }
}
