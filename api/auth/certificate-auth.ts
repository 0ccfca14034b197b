import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { UnauthorizedError } from '../../domain/errors';
import { SystemAuthKind } from '../../domain/system-auth';
import type { IssuedCertificateRecord } from '../../store/certificates';
import type { SystemAuth } from '../../domain/system-auth';
import { ConsumerKind } from './identity';
import type { RequestIdentity } from './request-identity';
import { defaultScopesFor } from './scopes';

/** What the TLS layer tells about the peer: its certificate's DER and subject CN. */
export interface PresentedCertificate {
  readonly raw: Buffer;
  readonly commonName: string | undefined;
}

export interface CertificateAuthenticatorDeps {
  readonly certificates: {
    getByHashGlobal(hash: string): Promise<IssuedCertificateRecord | undefined>;
    revokedSince(since: string): Promise<string[]>;
  };
  readonly systemAuths: { getGlobal(clientId: string): Promise<SystemAuth | undefined> };
  readonly now?: () => number;
  /**
   * How often the revocation feed is read (ms); 0: no cache, every call reads the store.
   * While the feed is fresh, a certificate's identity is kept after its first lookup.
   */
  readonly revocationPollMs?: number;
  /** Identities kept at most (the oldest go first). */
  readonly cacheEntries?: number;
  readonly log?: Pick<Logger, 'warn'>;
}

/** What a gateway's services tell the certificate identities they revoke. */
export interface CertificateCache {
  forget(hash: string): void;
  forgetClient(clientId: string): void;
}

export const NO_CERTIFICATE_CACHE: CertificateCache = {
  forget: () => undefined,
  forgetClient: () => undefined,
};

interface CachedIdentity {
  readonly identity: CertificateIdentity;
  readonly notAfterMs: number;
}

/** Revocations are read again this long back (ms): writers' clocks and slow lookups. */
const FEED_OVERLAP_MS = 30_000;
/** A lookup slower than this is not cached: it may have read before a revocation the feed already passed. */
const SLOW_LOOKUP_MS = 5_000;
/** The feed counts as fresh for this many poll periods after its last successful read. */
const FRESH_POLLS = 3;

/** A certificate-authenticated caller; `certificateHash` and `clientId` are always present. */
export type CertificateIdentity = RequestIdentity & {
  readonly via: 'certificate';
  readonly clientId: string;
  readonly certificateHash: string;
  readonly tenant: string;
};

const REFUSED = () => new UnauthorizedError('the client certificate is not valid');

/**
 * Maps a client certificate the TLS layer already verified against the CA to the caller it
 * identifies: the certificate must be one the Connector issued (by hash), neither revoked nor
 * expired, and its CN must be the SystemAuth it was issued to. The SystemAuth gives the kind,
 * the object (consumer ID) and the tenant. Every refusal is the same Unauthorized (26), so a
 * caller learns nothing about why.
 *
 * With a revocation feed (`revocationPollMs`), an identity found is kept until its certificate
 * expires, so an agent's calls after the first read nothing: every poll reads the certificates
 * revoked lately (deleting a SystemAuth revokes its certificates) and forgets them, so a
 * revocation anywhere takes effect on every gateway within a poll period, and at once on the
 * gateway that made it (`forget`). A stale feed (the store unreachable) means no cache.
 */
export class CertificateAuthenticator implements CertificateCache {
  private readonly cache = new Map<string, CachedIdentity>();
  private freshUntilMs = 0;
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;

  constructor(private readonly deps: CertificateAuthenticatorDeps) {}

