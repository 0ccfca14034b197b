import type { Db } from 'mongodb';

/** A client certificate the Connector issued, by the SHA-256 of its DER (`_id`). */
export interface IssuedCertificateRecord {
  readonly hash: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly serialHex: string;
  readonly notAfter: string;
  readonly issuedAt: string;
  /** Set when revoked; a revoked certificate is refused on every call. */
  readonly revokedAt?: string;
  /** The pairing that issued the client's first certificate: its first call completes it. */
  readonly pairingWorkflowId?: string;
  /** Set by the certificate workflow when 30% of the validity remains: the client should renew. */
  readonly renewalRequiredAt?: string;
}

interface CertificateDocument extends Omit<IssuedCertificateRecord, 'hash'> {
  _id: string;
}

export const CERTIFICATES = 'certificates';

/**
 * The revocation feed: one small document per revoked certificate still within its validity,
 * so gateways polling it every second read only revocations, never the whole certificate
 * collection (which FerretDB's SQLite backend scans in full for any filter but `_id`).
 */
export const CERTIFICATE_REVOCATIONS = 'certificate_revocations';

interface RevocationDocument {
  /** The certificate's hash. */
  _id: string;
  /** When the revocation entered the feed (ISO time). */
  revokedAt: string;
  /** The certificate's own expiry: after it the entry is of no use and is pruned. */
  notAfter: string;
}

/** The index of a client's certificates, by which a pairing's earlier attempts are found. */
export async function ensureCertificateIndexes(db: Db): Promise<void> {
  await db.collection(CERTIFICATES).createIndex({ tenantId: 1, clientId: 1 }, { name: 'tenant_client' });
  await db.collection(CERTIFICATE_REVOCATIONS).createIndex({ revokedAt: 1 }, { name: 'revoked_at' });
}

/** Issued certificates; the mTLS listener checks each presented certificate here by hash. */
export class CertificateRepository {
  private readonly col;
  private readonly revocations;

  constructor(db: Db) {
    this.col = db.collection<CertificateDocument>(CERTIFICATES);
    this.revocations = db.collection<RevocationDocument>(CERTIFICATE_REVOCATIONS);
  }

  /** Global by design: a TLS peer presents only its certificate. */
  async getByHashGlobal(hash: string): Promise<IssuedCertificateRecord | undefined> {
    const doc = await this.col.findOne({ _id: hash });
    if (!doc) return undefined;
    const { _id, ...rest } = doc;
    return { hash: _id, ...rest };
  }

  /**
   * Records an issued certificate (idempotent by hash). A pairing issues one certificate: one
   * recorded earlier for the same pairing was signed by an attempt whose workflow task never
   * completed (its signing step ran again, with a new serial), so no client holds it; it is removed.
   */
  async put(record: IssuedCertificateRecord): Promise<void> {
    const { hash, ...rest } = record;
    await this.col.replaceOne({ _id: hash }, rest, { upsert: true });
    if (record.pairingWorkflowId !== undefined) {
      const { tenantId, clientId, pairingWorkflowId } = record;
      await this.col.deleteMany({ tenantId, clientId, pairingWorkflowId, _id: { $ne: hash } });
    }
  }

  /** Flags the certificate for renewal (idempotent: the first time is kept). */
  async markRenewalRequired(hash: string, at: string): Promise<void> {
    await this.col.updateOne(
      { _id: hash, renewalRequiredAt: { $exists: false } },
      { $set: { renewalRequiredAt: at } },
    );
  }

  /**
   * Marks the certificate revoked (idempotent: the first revocation time is kept), then puts
   * it on the revocation feed. A repeated call after a failure between the two completes it.
   */
  async revoke(hash: string, at: string): Promise<void> {
    await this.col.updateOne({ _id: hash, revokedAt: { $exists: false } }, { $set: { revokedAt: at } });
    const doc = await this.col.findOne({ _id: hash }, { projection: { notAfter: 1 } });
    if (doc) await this.announce([{ hash, notAfter: doc.notAfter }], at);
  }

  /** Revokes every certificate issued to the client (its SystemAuth is being deleted). */
  async revokeAllOf(tenantId: string, clientId: string, at: string): Promise<void> {
    await this.col.updateMany(
      { tenantId, clientId, revokedAt: { $exists: false } },
      { $set: { revokedAt: at } },
    );
    const docs = await this.col.find({ tenantId, clientId }, { projection: { notAfter: 1 } }).toArray();
    await this.announce(
      docs.map((d) => ({ hash: d._id, notAfter: d.notAfter })),
      at,
    );
  }

  /** The hashes of certificates revoked at or after `since` (ISO time): the revocation feed. */
  async revokedSince(since: string): Promise<string[]> {
    const docs = await this.revocations
      .find({ revokedAt: { $gte: since } }, { projection: { _id: 1 } })
      .toArray();
    return docs.map((d) => d._id);
  }

  /**
   * Puts revoked certificates on the feed (an entry already there keeps its time) and prunes
   * the entries of certificates that have expired since.
   */
  private async announce(
    revoked: ReadonlyArray<{ hash: string; notAfter: string }>,
    at: string,
  ): Promise<void> {
    if (revoked.length > 0)
      await this.revocations.bulkWrite(
        revoked.map(({ hash, notAfter }) => ({
          updateOne: {
            filter: { _id: hash },
            update: { $setOnInsert: { revokedAt: at, notAfter } },
            upsert: true,
          },
        })),
        { ordered: false },
      );
    await this.revocations.deleteMany({ notAfter: { $lt: new Date().toISOString() } });
  }
}
