import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import {
  type Credentials,
  credentialsOf,
  fromBase64Pem,
  loadCredentials,
  newKeyAndCsr,
  storeCredentials,
} from './credentials';
import { GatewayClient, GraphQLError } from './graphql';
import { AgentState, type ConnectionStatus, jitteredRenewal, loadStatus, saveStatus } from './state';

/** A one-time token as `requestOneTimeTokenForRuntime` gives it: plain, `raw` JSON or `rawEncoded`. */
export interface OneTimeToken {
  readonly token: string;
  readonly connectorUrl: string;
}

/** Usage or input problem of the operator (exit code 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The Connector refused the one-time token, or the certificate: the agent cannot go on alone. */
export class ConnectionRefusedError extends Error {
  override readonly name = 'ConnectionRefusedError';
}

/** Accepts a token as given: plain (with `connectorUrl`), `raw` JSON, or `rawEncoded` base64 of it. */
export function parseToken(text: string, connectorUrl: string | undefined): OneTimeToken {
  const trimmed = text.trim();
  const tryJson = (s: string) => {
    try {
      const v = JSON.parse(s) as { token?: unknown; connectorURL?: unknown };
      return typeof v.token === 'string' && typeof v.connectorURL === 'string'
        ? { token: v.token, connectorUrl: v.connectorURL }
        : undefined;
    } catch {
      return undefined;
    }
  };
  const parsed = tryJson(trimmed) ?? tryJson(Buffer.from(trimmed, 'base64').toString('utf8'));
  if (parsed) return parsed;
  if (!connectorUrl)
    throw new UsageError('a plain token needs the Connector URL (--connector-url or CONNECTOR_URL)');
  return { token: trimmed, connectorUrl };
}

const CONFIGURATION = `{ configuration { token { token } certificateSigningRequestInfo { subject renewalRequired }
  managementPlaneInfo { directorURL certificateSecuredConnectorURL } } }`;
const SIGN = `mutation($csr: String!) { signCertificateSigningRequest(csr: $csr) { certificateChain caCertificate } }`;

interface ConfigurationAnswer {
  configuration: {
    token?: { token: string } | null;
    certificateSigningRequestInfo: { subject: string; renewalRequired?: boolean | null };
    managementPlaneInfo: { directorURL?: string | null; certificateSecuredConnectorURL?: string | null };
  };
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The agent's trust with the Connector: bootstrap with a one-time token, then renew its
 * certificate over mTLS, with a new key each time, files swapped atomically.
 */
export class Connection {
  credentials?: Credentials;
  status: ConnectionStatus = { state: AgentState.ConnectionFailed };
  private client?: GatewayClient;

  /**
   * @param random the jitter source of the renewal point (0–1; `Math.random` unless a test
   *   pins it)
   */
  constructor(
    private readonly dir: string,
    private readonly timeoutMs: number,
    private readonly log: Logger,
    private readonly random: () => number = Math.random,
  ) {}

  /** Loads the stored certificate and status; a corrupt file throws StateError. */
  async load(): Promise<void> {
    this.credentials = await loadCredentials(this.dir);
    this.status = (await loadStatus(this.dir)) ?? {
      state: AgentState.ConnectionFailed,
      error: 'not connected yet',
    };
    if (this.credentials) this.client = new GatewayClient(this.credentials, this.timeoutMs);
  }

  /** The mTLS client (after bootstrap). */
  get mtls(): GatewayClient {
    if (!this.client)
      throw new ConnectionRefusedError('not connected: run `compass-agent connect` with a one-time token');
    return this.client;
  }

  async update(change: Partial<ConnectionStatus>): Promise<void> {
    this.status = { ...this.status, ...change };
    await saveStatus(this.dir, this.status);
  }

  /** Whether `ott` was redeemed or refused before (a one-time token is tried once). */
  tried(ott: OneTimeToken): boolean {
    return (this.status.triedTokenHashes ?? []).includes(tokenHash(ott.token));
  }

  /**
   * Redeems the token for a certificate; refused tokens → ConnectionRefusedError, nothing
   * written but the token's hash (so it is not tried again).
   */
  async bootstrap(ott: OneTimeToken): Promise<void> {
    try {
      await this.redeem(ott);
    } catch (err) {
      if (err instanceof ConnectionRefusedError && this.credentials)
        await this.update({ triedTokenHashes: remember(this.status.triedTokenHashes, ott.token) });
      throw err;
    }
  }

