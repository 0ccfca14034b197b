import { CANNOT_BE_BLANK, lengthBetween } from './error-texts';
import { type Auth, checkAuthInput } from './auth';
import {
  type FieldErrors,
  checkKnownKeys,
  checkOptionalEnum,
  checkOptionalString,
  checkOptionalUrl,
} from './validation';

export const APISpecType = { ODATA: 'ODATA', OPEN_API: 'OPEN_API' } as const;
export type APISpecType = (typeof APISpecType)[keyof typeof APISpecType];
export const EventSpecType = { ASYNC_API: 'ASYNC_API' } as const;
export type EventSpecType = (typeof EventSpecType)[keyof typeof EventSpecType];
export const SpecFormat = { YAML: 'YAML', JSON: 'JSON', XML: 'XML' } as const;
export type SpecFormat = (typeof SpecFormat)[keyof typeof SpecFormat];
export const DocumentFormat = { MARKDOWN: 'MARKDOWN' } as const;
export type DocumentFormat = (typeof DocumentFormat)[keyof typeof DocumentFormat];
export const FetchMode = { SINGLE: 'SINGLE', BUNDLE: 'BUNDLE', INDEX: 'INDEX' } as const;
export type FetchMode = (typeof FetchMode)[keyof typeof FetchMode];
export const FetchRequestStatusCondition = {
  INITIAL: 'INITIAL',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
} as const;
export type FetchRequestStatusCondition =
  (typeof FetchRequestStatusCondition)[keyof typeof FetchRequestStatusCondition];

export interface FetchRequestStatus {
  readonly condition: FetchRequestStatusCondition;
  readonly message?: string;
  /** ISO-8601 time of the last condition change. */
  readonly timestamp: string;
}

/** Which object owns a fetched spec or document, naming the collection the result goes to. */
export type SpecOwnerKind = 'api' | 'event' | 'document';

/**
 * Where a spec or document comes from. Every field is stored as given; the fetch applies
 * `auth` (basic or OAuth credentials, headers, query parameters) and fetches SINGLE requests
 * without a filter only: any other mode or a filter ends the fetch FAILED with a message.
 */
export interface FetchRequest {
  readonly url: string;
  readonly auth?: Auth;
  readonly mode: FetchMode;
  readonly filter?: string;
  readonly status: FetchRequestStatus;
}

export interface Version {
  readonly value: string;
  readonly deprecated?: boolean;
  readonly deprecatedSince?: string;
  readonly forRemoval?: boolean;
}

export interface APISpec {
  readonly data?: string;
  readonly type: APISpecType;
  readonly format: SpecFormat;
  readonly fetchRequest?: FetchRequest;
}

export interface EventSpec {
  readonly data?: string;
  readonly type: EventSpecType;
  readonly format: SpecFormat;
  readonly fetchRequest?: FetchRequest;
}

/** An API definition's content, as validated from APIDefinitionInput. */
export interface APIDefinitionContent {
  readonly name: string;
  readonly description?: string;
  readonly targetURL: string;
  readonly group?: string;
  readonly spec?: APISpec;
  readonly version?: Version;
}

/** An event definition's content, as validated from EventDefinitionInput. */
export interface EventDefinitionContent {
  readonly name: string;
  readonly description?: string;
  readonly group?: string;
  readonly spec?: EventSpec;
  readonly version?: Version;
}

/** A document's content, as validated from DocumentInput. */
export interface DocumentContent {
  readonly title: string;
  readonly displayName: string;
  readonly description: string;
  readonly format: DocumentFormat;
  readonly kind?: string;
  readonly data?: string;
  readonly fetchRequest?: FetchRequest;
}

