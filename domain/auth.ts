import { type FieldErrors, checkKnownKeys, checkOptionalUrl } from './validation';

/** Header or query parameter values by name, as Compass's HttpHeaders/QueryParams carry them. */
export type MultiValueMap = Readonly<Record<string, readonly string[]>>;

export interface BasicCredentialData {
  readonly username: string;
  readonly password: string;
}

export interface OAuthCredentialData {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly url: string;
}

/** One of the two credential kinds; the GraphQL union tells them apart by their fields. */
export type CredentialData = BasicCredentialData | OAuthCredentialData;

export interface CSRFTokenCredentialRequestAuth {
  readonly tokenEndpointURL: string;
  readonly credential?: CredentialData;
  readonly additionalHeaders?: MultiValueMap;
  readonly additionalQueryParams?: MultiValueMap;
}

/** How to call an external endpoint: bundle default instance auths, webhooks, fetch requests. */
export interface Auth {
  readonly credential?: CredentialData;
  readonly additionalHeaders?: MultiValueMap;
  readonly additionalQueryParams?: MultiValueMap;
  readonly requestAuth?: { readonly csrf?: CSRFTokenCredentialRequestAuth };
}

/** True for basic credentials: the GraphQL union's type resolution. */
export function isBasicCredential(c: CredentialData): c is BasicCredentialData {
  return 'username' in c;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonBlank(errors: FieldErrors, field: string, v: unknown): string | undefined {
  if (typeof v !== 'string' || v.trim() === '') {
    errors.add(field, 'cannot be blank');
    return undefined;
  }
  return v;
}

/** `exactly one of basic or oauth`, as Compass's CredentialDataInput requires. */
function checkCredential(errors: FieldErrors, field: string, raw: unknown): CredentialData | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw)) return void errors.add(field, 'must be an object');
  checkKnownKeys(errors, raw, ['basic', 'oauth']);
  const { basic, oauth } = raw;
  if ((basic == null) === (oauth == null)) return void errors.add(field, 'exactly one of basic or oauth');
  if (basic != null) {
    if (!isObject(basic)) return void errors.add(`${field}.basic`, 'must be an object');
    checkKnownKeys(errors, basic, ['username', 'password']);
    const username = nonBlank(errors, `${field}.basic.username`, basic.username);
    const password = nonBlank(errors, `${field}.basic.password`, basic.password);
    return username !== undefined && password !== undefined ? { username, password } : undefined;
  }
  if (!isObject(oauth)) return void errors.add(`${field}.oauth`, 'must be an object');
  checkKnownKeys(errors, oauth, ['clientId', 'clientSecret', 'url']);
  const clientId = nonBlank(errors, `${field}.oauth.clientId`, oauth.clientId);
  const clientSecret = nonBlank(errors, `${field}.oauth.clientSecret`, oauth.clientSecret);
  const url = nonBlank(errors, `${field}.oauth.url`, oauth.url);
  checkOptionalUrl(errors, `${field}.oauth.url`, oauth.url);
  return clientId !== undefined && clientSecret !== undefined && url !== undefined
    ? { clientId, clientSecret, url }
    : undefined;
}

/**
 * Header/parameter maps become document keys, so names may not start with '$' or contain '.'
 * (the document store refuses them); every value is a list of strings.
 */
function checkMultiValueMap(errors: FieldErrors, field: string, raw: unknown): MultiValueMap | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw)) return void errors.add(field, 'must be an object');
  for (const [name, values] of Object.entries(raw)) {
    if (name === '' || name.startsWith('$') || name.includes('.')) {
      errors.add(`${field}.${name}`, "names may not be empty, start with '$' or contain '.'");
    } else if (!Array.isArray(values) || values.some((v) => typeof v !== 'string')) {
      errors.add(`${field}.${name}`, 'must be a list of strings');
    }
  }
  return raw as MultiValueMap;
}

const NOT_A_SERIALIZED_MAP = 'must be a JSON object mapping each name to a list of strings';

/**
 * The headers or query parameters of an input, from `<name>Serialized` (a JSON string) when it
 * is given, as Compass prefers it, otherwise from the `<name>` map. The JSON `null` means none.
 */
function checkMapOrSerialized(
  errors: FieldErrors,
  field: string,
  raw: Record<string, unknown>,
  name: 'additionalHeaders' | 'additionalQueryParams',
): MultiValueMap | undefined {
  const serialized = raw[`${name}Serialized`];
  if (serialized === undefined || serialized === null) {
    return checkMultiValueMap(errors, `${field}.${name}`, raw[name]);
  }
  const f = `${field}.${name}Serialized`;
  if (typeof serialized !== 'string') return void errors.add(f, 'must be a string');
  let parsed: unknown;
  try {
    parsed = JSON.parse(serialized);
  } catch {
    return void errors.add(f, NOT_A_SERIALIZED_MAP);
  }
  if (parsed === null) return undefined;
  if (!isObject(parsed)) return void errors.add(f, NOT_A_SERIALIZED_MAP);
  return checkMultiValueMap(errors, f, parsed);
}

/** A map as its `…Serialized` field shows it: a JSON string, or null when it is absent or empty. */
export function serializeMultiValueMap(map: MultiValueMap | undefined): string | null {
  return map && Object.keys(map).length > 0 ? JSON.stringify(map) : null;
}

const MAP_FIELDS = [
  'additionalHeaders',
  'additionalHeadersSerialized',
  'additionalQueryParams',
  'additionalQueryParamsSerialized',
] as const;

/** Validates an AuthInput into the stored Auth, collecting problems under `field`. */
export function checkAuthInput(errors: FieldErrors, field: string, raw: unknown): Auth | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw)) return void errors.add(field, 'must be an object');
  checkKnownKeys(errors, raw, ['credential', ...MAP_FIELDS, 'requestAuth']);
  const credential = checkCredential(errors, `${field}.credential`, raw.credential);
  const additionalHeaders = checkMapOrSerialized(errors, field, raw, 'additionalHeaders');
  const additionalQueryParams = checkMapOrSerialized(errors, field, raw, 'additionalQueryParams');
  let requestAuth: Auth['requestAuth'];
  if (raw.requestAuth != null) {
    const ra = raw.requestAuth;
    if (!isObject(ra)) errors.add(`${field}.requestAuth`, 'must be an object');
    else if (ra.csrf != null) {
      const csrf = ra.csrf;
      const f = `${field}.requestAuth.csrf`;
      if (!isObject(csrf)) errors.add(f, 'must be an object');
      else {
        checkKnownKeys(errors, csrf, ['tokenEndpointURL', 'credential', ...MAP_FIELDS]);
        const url = nonBlank(errors, `${f}.tokenEndpointURL`, csrf.tokenEndpointURL);
        checkOptionalUrl(errors, `${f}.tokenEndpointURL`, csrf.tokenEndpointURL);
        const c = checkCredential(errors, `${f}.credential`, csrf.credential);
        const h = checkMapOrSerialized(errors, f, csrf, 'additionalHeaders');
        const q = checkMapOrSerialized(errors, f, csrf, 'additionalQueryParams');
        requestAuth = {
          csrf: {
            tokenEndpointURL: url ?? '',
            ...(c && { credential: c }),
            ...(h && { additionalHeaders: h }),
            ...(q && { additionalQueryParams: q }),
          },
        };
      }
    } else requestAuth = {};
  }
  return {
    ...(credential && { credential }),
    ...(additionalHeaders && { additionalHeaders }),
    ...(additionalQueryParams && { additionalQueryParams }),
    ...(requestAuth && { requestAuth }),
  };
}
