import express, { type Request, type Response, Router } from 'express';
import type { Logger } from 'pino';
import type { SystemAuth } from '../../domain/system-auth';
import type { ClientCredentialDocument } from '../../store/client-credentials';
import {
  ACCESS_TOKEN_TTL_SEC,
  clientSecretMatches,
  type GatewayIssuer,
  issueAccessToken,
} from './client-credentials';

export interface TokenEndpointDeps {
  readonly issuer: GatewayIssuer;
  readonly systemAuths: { getGlobal(clientId: string): Promise<SystemAuth | undefined> };
  readonly credentials: { getGlobal(clientId: string): Promise<ClientCredentialDocument | undefined> };
  readonly log: Logger;
}

type OAuthError = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type';

/** An RFC 6749 §5.2 error; the description never echoes what the client sent. */
function refuse(res: Response, status: 400 | 401, error: OAuthError, description: string): void {
  if (status === 401) res.set('WWW-Authenticate', 'Basic realm="compass", charset="UTF-8"');
  res.status(status).set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json({
    error,
    error_description: description,
  });
}

/** The client's ID and secret from HTTP Basic (RFC 6749 §2.3.1: each form-urlencoded) or the body. */
function clientCredentials(
  req: Request,
  body: Record<string, unknown>,
): { id: string; secret: string } | 'none' | 'invalid' {
  const header = req.headers.authorization;
  const inBody = body.client_id !== undefined || body.client_secret !== undefined;
  if (header !== undefined) {
    if (inBody) return 'invalid'; // RFC 6749 §2.3: one authentication method per request
    const match = /^Basic +([A-Za-z0-9+/=._~-]+) *$/i.exec(header);
    if (!match) return 'invalid';
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return 'invalid';
    try {
      const id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      const secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
      return id && secret ? { id, secret } : 'none';
    } catch {
      return 'invalid';
    }
  }
  if (!inBody) return 'none';
  const { client_id: id, client_secret: secret } = body;
  if (typeof id !== 'string' || typeof secret !== 'string') return 'invalid';
  return id && secret ? { id, secret } : 'none';
}

/**
 * `POST /oauth/token`: the OAuth2 client-credentials grant (RFC 6749 §4.4) for SystemAuths.
 * Answers `{access_token, token_type: "bearer", expires_in}`, a one-hour JWT signed by the
 * gateway's own issuer, or a §5.2 error. A deleted SystemAuth's credentials are refused.
 */
export function tokenEndpoint(deps: TokenEndpointDeps): Router {
  const router = Router();
  router.post(
    '/',
    express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 }),
    (req: Request, res: Response) => {
      void handle(deps, req, res).catch((err: unknown) => {
        deps.log.error({ err }, 'issuing an access token failed');
        if (!res.headersSent)
          res.status(500).set('Cache-Control', 'no-store').json({ error: 'server_error' });
      });
    },
  );
  router.all('/', (_req, res) => {
    res.set('Allow', 'POST');
    refuse(res, 400, 'invalid_request', 'use POST with an application/x-www-form-urlencoded body');
  });
  return router;
}

async function handle(deps: TokenEndpointDeps, req: Request, res: Response): Promise<void> {
  if (!req.is('application/x-www-form-urlencoded')) {
    return refuse(res, 400, 'invalid_request', 'the body must be application/x-www-form-urlencoded');
  }
  const body = (req.body ?? {}) as Record<string, unknown>;
  const grant = body.grant_type;
  if (grant === undefined) return refuse(res, 400, 'invalid_request', 'grant_type is required');
  if (typeof grant !== 'string') return refuse(res, 400, 'invalid_request', 'grant_type is repeated');
  if (grant !== 'client_credentials') {
    return refuse(res, 400, 'unsupported_grant_type', 'only client_credentials is supported');
  }
  const client = clientCredentials(req, body);
  if (client === 'invalid') return refuse(res, 400, 'invalid_request', 'malformed client authentication');
  if (client === 'none') return refuse(res, 401, 'invalid_client', 'client authentication is required');

  const [stored, auth] = await Promise.all([
    deps.credentials.getGlobal(client.id),
    deps.systemAuths.getGlobal(client.id),
  ]);
  const matches = stored ? clientSecretMatches(client.secret, stored.secretHash) : false;
  if (!stored || !auth || !matches || auth.tenantId !== stored.tenantId) {
    return refuse(res, 401, 'invalid_client', 'client authentication failed');
  }
  const accessToken = await issueAccessToken(deps.issuer, {
    clientId: auth.id,
    tenantId: auth.tenantId,
    kind: auth.kind,
    referenceObjectId: auth.referenceObjectId,
  });
  res
    .status(200)
    .set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' })
    .json({ access_token: accessToken, token_type: 'bearer', expires_in: ACCESS_TOKEN_TTL_SEC });
}
