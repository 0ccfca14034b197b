import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { AppError, InternalError, UnauthorizedError } from '../../domain/errors';
import type { CsrSubject } from '../../pki';
import type { CertificateRepository } from '../../store/certificates';
import { isUsableCertificate } from '../auth/certificate-auth';
import { errorBody } from '../errors';
import { type PairingRedemptionDeps, redeemPairingToken } from './connector-service';
import { connectorToken } from './context';

/**
 * Oathkeeper's AuthenticationSession, as its hydrator mutator posts it and reads it back:
 * `header` holds Go `http.Header` values (lists of strings) that Oathkeeper adds to the request.
 */
export interface AuthenticationSession {
  subject: string;
  extra: Record<string, unknown>;
  header: Record<string, string[]>;
}

/** The headers the hydrators set, as Compass's validator names them. */
export const CLIENT_ID_FROM_TOKEN = 'Client-Id-From-Token';
export const CLIENT_ID_FROM_CERTIFICATE = 'Client-Id-From-Certificate';
export const CLIENT_CERTIFICATE_HASH = 'Client-Certificate-Hash';

export interface HydratorDeps extends PairingRedemptionDeps {
  readonly certificates: Pick<CertificateRepository, 'getByHashGlobal'>;
  /** Subject attributes, besides CN, of every certificate the Connector issues. */
  readonly subject: Omit<CsrSubject, 'CN'>;
  readonly log: Logger;
  readonly now?: () => number;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The session a request body carries. An empty body is an empty session; anything that is not
 * a session (Go's decoder would refuse it too) is undefined.
 */
export function parseSession(body: string): AuthenticationSession | undefined {
  let raw: unknown = {};
  if (body.trim() !== '') {
    try {
      raw = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  if (!isObject(raw)) return undefined;
  const { subject = '', extra, header } = raw;
  if (typeof subject !== 'string') return undefined;
  if (extra != null && !isObject(extra)) return undefined;
  if (header != null) {
    if (!isObject(header)) return undefined;
    for (const values of Object.values(header)) {
      if (!Array.isArray(values) || values.some((v) => typeof v !== 'string')) return undefined;
    }
  }
  return {
    subject,
    extra: (extra as Record<string, unknown> | null | undefined) ?? {},
    header: { ...((header as Record<string, string[]> | null | undefined) ?? {}) },
  };
}

/** Sets one header of a session, replacing any value under the same name in another case. */
function setHeader(session: AuthenticationSession, name: string, value: string): void {
  for (const key of Object.keys(session.header)) {
    if (key.toLowerCase() === name.toLowerCase()) delete session.header[key];
  }
  session.header[name] = [value];
}

/** Answers the session: 200, as Compass's hydrators do whether or not they added anything. */
function respond(res: Response, session: AuthenticationSession): void {
  res.status(200).json(session);
}

function sessionOf(req: Request, res: Response): AuthenticationSession | undefined {
  const session = parseSession(typeof req.body === 'string' ? req.body : '');
  if (!session) {
    res
      .status(400)
      .json(errorBody(new AppError('InvalidData', 'The body is not an Oathkeeper authentication session')));
  }
  return session;
}

/**
 * `POST /v1/tokens/resolve`: a valid pairing token (`Connector-Token` header or `?token=`) adds
 * `Client-Id-From-Token` (the client the token pairs) to the session and is consumed, through
 * the pairing workflow's redeem step (the single writer of the token's lifecycle): the CSR
 * token that step hands out is discarded, so the pairing then ends as expired unless a new
 * token is requested. No token, or one that is unknown, used or expired, leaves the session as
 * it came, as in Compass.
 */
export async function resolveToken(deps: HydratorDeps, req: Request, res: Response): Promise<void> {
  const session = sessionOf(req, res);
  if (!session) return;
  const token = connectorToken(req.headers, req.query);
  if (!token) return respond(res, session);
  try {
    const { clientId } = await redeemPairingToken(deps, token, () => deps.now?.() ?? Date.now());
    setHeader(session, CLIENT_ID_FROM_TOKEN, clientId);
  } catch (err) {
    // unknown or expired; used concurrently, expired meanwhile, or its pairing already ended
    const invalid =
      err instanceof UnauthorizedError ||
      err instanceof WorkflowUpdateFailedError ||
      err instanceof WorkflowNotFoundError;
    if (!invalid) {
      deps.log.error({ err }, 'resolving a one-time token failed');
      res.status(500).json(errorBody(new InternalError()));
      return;
    }
  }
  respond(res, session);
}

/**
 * `POST /v1/certificate/data/resolve`: the certificate data Envoy forwards (`Certificate-Data`,
 * or `X-Forwarded-Client-Cert` itself) adds `Client-Id-From-Certificate` (the CN) and
 * `Client-Certificate-Hash` to the session for the first certificate whose subject carries the
 * Connector's attributes, when the Connector issued it to that CN and it is neither revoked nor
 * expired (Compass checks revocation only). Anything else leaves the session as it came.
 */
export async function resolveCertificateData(deps: HydratorDeps, req: Request, res: Response): Promise<void> {
  const session = sessionOf(req, res);
  if (!session) return;
  const raw = req.headers['certificate-data'] ?? req.headers['x-forwarded-client-cert'];
  const data = Array.isArray(raw) ? raw[0] : raw;
  const match = connectorCertificateOf(data ?? '', deps.subject);
  try {
    const record =
      match && /^[0-9a-f]{64}$/.test(match.hash) && (await deps.certificates.getByHashGlobal(match.hash));
    if (match && record && isUsableCertificate(record, match.commonName, deps.now?.() ?? Date.now())) {
      setHeader(session, CLIENT_ID_FROM_CERTIFICATE, match.commonName);
      setHeader(session, CLIENT_CERTIFICATE_HASH, match.hash);
    }
  } catch (err) {
    deps.log.error({ err }, 'resolving certificate data failed');
    res.status(500).json(errorBody(new InternalError()));
    return;
  }
  respond(res, session);
}

/** One certificate of forwarded certificate data: its hash and its subject. */
export interface ForwardedCertificate {
  readonly hash: string;
  readonly subject: string;
}

/**
 * The certificates of Envoy's forwarded certificate data, read as Compass reads it: every
 * `Subject="…"` and every `Hash=<lower-case hex>` of the header, paired in order (elements may
 * be separated by `,` or `;`); none when the counts differ.
 */
export function forwardedCertificates(data: string): ForwardedCertificate[] {
  const subjects = [...data.matchAll(/Subject="(.*?)"/g)].map((m) => m[1]!);
  const hashes = [...data.matchAll(/Hash=([0-9a-f]*)/g)].map((m) => m[1]!);
  if (subjects.length !== hashes.length) return [];
  return subjects.map((subject, i) => ({ hash: hashes[i]!, subject }));
}

/**
 * A subject's attributes (`CN=a,OU=b+OU=c,O=d`: RDNs separated by `,` or `+`), the first value
 * of each, as Compass's subject matchers take it.
 */
export function subjectAttributes(subject: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of subject.split(/[,+]/)) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim().toUpperCase();
    out[key] ??= part.slice(eq + 1).trim();
  }
  return out;
}

/** The first forwarded certificate whose subject carries every one of the Connector's attributes. */
function connectorCertificateOf(
  data: string,
  expected: Omit<CsrSubject, 'CN'>,
): { hash: string; commonName: string } | undefined {
  for (const cert of forwardedCertificates(data)) {
    const attributes = subjectAttributes(cert.subject);
    const matches = Object.entries(expected).every(([key, v]) => v === undefined || attributes[key] === v);
    if (matches && attributes.CN) return { hash: cert.hash, commonName: attributes.CN };
  }
  return undefined;
}
