import type { ConnectorService } from './connector-service';

/** Per-request state of the Connector API: the one-time token the caller presented, if any. */
export interface ConnectorContext {
  readonly token: string | undefined;
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
