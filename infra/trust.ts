import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SystemAuthKind } from '../domain/system-auth';
import { type CertificateAuthority, type CsrSubject, loadCaFromPem, loadOrCreateCa } from '../pki';
import { type Config, ConfigError } from './config';
import { projectRoot } from './paths';

type TrustConfig = Pick<
  Config,
  | 'HOST'
  | 'PORT'
  | 'PUBLIC_URL'
  | 'MTLS_PORT'
  | 'MTLS_PUBLIC_URL'
  | 'CA_DIR'
  | 'CA_CERT_FILE'
  | 'CA_KEY_FILE'
  | 'CA_CERT_PEM'
  | 'CA_KEY_PEM'
  | 'CA_KEY_TYPE'
  | 'CERT_VALIDITY_HOURS'
  | 'CERT_SUBJECT'
  | 'APP_TOKEN_TTL_SECONDS'
  | 'RUNTIME_TOKEN_TTL_SECONDS'
  | 'CSR_TOKEN_TTL_SECONDS'
  | 'DATA_DIR'
>;

/**
 * Where the CA comes from: files or PEM text the operator supplies, or created once under
 * CA_DIR.
 */
export async function loadCa(config: TrustConfig): Promise<CertificateAuthority> {
  const files = Boolean(config.CA_CERT_FILE || config.CA_KEY_FILE);
  const pems = Boolean(config.CA_CERT_PEM || config.CA_KEY_PEM);
  if (files && pems)
    throw new ConfigError(['give the CA as files (CA_*_FILE) or as PEM text (CA_*_PEM), not both']);
  if (files) {
    if (!config.CA_CERT_FILE || !config.CA_KEY_FILE) {
      throw new ConfigError(['CA_CERT_FILE and CA_KEY_FILE must be given together']);
    }
    return loadCaFromPem(readFileSync(config.CA_CERT_FILE, 'utf8'), readFileSync(config.CA_KEY_FILE, 'utf8'));
  }
  if (pems) {
    if (!config.CA_CERT_PEM || !config.CA_KEY_PEM) {
      throw new ConfigError(['CA_CERT_PEM and CA_KEY_PEM must be given together']);
    }
    return loadCaFromPem(config.CA_CERT_PEM, config.CA_KEY_PEM);
  }
  const dir = config.CA_DIR ?? path.join(dataDir(config), 'ca');
  return loadOrCreateCa({ dir, keyType: config.CA_KEY_TYPE });
}

/** The fixed subject attributes of client certificates, from `O=…,OU=…,L=…,ST=…,C=…`. */
export function certificateSubject(config: Pick<Config, 'CERT_SUBJECT'>): Omit<CsrSubject, 'CN'> {
  const subject: Record<string, string> = {};
  for (const pair of config.CERT_SUBJECT.split(',')) {
    const [key, value] = pair.split('=') as [string, string];
    subject[key] = value;
  }
  return subject;
}

export function certificateValidityMs(config: Pick<Config, 'CERT_VALIDITY_HOURS'>): number {
  return Math.round(config.CERT_VALIDITY_HOURS * 3_600_000);
}

/** Public URLs of the gateway's two listeners. */
export function publicUrls(config: TrustConfig): { http: string; mtls: string } {
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  return {
    http: (config.PUBLIC_URL ?? `http://${host}:${config.PORT}`).replace(/\/$/, ''),
    mtls: (config.MTLS_PUBLIC_URL ?? `https://${host}:${config.MTLS_PORT}`).replace(/\/$/, ''),
  };
}

/** One-time token lifetimes by the kind of system they pair, and of CSR tokens. */
export function tokenLifetimesMs(config: TrustConfig) {
  return {
    tokenTtlMs: {
      [SystemAuthKind.APPLICATION]: config.APP_TOKEN_TTL_SECONDS * 1000,
      [SystemAuthKind.RUNTIME]: config.RUNTIME_TOKEN_TTL_SECONDS * 1000,
      [SystemAuthKind.INTEGRATION_SYSTEM]: config.APP_TOKEN_TTL_SECONDS * 1000,
    },
    csrTokenTtlMs: config.CSR_TOKEN_TTL_SECONDS * 1000,
  };
}

/** The embedded stack's data directory: DATA_DIR, else .data/ in the checkout. */
export function dataDir(config: Pick<Config, 'DATA_DIR'>): string {
  return path.resolve(config.DATA_DIR ?? path.join(projectRoot(), '.data'));
}