  /**
   * Starts reading the revocation feed (a no-op without `revocationPollMs`). Until the first
   * read, and whenever the feed is stale (the store unreachable), every call reads the store.
   */
  async start(): Promise<void> {
    const pollMs = this.deps.revocationPollMs ?? 0;
    if (pollMs <= 0 || this.timer) return;
    await this.poll();
    this.timer = setInterval(() => void this.poll(), pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.polling;
    this.cache.clear();
  }

  /** Forgets the certificate (revoked here): the next call presenting it reads the store. */
  forget(hash: string): void {
    this.cache.delete(hash);
  }

  /** Forgets every certificate of the client (its SystemAuth deleted here). */
  forgetClient(clientId: string): void {
    for (const [hash, entry] of this.cache) if (entry.identity.clientId === clientId) this.cache.delete(hash);
  }

  async authenticate(presented: PresentedCertificate): Promise<CertificateIdentity> {
    if (presented.raw.length === 0 || !presented.commonName) throw REFUSED();
    const hash = createHash('sha256').update(presented.raw).digest('hex');
    const started = this.now();
    const cached = this.cache.get(hash);
    if (cached && started < this.freshUntilMs && started < cached.notAfterMs) {
      if (cached.identity.clientId !== presented.commonName) throw REFUSED();
      return cached.identity;
    }
    const found = await this.lookUp(presented.commonName, hash);
    if (this.timer && this.now() - started < SLOW_LOOKUP_MS) this.remember(hash, found);
    return found.identity;
  }

  private remember(hash: string, entry: CachedIdentity): void {
    this.cache.delete(hash);
    this.cache.set(hash, entry);
    const max = this.deps.cacheEntries ?? 100_000;
    for (const oldest of this.cache.keys()) {
      if (this.cache.size <= max) break;
      this.cache.delete(oldest);
    }
  }

  /** Reads the certificates revoked lately and forgets them; the feed is then fresh again. */
  private poll(): Promise<void> {
    this.polling ??= (async () => {
      const startedAt = this.now();
      try {
        const revoked = await this.deps.certificates.revokedSince(
          new Date(startedAt - FEED_OVERLAP_MS).toISOString(),
        );
        for (const hash of revoked) this.cache.delete(hash);
        this.freshUntilMs = startedAt + FRESH_POLLS * (this.deps.revocationPollMs ?? 0);
      } catch (err) {
        this.deps.log?.warn({ err }, 'reading the certificate revocation feed failed');
      } finally {
        this.polling = undefined;
      }
    })();
    return this.polling;
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  private async lookUp(commonName: string, hash: string): Promise<CachedIdentity> {
    const record = await this.deps.certificates.getByHashGlobal(hash);
    const now = this.now();
    if (!isUsableCertificate(record, commonName, now)) throw REFUSED();
    const auth = await this.deps.systemAuths.getGlobal(record.clientId);
    if (!auth || auth.tenantId !== record.tenantId || auth.kind === SystemAuthKind.INTEGRATION_SYSTEM) {
      throw REFUSED();
    }
    const kind = auth.kind === SystemAuthKind.RUNTIME ? ConsumerKind.Runtime : ConsumerKind.Application;
    const identity: CertificateIdentity = {
      kind,
      consumerId: auth.referenceObjectId,
      tenant: auth.tenantId,
      scopes: defaultScopesFor(kind),
      via: 'certificate',
      clientId: auth.id,
      certificateHash: hash,
    };
    return { identity, notAfterMs: Date.parse(record.notAfter) };
  }
}

/**
 * Whether an issued certificate still identifies the client named `commonName` at `now` (ms):
 * it exists, is not revoked, has not expired (`notAfter` is exclusive) and was issued to
 * that client.
 */
export function isUsableCertificate(
  record: IssuedCertificateRecord | undefined,
  commonName: string,
  now: number,
): record is IssuedCertificateRecord {
  return (
    record !== undefined &&
    record.revokedAt === undefined &&
    !(Date.parse(record.notAfter) <= now) &&
    record.clientId === commonName
  );
}

/**
 * Applications and runtimes act in their SystemAuth's tenant. A `Tenant` header naming another
 * tenant is refused, as Compass blanks the tenant on a mismatch; an absent header is fine.
 */
export function checkTenantHeader(
  identity: CertificateIdentity,
  header: string | string[] | undefined,
): void {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (value && value !== identity.tenant) {
    throw new UnauthorizedError('the Tenant header does not match the client certificate');
  }
}