/** Formats each spec type accepts (Compass's validation notes). */
const SPEC_FORMATS: Record<APISpecType | EventSpecType, readonly SpecFormat[]> = {
  ODATA: ['XML', 'JSON'],
  OPEN_API: ['YAML', 'JSON'],
  ASYNC_API: ['YAML', 'JSON'],
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function requiredString(errors: FieldErrors, field: string, v: unknown, max: number): string {
  if (typeof v !== 'string' || v.trim() === '') errors.add(field, 'cannot be blank');
  else checkOptionalString(errors, field, v, max);
  return typeof v === 'string' ? v : '';
}

/** Compass's `Required, RuneLength(1, max)`: a non-blank string of at most `max` characters. */
function requiredText(errors: FieldErrors, field: string, v: unknown, max: number): string {
  if (typeof v !== 'string' || v.trim() === '') errors.add(field, CANNOT_BE_BLANK);
  else if ([...v].length > max) errors.add(field, lengthBetween(1, max));
  return typeof v === 'string' ? v : '';
}

function optional<T>(key: string, v: T | undefined | null): Record<string, T> {
  return v === undefined || v === null ? {} : { [key]: v };
}

/**
 * A URL as Compass's `is.URL` accepts it: the scheme (http, https, ws, wss, ftp, tcp, udp) is
 * optional, the host is a name or an IP address. Only http(s) URLs can be fetched; any other,
 * or one without a scheme, is stored and its fetch ends FAILED saying why.
 */
const COMPASS_URL =
  /^(?:(?:https?|wss?|ftp|tcp|udp):\/\/)?(?:[^\s@/]+@)?(?:\[[0-9a-f:.]+\]|[a-z0-9\u00a1-\uffff](?:[a-z0-9\u00a1-\uffff_-]*[a-z0-9\u00a1-\uffff])?(?:\.[a-z0-9\u00a1-\uffff](?:[a-z0-9\u00a1-\uffff_-]*[a-z0-9\u00a1-\uffff])?)*)\.?(?::\d{1,5})?(?:[/?#]\S*)?$/i;

/**
 * A fetch request starts INITIAL; the spec fetch workflow sets SUCCEEDED or FAILED. `auth`,
 * `mode` and `filter` are validated and stored as Compass stores them (see FetchRequest for
 * what a fetch applies).
 */
export function checkFetchRequestInput(
  errors: FieldErrors,
  field: string,
  raw: unknown,
  now: string,
): FetchRequest | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw)) return void errors.add(field, 'must be an object');
  checkKnownKeys(errors, raw, ['url', 'auth', 'mode', 'filter']);
  const url = requiredString(errors, `${field}.url`, raw.url, 256);
  if (url.trim() !== '' && url.length <= 256 && (url.length < 4 || !COMPASS_URL.test(url))) {
    errors.add(`${field}.url`, 'must be a valid URL');
  }
  const auth = checkAuthInput(errors, `${field}.auth`, raw.auth);
  checkOptionalEnum(errors, `${field}.mode`, raw.mode, Object.values(FetchMode));
  if (raw.filter != null) {
    if (typeof raw.filter !== 'string' || raw.filter.trim() === '')
      errors.add(`${field}.filter`, 'cannot be blank');
    else checkOptionalString(errors, `${field}.filter`, raw.filter, 256);
  }
  return {
    url,
    ...optional('auth', auth),
    mode: (raw.mode as FetchMode | null | undefined) ?? FetchMode.SINGLE,
    ...optional('filter', raw.filter as string | undefined),
    status: { condition: 'INITIAL', timestamp: now },
  };
}

function checkVersion(errors: FieldErrors, field: string, raw: unknown): Version | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw)) return void errors.add(field, 'must be an object');
  checkKnownKeys(errors, raw, ['value', 'deprecated', 'deprecatedSince', 'forRemoval']);
  const value = requiredString(errors, `${field}.value`, raw.value, 256);
  checkOptionalString(errors, `${field}.deprecatedSince`, raw.deprecatedSince, 256);
  for (const flag of ['deprecated', 'forRemoval'] as const) {
    if (raw[flag] != null && typeof raw[flag] !== 'boolean')
      errors.add(`${field}.${flag}`, 'must be a boolean');
  }
  return {
    value,
    ...optional('deprecated', raw.deprecated as boolean | undefined),
    ...optional('deprecatedSince', raw.deprecatedSince as string | undefined),
    ...optional('forRemoval', raw.forRemoval as boolean | undefined),
  };
}

function checkSpec<T extends APISpecType | EventSpecType>(
  errors: FieldErrors,
  field: string,
  raw: unknown,
  types: readonly T[],
  now: string,
): { data?: string; type: T; format: SpecFormat; fetchRequest?: FetchRequest } | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw)) return void errors.add(field, 'must be an object');
  checkKnownKeys(errors, raw, ['data', 'type', 'format', 'fetchRequest']);
  const type = raw.type as T;
  const format = raw.format as SpecFormat;
  if (!types.includes(type)) errors.add(`${field}.type`, `must be one of ${types.join(', ')}`);
  else if (!SPEC_FORMATS[type].includes(format)) {
    errors.add(
      `${field}.format`,
      `for ${type} type, accepted formats are ${SPEC_FORMATS[type].join(' and ')}`,
    );
  }
  if (raw.data != null && typeof raw.data !== 'string') errors.add(`${field}.data`, 'must be a string');
  const fetchRequest = checkFetchRequestInput(errors, `${field}.fetchRequest`, raw.fetchRequest, now);
  if (raw.data == null && !fetchRequest) errors.add(field, 'data or fetchRequest required');
  return {
    ...optional('data', raw.data as string | undefined),
    type,
    format,
    ...optional('fetchRequest', fetchRequest),
  };
}

