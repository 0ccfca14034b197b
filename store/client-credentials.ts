import type { Db } from 'mongodb';
import { TenantCollection } from './tenant-collection';

/** A SystemAuth's OAuth client secret; `_id` is the client ID (the SystemAuth ID). */
export interface ClientCredentialDocument {
  _id: string;
  tenantId: string;
  /** SHA-256 (hex) of the 32-byte random secret: what the token endpoint verifies. */
  secretHash: string;
  /**
   * The secret sealed with the installation's SecretBox (see SealedClientSecret), so the
   * Director can show it again; absent on credentials issued before secrets were kept sealed.
   */
  sealedSecret?: string;
  createdAt: string;
}

export const CLIENT_CREDENTIALS = 'client_credentials';

/**
 * Client secrets of SystemAuths, by client ID. The token endpoint reads them by client ID
 * alone (`getGlobal`): like a certificate, a client ID is how a system reveals its tenant.
 */
export class ClientCredentialRepository {
  private readonly col: TenantCollection<ClientCredentialDocument>;

  constructor(db: Db) {
    this.col = new TenantCollection<ClientCredentialDocument>(db, CLIENT_CREDENTIALS, 'ClientCredential');
  }

  async getGlobal(clientId: string): Promise<ClientCredentialDocument | undefined> {
    return (await this.col.raw.findOne({ _id: clientId })) ?? undefined;
  }

  /** The tenant's documents of these client IDs (any order; missing ones are left out). */
  getMany(tenantId: string, clientIds: readonly string[]): Promise<ClientCredentialDocument[]> {
    return this.col.getMany(tenantId, clientIds);
  }

  async insert(doc: ClientCredentialDocument): Promise<void> {
    await this.col.insert(doc);
  }

  delete(tenantId: string, clientId: string): Promise<boolean> {
    return this.col.delete(tenantId, clientId);
  }
}
