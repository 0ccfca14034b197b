import { type Auth, type OAuthCredentialData, isBasicCredential } from '../domain/auth';

/**
 * The parts of an `Auth` that need no network: additional headers (several values joined with
 * ", ", names lower-cased) and basic credentials as `Authorization: Basic`. Shared by spec
 * fetches and webhook calls; OAuth credentials are exchanged by each caller with its own HTTP
 * client and address rules.
 */
export function staticAuthHeaders(auth: Auth): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(auth.additionalHeaders ?? {})) {
    headers[name.toLowerCase()] = values.join(', ');
  }
  const credential = auth.credential;
  if (credential && isBasicCredential(credential)) {
    const basic = Buffer.from(`${credential.username}:${credential.password}`, 'utf8').toString('base64');
    headers.authorization = `Basic ${basic}`;
  }
  return headers;
}

/** Appends the auth's additional query parameters to `url`. */
export function appendQueryParams(url: URL, auth: Auth): void {
  for (const [name, values] of Object.entries(auth.additionalQueryParams ?? {})) {
    for (const value of values) url.searchParams.append(name, value);
  }
}

/**
 * The client's `Authorization` value for an RFC 6749 §4.4 client-credentials request: HTTP
 * Basic with each part form-encoded (§2.3.1).
 */
export function clientCredentialsAuthorization(credential: OAuthCredentialData): string {
  const encode = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
  const pair = `${encode(credential.clientId)}:${encode(credential.clientSecret)}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

/** The `access_token` of a token endpoint's JSON answer, when it has a non-empty one. */
export function accessTokenOf(body: string): string | undefined {
  try {
    const token = (JSON.parse(body) as { access_token?: unknown }).access_token;
    return typeof token === 'string' && token !== '' ? token : undefined;
  } catch {
    return undefined;
  }
}
