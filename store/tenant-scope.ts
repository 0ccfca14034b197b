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
  if (typeof tenantId !== 'string' || tenantId === '') throw new TenantRequiredError();
  return { ...filter, tenantId } as Filter<T>;
}
