import { withDomainFailures } from './failures';

/** The slices of the SystemAuth and client-credential repositories these activities need. */
export interface IdentityStore {
  listForObject(tenantId: string, objectId: string): Promise<readonly { id: string }[]>;
  delete(tenantId: string, clientId: string): Promise<boolean>;
}

export interface CredentialStore {
  delete(tenantId: string, clientId: string): Promise<boolean>;
}

export interface IdentityStoreActivityDeps {
  readonly systemAuths: IdentityStore;
  readonly credentials: CredentialStore;
}

/** Activities that remove the system identities of unregistered applications and runtimes. */
export function createIdentityStoreActivities({ systemAuths, credentials }: IdentityStoreActivityDeps) {
  return {
    /**
     * Removes every SystemAuth of an object and its client credentials, so neither its client
     * certificates nor its OAuth credentials authenticate any more. Idempotent.
     */
    async deleteObjectIdentities(tenantId: string, objectId: string): Promise<void> {
      await withDomainFailures(async () => {
        for (const auth of await systemAuths.listForObject(tenantId, objectId)) {
          await credentials.delete(tenantId, auth.id);
          await systemAuths.delete(tenantId, auth.id);
        }
      });
    },
  };
}

export type IdentityStoreActivities = ReturnType<typeof createIdentityStoreActivities>;
