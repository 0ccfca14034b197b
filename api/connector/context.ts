import type { ConnectorService } from './connector-service';

/** A caller authenticated by its client certificate on the mTLS listener. */
export interface CertificateCaller {
  readonly tenantId: string;
  readonly clientId: string;
  /** SHA-256 of the presented certificate's DER: what renewal and revocation act on. */
  readonly certificateHash: string;
}

/**
 * Per-request state of the Connector API: the one-time token the caller presented, if any,
 * and the client certificate it authenticated with, if it came through the mTLS listener.
 */
export interface ConnectorContext {
  readonly token: string | undefined;
  readonly certificate?: CertificateCaller;
  readonly connector: ConnectorService;
}

/** The token comes from the `Connector-Token` header or, as Compass allows, `?token=`. */
export function connectorToken(
  headers: Record<string, string | string[] | undefined>,
  query: unknown,
): string | undefined {
  const header = headers['connector-token'];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  const fromQuery =
    typeof (query as { token?: unknown })?.token === 'string'
      ? (query as { token: string }).token
      : undefined;
  const token = (fromHeader ?? fromQuery)?.trim();
  return token ? token : undefined;
}
