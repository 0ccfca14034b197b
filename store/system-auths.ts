import type { Db } from 'mongodb';
import type { SystemAuth, SystemAuthKind } from '../domain/system-auth';
import { CertificateRepository } from './certificates';
import { TenantCollection } from './tenant-collection';
import { fromStored, toStored } from './documents';

export interface SystemAuthDocument {
  _id: string;
  tenantId: string;
  kind: SystemAuthKind;
  referenceObjectId: string;
  createdAt: string;
}

export const SYSTEM_AUTHS = 'system_auths';

export async function ensureSystemAuthIndexes(db: Db): Promise<void> {
  await db
    .collection(SYSTEM_AUTHS)
    .createIndex({ tenantId: 1, referenceObjectId: 1 }, { name: 'tenant_object' });
}

/**
 * System identities. Looking one up by client ID alone (`getGlobal`) is how a certificate or
 * a client credential reveals its tenant: the only deliberate cross-tenant read.
 */
export class SystemAuthRepository {
  private readonly col: TenantCollection<SystemAuthDocument>;

  private readonly certificates: CertificateRepository;

  constructor(db: Db) {
    this.col = new TenantCollection<SystemAuthDocument>(db, SYSTEM_AUTHS, 'SystemAuth');
    this.certificates = new CertificateRepository(db);
  }

  async getGlobal(clientId: string): Promise<SystemAuth | undefined> {
    const doc = await this.col.raw.findOne({ _id: clientId });
    return doc ? toSystemAuth(doc) : undefined;
  }

  async get(tenantId: string, clientId: string): Promise<SystemAuth | undefined> {
    const doc = await this.col.get(tenantId, clientId);
    return doc && toSystemAuth(doc);
  }

  /** The SystemAuths of each object, by object ID, in one query. */
  async listForObjects(tenantId: string, objectIds: readonly string[]): Promise<Map<string, SystemAuth[]>> {
    const docs = await this.col.find(tenantId, { referenceObjectId: { $in: [...objectIds] } });
    const byObject = new Map<string, SystemAuth[]>(objectIds.map((id) => [id, []]));
    for (const doc of docs) byObject.get(doc.referenceObjectId)?.push(toSystemAuth(doc));
    return byObject;
  }

  async listForObject(tenantId: string, referenceObjectId: string): Promise<SystemAuth[]> {
    return (await this.col.find(tenantId, { referenceObjectId })).map(toSystemAuth);
  }

  async put(auth: SystemAuth): Promise<SystemAuth> {
    await this.col.put(toStored(auth));
    return auth;
  }

  /**
   * Deletes the SystemAuth after revoking the certificates issued to it, so every gateway's
   * revocation feed refuses them (not only the lookup of the SystemAuth, which caches skip).
   */
  async delete(tenantId: string, clientId: string): Promise<boolean> {
    await this.certificates.revokeAllOf(tenantId, clientId, new Date().toISOString());
    return this.col.delete(tenantId, clientId);
  }
}

const toSystemAuth = (doc: SystemAuthDocument): SystemAuth => fromStored(doc);