  private async redeem(ott: OneTimeToken): Promise<void> {
    const plain = new GatewayClient(undefined, this.timeoutMs);
    try {
      const config = await plain
        .query<ConfigurationAnswer>(ott.connectorUrl, CONFIGURATION, {}, { 'connector-token': ott.token })
        .catch(
          refused('the one-time token was refused (expired, already used, or not issued by this Connector)'),
        );
      const csrToken = config.configuration.token?.token;
      if (!csrToken) throw new ConnectionRefusedError('the Connector gave no CSR token');
      const { keyPem, csr } = newKeyAndCsr(config.configuration.certificateSigningRequestInfo.subject);
      const signed = await plain
        .query<{ signCertificateSigningRequest: { certificateChain: string; caCertificate: string } }>(
          ott.connectorUrl,
          SIGN,
          { csr },
          { 'connector-token': csrToken },
        )
        .catch(refused('the Connector refused to sign the certificate'));
      await this.install(
        keyPem,
        signed.signCertificateSigningRequest,
        config.configuration.managementPlaneInfo,
        {
          state: AgentState.Connected,
          connectorUrl: ott.connectorUrl,
          triedTokenHashes: remember(this.status.triedTokenHashes, ott.token),
          renewals: 0,
        },
      );
      this.log.info({ notAfter: this.status.notAfter }, 'connected with a one-time token');
    } finally {
      await plain.close();
    }
  }

  /**
   * One maintenance round: `configuration` over mTLS (picks up changed URLs), then a renewal
   * when asked for, at the jittered point, or when less than `minRemainingMs` remains.
   */
  async maintain(minRemainingMs: number): Promise<void> {
    const url = this.status.mtlsConnectorUrl;
    if (!url || !this.credentials) throw new ConnectionRefusedError('not connected');
    const config = await this.mtls
      .query<ConfigurationAnswer>(url, CONFIGURATION)
      .catch(refusedIfUnauthorized);
    const info = config.configuration;
    const now = Date.now();
    const due =
      info.certificateSigningRequestInfo.renewalRequired === true
        ? 'the Connector asked for it'
        : now >= Date.parse(this.status.renewAt ?? '')
          ? 'the renewal point was reached'
          : this.credentials.notAfter.getTime() - now < minRemainingMs
            ? 'the certificate is about to expire'
            : undefined;
    if (!due) {
      await this.update(urlsOf(info.managementPlaneInfo, this.status));
      return;
    }
    const { keyPem, csr } = newKeyAndCsr(info.certificateSigningRequestInfo.subject);
    const signed = await this.mtls
      .query<{ signCertificateSigningRequest: { certificateChain: string; caCertificate: string } }>(
        url,
        SIGN,
        { csr },
      )
      .catch(refusedIfUnauthorized);
    await this.install(keyPem, signed.signCertificateSigningRequest, info.managementPlaneInfo, {
      renewals: (this.status.renewals ?? 0) + 1,
      lastRenewal: { at: new Date(now).toISOString(), reason: due },
    });
    this.log.info({ reason: due, notAfter: this.status.notAfter }, 'certificate renewed');
  }

  private async install(
    keyPem: string,
    signed: { certificateChain: string; caCertificate: string },
    plane: ConfigurationAnswer['configuration']['managementPlaneInfo'],
    extra: Partial<ConnectionStatus>,
  ): Promise<void> {
    const credentials = credentialsOf(
      keyPem,
      fromBase64Pem(signed.certificateChain),
      fromBase64Pem(signed.caCertificate),
    );
    await storeCredentials(this.dir, credentials);
    const old = this.client;
    this.credentials = credentials;
    this.client = new GatewayClient(credentials, this.timeoutMs);
    await old?.close();
    await this.update({
      ...extra,
      ...urlsOf(plane, this.status),
      notBefore: credentials.notBefore.toISOString(),
      notAfter: credentials.notAfter.toISOString(),
      renewAt: jitteredRenewal(credentials.notBefore, credentials.notAfter, this.random).toISOString(),
    });
  }

  async close(): Promise<void> {
    await this.client?.close();
  }
}

/** The hashes of the last tokens tried, with `token`'s added. */
function remember(hashes: readonly string[] | undefined, token: string): string[] {
  return [...(hashes ?? []).filter((h) => h !== tokenHash(token)), tokenHash(token)].slice(-20);
}

function urlsOf(
  plane: ConfigurationAnswer['configuration']['managementPlaneInfo'],
  current: ConnectionStatus,
): Partial<ConnectionStatus> {
  const mtlsConnectorUrl = plane.certificateSecuredConnectorURL ?? current.mtlsConnectorUrl;
  return {
    ...(mtlsConnectorUrl && {
      mtlsConnectorUrl,
      mtlsDirectorUrl: new URL('/director/graphql', mtlsConnectorUrl).toString(),
    }),
  };
}

const refused =
  (message: string) =>
  (err: unknown): never => {
    if (err instanceof GraphQLError) throw new ConnectionRefusedError(`${message}: ${err.message}`);
    throw err;
  };

/** A revoked or unknown certificate (401) ends the connection; other failures are transient. */
function refusedIfUnauthorized(err: unknown): never {
  if (err instanceof GraphQLError && (err.status === 401 || err.code === 26))
    throw new ConnectionRefusedError(`the certificate was refused (revoked or unknown): ${err.message}`);
  throw err;
}
