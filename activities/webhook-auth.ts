import { type Auth, type OAuthCredentialData, isBasicCredential } from '../domain/auth';
import type { OutgoingRequest } from '../domain/webhook-contract';
import {
  accessTokenOf,
  appendQueryParams,
  clientCredentialsAuthorization,
  staticAuthHeaders,
} from './request-auth';
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
  const headers = { ...request.headers, ...staticAuthHeaders(auth) };
  const url = new URL(request.url);
  appendQueryParams(url, auth);
  const credential = auth.credential;
  if (credential && !isBasicCredential(credential)) {
    headers.authorization = `Bearer ${await clientCredentialsToken(credential, limits)}`;
  }
  return { ...request, url: url.toString(), headers };
}

async function clientCredentialsToken(
  credential: OAuthCredentialData,
  limits: WebhookHttpLimits,
): Promise<string> {
  const result = await sendWebhookRequest(
    {
      method: 'POST',
      url: credential.url,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: clientCredentialsAuthorization(credential),
      },
      body: 'grant_type=client_credentials',
    },
    limits,
  );
  if (!result.ok)
    throw new Error(`the webhook's token endpoint could not be called: ${result.failure.message}`);
  const token = result.answer.status === 200 ? accessTokenOf(result.answer.body) : undefined;
  if (token === undefined)
    throw new Error(`the webhook's token endpoint answered ${result.answer.status} without an access token`);
  return token;
}
