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

/** Validates an AuthInput into the stored Auth, collecting problems under `field`. */
export function checkAuthInput(errors: FieldErrors, field: string, raw: unknown): Auth | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw)) return void errors.add(field, 'must be an object');
  checkKnownKeys(errors, raw, ['credential', 'additionalHeaders', 'additionalQueryParams', 'requestAuth']);
  const credential = checkCredential(errors, `${field}.credential`, raw.credential);
  const additionalHeaders = checkMultiValueMap(errors, `${field}.additionalHeaders`, raw.additionalHeaders);
  const additionalQueryParams = checkMultiValueMap(
    errors,
    `${field}.additionalQueryParams`,
    raw.additionalQueryParams,
  );
  let requestAuth: Auth['requestAuth'];
  if (raw.requestAuth != null) {
    const ra = raw.requestAuth;
    if (!isObject(ra)) errors.add(`${field}.requestAuth`, 'must be an object');
    else if (ra.csrf != null) {
      const csrf = ra.csrf;
      const f = `${field}.requestAuth.csrf`;
      if (!isObject(csrf)) errors.add(f, 'must be an object');
      else {
        checkKnownKeys(errors, csrf, [
          'tokenEndpointURL',
          'credential',
          'additionalHeaders',
          'additionalQueryParams',
        ]);
        const url = nonBlank(errors, `${f}.tokenEndpointURL`, csrf.tokenEndpointURL);
        checkOptionalUrl(errors, `${f}.tokenEndpointURL`, csrf.tokenEndpointURL);
        const c = checkCredential(errors, `${f}.credential`, csrf.credential);
        const h = checkMultiValueMap(errors, `${f}.additionalHeaders`, csrf.additionalHeaders);
        const q = checkMultiValueMap(errors, `${f}.additionalQueryParams`, csrf.additionalQueryParams);
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
