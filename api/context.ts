import type DataLoader from 'dataloader';
import type { Logger } from 'pino';
import type { ApplicationService } from './director/application-service';
import type { LabelDefinitionService } from './director/label-definition-service';
import type { TenantResolver } from './tenants';

/** Per-request state every resolver receives. */
export interface GatewayContext {
  /**
   * The caller's tenant; rejects with TenantRequired (24) when the request names none and
   * TenantNotFound (25) when it is unknown and may not be created.
   */
  tenant(): Promise<string>;
  readonly services: Services;
  readonly log: Logger;
  /**
   * A DataLoader for this request, created on first use under `name`: nested fields load in
   * batches (no N+1) and each key is read once per request.
   */
  loader<K, V>(name: string, create: () => DataLoader<K, V>): DataLoader<K, V>;
}

export interface Services {
  readonly applications: ApplicationService;
  readonly labelDefinitions: LabelDefinitionService;
}

/** Builds the context from a request's headers: the tenant is checked once, on first use. */
export function createContext(
  headers: { tenant?: string | string[] },
  services: Services,
  tenants: TenantResolver,
  log: Logger,
): GatewayContext {
  let tenant: Promise<string> | undefined;
  const loaders = new Map<string, unknown>();
  const raw = Array.isArray(headers.tenant) ? headers.tenant[0] : headers.tenant;
  return {
    tenant: () => (tenant ??= tenants.resolve(raw)),
    services,
    log,
    loader: <K, V>(name: string, create: () => DataLoader<K, V>) => {
      let existing = loaders.get(name) as DataLoader<K, V> | undefined;
      if (!existing) loaders.set(name, (existing = create()));
      return existing;
    },
  };
}
