import type { Auth } from '../domain/auth';
import { isBasicCredential } from '../domain/auth';
import type { OutgoingRequest } from '../domain/webhook-contract';
import { type WebhookHttpLimits, sendWebhookRequest } from './webhook-http';

/**
 * Applies a webhook's own `auth` to a request: additional headers and query parameters,
 * then basic credentials, or an OAuth2 client-credentials token fetched from the
 * credential's URL (with the same address rules as the webhook itself). Never logs either.
 */
export async function applyAuth(
  request: OutgoingRequest,
  auth: Auth | undefined,
  limits: WebhookHttpLimits,
): Promise<OutgoingRequest> {
  if (!auth) return request;
  const headers: Record<string, string> = { ...request.headers };
  for (const [name, values] of Object.entries(auth.additionalHeaders ?? {}))
    headers[name.toLowerCase()] = values.join(', ');
  const url = new URL(request.url);
  for (const [name, values] of Object.entries(auth.additionalQueryParams ?? {}))
    for (const value of values) url.searchParams.append(name, value);
  const credential = auth.credential;
  if (credential && isBasicCredential(credential)) {
    headers.authorization = `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
  } else if (credential) {
    headers.authorization = `Bearer ${await clientCredentialsToken(credential, limits)}`;
  }
  return { ...request, url: url.toString(), headers };
}

async function clientCredentialsToken(
  credential: { clientId: string; clientSecret: string; url: string },
  limits: WebhookHttpLimits,
): Promise<string> {
  const basic = Buffer.from(
    `${encodeURIComponent(credential.clientId)}:${encodeURIComponent(credential.clientSecret)}`,
  ).toString('base64');
  const result = await sendWebhookRequest(
    {
      method: 'POST',
      url: credential.url,
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
      body: 'grant_type=client_credentials',
    },
    limits,
  );
  if (!result.ok)
    throw new Error(`the webhook's token endpoint could not be called: ${result.failure.message}`);
  let token: unknown;
  try {
    token = (JSON.parse(result.answer.body) as { access_token?: unknown }).access_token;
  } catch {
    token = undefined;
  }
  if (result.answer.status !== 200 || typeof token !== 'string' || token === '')
    throw new Error(`the webhook's token endpoint answered ${result.answer.status} without an access token`);
  return token;
}
