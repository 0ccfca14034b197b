import type { Logger } from 'pino';
import { parseTenantId } from '../domain/tenant';
import type { ApplicationService } from './director/application-service';

/** Per-request state every resolver receives. */
export interface GatewayContext {
  /** The caller's tenant; throws TenantRequired (24) when the request names none. */
  tenant(): string;
  readonly services: Services;
  readonly log: Logger;
}

export interface Services {
  readonly applications: ApplicationService;
}

/** Builds the context from a request's headers: the tenant is checked once, on first use. */
export function createContext(
  headers: { tenant?: string | string[] },
  services: Services,
  log: Logger,
): GatewayContext {
  let tenant: string | undefined;
  const raw = Array.isArray(headers.tenant) ? headers.tenant[0] : headers.tenant;
  return {
    tenant: () => (tenant ??= parseTenantId(raw)),
    services,
    log,
  };
}
