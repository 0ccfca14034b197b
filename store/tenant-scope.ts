import type { Filter, Document } from 'mongodb';
import { TenantRequiredError } from '../domain/errors';

/**
 * The one place tenant isolation is applied to MongoDB filters: every tenant-scoped
 * repository method builds its filter here, and an empty tenant is refused, never widened.
 */
export function tenantFilter<T extends Document & { tenantId: string }>(
  tenantId: string,
  filter: Filter<T> = {},
): Filter<T> {
  requireTenant(tenantId);
  return { ...filter, tenantId } as Filter<T>;
}

/** Refuses an empty or missing tenant. */
export function requireTenant(tenantId: string): void {
  if (typeof tenantId !== 'string' || tenantId === '') throw new TenantRequiredError();
}
