import { randomUUID } from 'node:crypto';
import type { OAuthCredentialData } from '../../domain/auth';
import { NotFoundError } from '../../domain/errors';
import { type SystemAuth, SystemAuthKind } from '../../domain/system-auth';
import type { ClientCredentialRepository } from '../../store/client-credentials';
import type { SystemAuthRepository } from '../../store/system-auths';
import { generateClientSecret, hashClientSecret } from '../auth/client-credentials';

export interface SystemAuthServiceDeps {
  readonly systemAuths: Pick<SystemAuthRepository, 'get' | 'put' | 'delete' | 'listForObjects'>;
  readonly credentials: Pick<ClientCredentialRepository, 'insert' | 'delete'>;
  readonly applications: { get(tenantId: string, id: string): Promise<unknown> };
  readonly runtimes: { get(tenantId: string, id: string): Promise<unknown> };
  readonly integrationSystems: { get(id: string): Promise<unknown> };
  /** `<PUBLIC_URL>/oauth/token`: where a client exchanges its credentials for an access token. */
  readonly tokenUrl: string;
}

/** A SystemAuth as the API shows it; `auth` only in the answer that creates the credentials. */
export interface SystemAuthView {
  readonly id: string;
  readonly auth?: { readonly credential: OAuthCredentialData };
}

const OBJECT: Readonly<Record<SystemAuthKind, string>> = {
  [SystemAuthKind.APPLICATION]: 'application',
  [SystemAuthKind.RUNTIME]: 'runtime',
  [SystemAuthKind.INTEGRATION_SYSTEM]: 'integrationSystem',
};

/**
 * OAuth2 client credentials of applications, runtimes and integration systems. Each request
 * creates a SystemAuth (its ID is the client ID) in the caller's tenant and a random secret
 * that is returned once and stored only as a hash.
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
    await this.deps.credentials.insert({
      _id: auth.id,
      tenantId,
      secretHash: hashClientSecret(clientSecret),
      createdAt: auth.createdAt,
    });
    await this.deps.systemAuths.put(auth);
    return {
      id: auth.id,
      auth: { credential: { clientId: auth.id, clientSecret, url: this.deps.tokenUrl } },
    };
  }

  /** Deletes a SystemAuth of this kind in the tenant; any other → NotFound. Its tokens are refused from then on. */
  async delete(tenantId: string, kind: SystemAuthKind, authId: string): Promise<SystemAuthView> {
    const auth = await this.deps.systemAuths.get(tenantId, authId);
    if (!auth || auth.kind !== kind) throw new NotFoundError('systemAuth', authId);
    await this.deps.systemAuths.delete(tenantId, authId);
    await this.deps.credentials.delete(tenantId, authId);
    return { id: auth.id };
  }

  /** Each object's SystemAuths in the tenant, IDs only, in the order of `objectIds` (for DataLoader). */
  async forObjects(tenantId: string, objectIds: readonly string[]): Promise<SystemAuthView[][]> {
    const byObject = await this.deps.systemAuths.listForObjects(tenantId, objectIds);
    return objectIds.map((id) => (byObject.get(id) ?? []).map((a) => ({ id: a.id })));
  }

  private async exists(tenantId: string, kind: SystemAuthKind, id: string): Promise<boolean> {
    if (kind === SystemAuthKind.APPLICATION) return Boolean(await this.deps.applications.get(tenantId, id));
    if (kind === SystemAuthKind.RUNTIME) return Boolean(await this.deps.runtimes.get(tenantId, id));
    return Boolean(await this.deps.integrationSystems.get(id));
  }
}