/** Validates an APIDefinitionInput under `field` ('' for a top-level input). */
export function checkAPIDefinitionInput(
  errors: FieldErrors,
  field: string,
  raw: unknown,
  now: string,
): APIDefinitionContent {
  const p = field ? `${field}.` : '';
  if (!isObject(raw)) {
    errors.add(field || 'input', 'must be an object');
    return { name: '', targetURL: '' };
  }
  checkKnownKeys(errors, raw, ['name', 'description', 'targetURL', 'group', 'spec', 'version']);
  const name = requiredString(errors, `${p}name`, raw.name, 100);
  checkOptionalString(errors, `${p}description`, raw.description, 2000);
  const targetURL = requiredString(errors, `${p}targetURL`, raw.targetURL, 256);
  checkOptionalUrl(errors, `${p}targetURL`, raw.targetURL);
  checkOptionalString(errors, `${p}group`, raw.group, 36);
  const spec = checkSpec(errors, `${p}spec`, raw.spec, Object.values(APISpecType), now);
  const version = checkVersion(errors, `${p}version`, raw.version);
  return {
    name,
    ...optional('description', raw.description as string | undefined),
    targetURL,
    ...optional('group', raw.group as string | undefined),
    ...optional('spec', spec),
    ...optional('version', version),
  };
}

/** Validates an EventDefinitionInput under `field` ('' for a top-level input). */
export function checkEventDefinitionInput(
  errors: FieldErrors,
  field: string,
  raw: unknown,
  now: string,
): EventDefinitionContent {
  const p = field ? `${field}.` : '';
  if (!isObject(raw)) {
    errors.add(field || 'input', 'must be an object');
    return { name: '' };
  }
  checkKnownKeys(errors, raw, ['name', 'description', 'group', 'spec', 'version']);
  const name = requiredString(errors, `${p}name`, raw.name, 100);
  checkOptionalString(errors, `${p}description`, raw.description, 2000);
  checkOptionalString(errors, `${p}group`, raw.group, 36);
  const spec = checkSpec(errors, `${p}spec`, raw.spec, Object.values(EventSpecType), now);
  const version = checkVersion(errors, `${p}version`, raw.version);
  return {
    name,
    ...optional('description', raw.description as string | undefined),
    ...optional('group', raw.group as string | undefined),
    ...optional('spec', spec),
    ...optional('version', version),
  };
}

/** Validates a DocumentInput under `field` ('' for a top-level input). */
export function checkDocumentInput(
  errors: FieldErrors,
  field: string,
  raw: unknown,
  now: string,
): DocumentContent {
  const p = field ? `${field}.` : '';
  if (!isObject(raw)) {
    errors.add(field || 'input', 'must be an object');
    return { title: '', displayName: '', description: '', format: 'MARKDOWN' };
  }
  checkKnownKeys(errors, raw, [
    'title',
    'displayName',
    'description',
    'format',
    'kind',
    'data',
    'fetchRequest',
  ]);
  const title = requiredText(errors, `${p}title`, raw.title, 128);
  const displayName = requiredText(errors, `${p}displayName`, raw.displayName, 128);
  const description = requiredText(errors, `${p}description`, raw.description, 2000);
  if (raw.format == null) errors.add(`${p}format`, 'cannot be blank');
  checkOptionalEnum(errors, `${p}format`, raw.format, Object.values(DocumentFormat));
  checkOptionalString(errors, `${p}kind`, raw.kind, 256);
  if (raw.data != null && typeof raw.data !== 'string') errors.add(`${p}data`, 'must be a string');
  const fetchRequest = checkFetchRequestInput(errors, `${p}fetchRequest`, raw.fetchRequest, now);
  return {
    title,
    displayName,
    description,
    format: raw.format as DocumentFormat,
    ...optional('kind', raw.kind as string | undefined),
    ...optional('data', raw.data as string | undefined),
    ...optional('fetchRequest', fetchRequest),
  };
}
