import type { CertificateCache } from '../auth/certificate-auth';
import { randomUUID } from 'node:crypto';
import type { OAuthCredentialData } from '../../domain/auth';
import { NotFoundError } from '../../domain/errors';
import { type SystemAuth, SystemAuthKind } from '../../domain/system-auth';
import type { SecretBox } from '../../infra/secret-box';
import type { ClientCredentialRepository } from '../../store/client-credentials';
import type { SystemAuthRepository } from '../../store/system-auths';
import { generateClientSecret, hashClientSecret } from '../auth/client-credentials';

export interface SystemAuthServiceDeps {
  readonly systemAuths: Pick<SystemAuthRepository, 'get' | 'put' | 'delete' | 'listForObjects'>;
  readonly credentials: Pick<ClientCredentialRepository, 'insert' | 'delete' | 'getMany'>;
  /** Seals client secrets at rest (SECRET_ENCRYPTION_KEY), so they can be shown again. */
  readonly secretBox: Pick<SecretBox, 'sealJson' | 'openJson'>;
  readonly applications: { get(tenantId: string, id: string): Promise<unknown> };
  readonly runtimes: { get(tenantId: string, id: string): Promise<unknown> };
  readonly integrationSystems: { get(id: string): Promise<unknown> };
  /** `<PUBLIC_URL>/oauth/token`: where a client exchanges its credentials for an access token. */
  readonly tokenUrl: string;
  /** Told of each deleted SystemAuth, whose certificates are revoked with it. */
  readonly certificateCache?: Pick<CertificateCache, 'forgetClient'>;
}

/**
 * A SystemAuth as the API shows it. `auth` is set in the answer that creates the credentials;
 * elsewhere the `auth` field reads them on demand (see {@link SystemAuthService.credentialsOf}).
 */
export interface SystemAuthView {
  readonly id: string;
  readonly tenantId: string;
  /** The application, runtime or integration system the SystemAuth identifies. */
  readonly referenceObjectId: string;
  readonly auth?: { readonly credential: OAuthCredentialData };
}

/** What a SystemAuth's stored credentials read as: none, the credential, or sealed with another key. */
export interface StoredCredential {
  readonly credential?: OAuthCredentialData;
  readonly unreadable?: true;
}

/** The sealed form of a client secret: bound to its client ID, so it cannot be moved to another. */
interface SealedClientSecret {
  readonly clientId: string;
  readonly clientSecret: string;
}

function viewOf(auth: SystemAuth): SystemAuthView {
  return { id: auth.id, tenantId: auth.tenantId, referenceObjectId: auth.referenceObjectId };
}

const OBJECT: Readonly<Record<SystemAuthKind, string>> = {
  [SystemAuthKind.APPLICATION]: 'application',
  [SystemAuthKind.RUNTIME]: 'runtime',
  [SystemAuthKind.INTEGRATION_SYSTEM]: 'integrationSystem',
};

/**
 * OAuth2 client credentials of applications, runtimes and integration systems. Each request
 * creates a SystemAuth (its ID is the client ID) in the caller's tenant and a random secret,
 * stored as a hash (what the token endpoint verifies) and sealed (what reading the SystemAuth's
 * `auth` shows again, as Compass shows its OAuth clients).
 */
export class SystemAuthService {
  constructor(private readonly deps: SystemAuthServiceDeps) {}

  async requestClientCredentials(
    tenantId: string,
    kind: SystemAuthKind,
    objectId: string,
  ): Promise<SystemAuthView> {
    if (!(await this.exists(tenantId, kind, objectId))) throw new NotFoundError(OBJECT[kind], objectId);
    const auth: SystemAuth = {
      id: randomUUID(),
      tenantId,
      kind,
      referenceObjectId: objectId,
      createdAt: new Date().toISOString(),
    };
    const clientSecret = generateClientSecret();
    // The secret first: a SystemAuth never exists without its hash, and an orphan hash is harmless.
    const sealed: SealedClientSecret = { clientId: auth.id, clientSecret };
    await this.deps.credentials.insert({
      _id: auth.id,
      tenantId,
      secretHash: hashClientSecret(clientSecret),
      sealedSecret: this.deps.secretBox.sealJson(sealed),
      createdAt: auth.createdAt,
    });
    await this.deps.systemAuths.put(auth);
    return {
      ...viewOf(auth),
      auth: { credential: { clientId: auth.id, clientSecret, url: this.deps.tokenUrl } },
    };
  }

  /**
   * The client credentials of these SystemAuths of the tenant, in the order of `ids` (for
   * DataLoader): none for a SystemAuth without (a certificate identity, or one issued before
   * secrets were sealed), unreadable when sealed with another key.
   */
  async credentialsOf(tenantId: string, ids: readonly string[]): Promise<StoredCredential[]> {
    const docs = new Map((await this.deps.credentials.getMany(tenantId, ids)).map((d) => [d._id, d]));
    return ids.map((id) => {
      const sealed = docs.get(id)?.sealedSecret;
      if (!sealed) return {};
      let opened: SealedClientSecret;
      try {
        opened = this.deps.secretBox.openJson<SealedClientSecret>(sealed);
      } catch {
        return { unreadable: true };
      }
      if (opened.clientId !== id) return { unreadable: true };
      return { credential: { clientId: id, clientSecret: opened.clientSecret, url: this.deps.tokenUrl } };
    });
  }

  /** Deletes a SystemAuth of this kind in the tenant; any other → NotFound. Its tokens are refused from then on. */
  async delete(tenantId: string, kind: SystemAuthKind, authId: string): Promise<SystemAuthView> {
    const auth = await this.deps.systemAuths.get(tenantId, authId);
    if (!auth || auth.kind !== kind) throw new NotFoundError('systemAuth', authId);
    await this.deps.systemAuths.delete(tenantId, authId);
    this.deps.certificateCache?.forgetClient(authId);
    await this.deps.credentials.delete(tenantId, authId);
    return viewOf(auth);
  }

  /** Each object's SystemAuths in the tenant, in the order of `objectIds` (for DataLoader). */
  async forObjects(tenantId: string, objectIds: readonly string[]): Promise<SystemAuthView[][]> {
    const byObject = await this.deps.systemAuths.listForObjects(tenantId, objectIds);
    return objectIds.map((id) => (byObject.get(id) ?? []).map(viewOf));
  }

  private async exists(tenantId: string, kind: SystemAuthKind, id: string): Promise<boolean> {
    if (kind === SystemAuthKind.APPLICATION) return Boolean(await this.deps.applications.get(tenantId, id));
    if (kind === SystemAuthKind.RUNTIME) return Boolean(await this.deps.runtimes.get(tenantId, id));
    return Boolean(await this.deps.integrationSystems.get(id));
  }
}
