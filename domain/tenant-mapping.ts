import { AppError } from './errors';
import { parseTenantId } from './tenant';
import { FieldErrors, checkOptionalString } from './validation';

/** A tenant as the Director shows it. Its one identifier is the external one callers name. */
export interface Tenant {
  readonly id: string;
  readonly name: string;
}

const MAPPING_KEYS = ['name', 'externalTenant', 'parent', 'subdomain', 'region', 'type', 'provider'];

/**
 * Validates every BusinessTenantMappingInput of one `writeTenants` call before any is
 * written: a bad entry refuses the whole call with InvalidData naming `in[i].field`. The
 * tenant ID is `externalTenant`, checked as a `Tenant` header is; an ID may appear once.
 */
export function validateTenantMappings(input: unknown): Tenant[] {
  const errors = new FieldErrors();
  if (!Array.isArray(input)) {
    errors.add('in', 'must be a list');
    errors.throwIfAny('BusinessTenantMappingInput');
  }
  const out: Tenant[] = [];
  (input as unknown[]).forEach((item, i) => {
    const raw = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const at = `in[${i}]`;
    for (const key of Object.keys(raw)) {
      if (!MAPPING_KEYS.includes(key)) errors.add(`${at}.${key}`, 'unknown field');
    }
    if (typeof raw.name !== 'string' || raw.name.trim() === '') errors.add(`${at}.name`, 'cannot be blank');
    else checkOptionalString(errors, `${at}.name`, raw.name, 256);
    for (const key of ['type', 'provider']) {
      if (typeof raw[key] !== 'string' || raw[key] === '') errors.add(`${at}.${key}`, 'cannot be blank');
    }
    for (const key of ['parent', 'subdomain', 'region'])
      checkOptionalString(errors, `${at}.${key}`, raw[key], 256);
    const id = externalTenantId(raw.externalTenant);
    if (id === undefined)
      return errors.add(`${at}.externalTenant`, 'must be 1-128 letters, digits, dots, dashes or underscores');
    if (out.some((t) => t.id === id)) return errors.add(`${at}.externalTenant`, 'appears more than once');
    if (typeof raw.name === 'string') out.push({ id, name: raw.name });
  });
  errors.throwIfAny('BusinessTenantMappingInput');
  return out;
}

function externalTenantId(value: unknown): string | undefined {
  if (typeof value !== 'string' || value !== value.trim()) return undefined;
  try {
    return parseTenantId(value);
  } catch (err) {
    if (err instanceof AppError) return undefined;
    throw err;
  }
}
