import { type Auth, type OAuthCredentialData, isBasicCredential } from '../domain/auth';
import { type FetchLimits, type FetchOutcome, fetchText } from './http-fetch';
import {
  accessTokenOf,
  appendQueryParams,
  clientCredentialsAuthorization,
  staticAuthHeaders,
} from './request-auth';

/** What a fetch sends besides the GET itself, or why it cannot be sent. */
export type AuthorizedRequest =
  | { readonly ok: true; readonly url: string; readonly headers: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly message: string };

/**
 * Applies a fetch request's `auth` to its URL: additional query parameters are appended,
 * additional headers set (several values joined with ", "), basic credentials sent as
 * `Authorization: Basic`, OAuth credentials exchanged first for a bearer token (client
 * credentials grant at the credential's URL, under the same limits as the fetch). A CSRF
 * `requestAuth` is not used: a GET needs no CSRF token. Messages never carry a credential.
 */
export async function authorizeFetch(
  url: string,
  auth: Auth | undefined,
  limits: FetchLimits,
): Promise<AuthorizedRequest> {
  if (!auth) return { ok: true, url, headers: {} };
  let target = url;
  if (Object.keys(auth.additionalQueryParams ?? {}).length > 0) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { ok: false, message: 'the URL has no scheme: only http and https URLs can be fetched' };
    }
    appendQueryParams(parsed, auth);
    target = parsed.toString();
  }
  const headers = staticAuthHeaders(auth);
  const credential = auth.credential;
  if (credential && !isBasicCredential(credential)) {
    const token = await clientCredentialsToken(credential, limits);
    if (!token.ok) return { ok: false, message: `could not get an OAuth token: ${token.message}` };
    headers.authorization = `Bearer ${token.data}`;
  }
  return { ok: true, url: target, headers };
}

/** RFC 6749 §4.4 with the client authenticated by HTTP Basic (§2.3.1: each part form-encoded). */
async function clientCredentialsToken(
  credential: OAuthCredentialData,
  limits: FetchLimits,
): Promise<FetchOutcome> {
  const answer = await fetchText(credential.url, limits, {
    headers: { authorization: clientCredentialsAuthorization(credential), accept: 'application/json' },
    form: 'grant_type=client_credentials',
  });
  if (!answer.ok) return answer;
  const token = accessTokenOf(answer.data);
  return token !== undefined
    ? { ok: true, data: token }
    : { ok: false, message: 'the token endpoint answered without an access_token' };
}
