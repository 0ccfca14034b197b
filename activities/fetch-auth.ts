import { type Auth, type OAuthCredentialData, isBasicCredential } from '../domain/auth';
import { type FetchLimits, type FetchOutcome, fetchText } from './http-fetch';

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
  const params = Object.entries(auth.additionalQueryParams ?? {});
  if (params.length > 0) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { ok: false, message: 'the URL has no scheme: only http and https URLs can be fetched' };
    }
    for (const [name, values] of params) for (const v of values) parsed.searchParams.append(name, v);
    target = parsed.toString();
  }
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(auth.additionalHeaders ?? {})) {
    headers[name.toLowerCase()] = values.join(', ');
  }
  const credential = auth.credential;
  if (credential && isBasicCredential(credential)) {
    const basic = Buffer.from(`${credential.username}:${credential.password}`, 'utf8').toString('base64');
    headers.authorization = `Basic ${basic}`;
  } else if (credential) {
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
  const encode = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
  const basic = Buffer.from(
    `${encode(credential.clientId)}:${encode(credential.clientSecret)}`,
    'utf8',
  ).toString('base64');
  const answer = await fetchText(credential.url, limits, {
    headers: { authorization: `Basic ${basic}`, accept: 'application/json' },
    form: 'grant_type=client_credentials',
  });
  if (!answer.ok) return answer;
  let token: unknown;
  try {
    token = (JSON.parse(answer.data) as { access_token?: unknown }).access_token;
  } catch {
    token = undefined;
  }
  return typeof token === 'string' && token !== ''
    ? { ok: true, data: token }
    : { ok: false, message: 'the token endpoint answered without an access_token' };
}
