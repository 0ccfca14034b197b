import { InvalidDataError, TenantRequiredError } from './errors';

/** Tenant IDs appear in workflow IDs and documents: a conservative alphabet keeps both safe. */
const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Checks a tenant taken from a request. Missing → TenantRequired (24); malformed → InvalidData.
 */
export function parseTenantId(raw: string | undefined | null): string {
  const value = (raw ?? '').trim();
  if (value === '') throw new TenantRequiredError();
  if (!TENANT_ID.test(value)) {
    throw new InvalidDataError('Tenant', {
      tenant: 'must be 1-128 letters, digits, dots, dashes or underscores',
    });
  }
  return value;
}
