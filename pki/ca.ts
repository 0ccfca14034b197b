import { constants } from 'node:fs';
import { link, mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createPrivateKey,
  generateKeyPair,
  type KeyObject,
  randomBytes,
  sign,
  X509Certificate,
} from 'node:crypto';
import { promisify } from 'node:util';
import * as forge from 'node-forge';
import { createCaCertificatePem } from './ca-certificate';
import { CaConfigurationError } from './errors';
import {
  keyIdentifierOf,
  readCaCertificateFields,
  type SignatureAlgorithm,
  signatureAlgorithmOf,
  toBinary,
} from './x509';

/** The key algorithm of a CA created by {@link loadOrCreateCa}: RSA 2048 or ECDSA P-256. */
export type CaKeyType = 'rsa' | 'ecdsa';

/**
 * The Connector's certificate authority: its certificate and the private key that signs
 * client certificates. The key never leaves this object; it signs through {@link CertificateAuthority.sign}.
 */
export class CertificateAuthority {
  readonly certificatePem: string;
  readonly certificate: X509Certificate;
  readonly publicKey: KeyObject;
  readonly keyType: CaKeyType;
  readonly signatureAlgorithm: SignatureAlgorithm;
  /** Copied into the authorityKeyIdentifier of every certificate this CA issues. */
  readonly subjectKeyIdentifier: Buffer;
  readonly notAfter: Date;
  readonly #privateKey: KeyObject;
  readonly #subjectName: string;

  /** Checks that the certificate is a CA certificate, still valid, and matches the key. */
  constructor(certificatePem: string, privateKey: KeyObject, now = new Date()) {
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(certificatePem);
    } catch {
      throw new CaConfigurationError('CA certificate is not a PEM X.509 certificate');
    }
    if (!certificate.ca) throw new CaConfigurationError('CA certificate lacks basicConstraints CA:true');
    if (privateKey.type !== 'private' || !certificate.checkPrivateKey(privateKey)) {
      throw new CaConfigurationError('CA private key does not match the CA certificate');
    }
    this.notAfter = new Date(certificate.validTo);
    if (!(this.notAfter > now)) {
      throw new CaConfigurationError(`CA certificate expired on ${certificate.validTo}`);
    }
    this.signatureAlgorithm = signatureAlgorithmOf(privateKey);
    this.keyType = privateKey.asymmetricKeyType === 'ec' ? 'ecdsa' : 'rsa';
    const fields = readCaCertificateFields(certificate.raw);
    this.certificatePem = certificate.toString();
    this.certificate = certificate;
    this.publicKey = certificate.publicKey;
    this.subjectKeyIdentifier = fields.subjectKeyIdentifier ?? keyIdentifierOf(certificate.publicKey);
    this.#privateKey = privateKey;
    this.#subjectName = toBinary(fields.subjectName);
  }

  /** The CA's subject Name, byte for byte, to write as the issuer of a certificate it signs. */
  issuerName(): forge.asn1.Asn1 {
    return forge.asn1.fromDer(this.#subjectName);
  }

  /** Signs `data` (a DER TBSCertificate) on libuv's thread pool, off the event loop. */
  sign(data: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      sign(this.signatureAlgorithm.digest, data, this.#privateKey, (err, signature) =>
        err ? reject(err) : resolve(signature),
      );
    });
  }
}

/** A CA from PEM text supplied by the operator (files or environment), as in production. */
export function loadCaFromPem(certificatePem: string, privateKeyPem: string): CertificateAuthority {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(privateKeyPem);
  } catch {
    throw new CaConfigurationError('CA private key is not an unencrypted PEM private key');
  }
  return new CertificateAuthority(certificatePem, privateKey);
}

/** Where the embedded CA lives and, when it must be created, what it looks like. */
export interface LoadOrCreateCaOptions {
  /** Directory holding `ca.key.pem` and `ca.crt.pem`; created (mode 0700) if missing. */
  readonly dir: string;
  /** Key algorithm of a new CA; `rsa` (2048 bits) by default. */
  readonly keyType?: CaKeyType;
  /** Common name of a new CA; `Compass Connector CA` by default. */
  readonly commonName?: string;
  /** Lifetime of a new CA certificate; 3650 days by default. */
  readonly validityDays?: number;
  /**
   * How long to wait for another process that has written the key but not yet the
   * certificate (15 s by default); after that the half-written pair is an error.
   */
  readonly peerCreationTimeoutMs?: number;
}

/** File names of the CA key (mode 0600) and certificate under `LoadOrCreateCaOptions.dir`. */
export const CA_KEY_FILE = 'ca.key.pem';
export const CA_CERTIFICATE_FILE = 'ca.crt.pem';
const DEFAULT_COMMON_NAME = 'Compass Connector CA';
const DEFAULT_VALIDITY_DAYS = 3650;
const PEER_CREATION_TIMEOUT_MS = 15_000;

/**
 * The embedded default: loads the CA from `dir`, or creates it there on first start (RSA 2048
 * by default, ten years). Each file is written to a temporary name and then hard-linked into
 * place, which never replaces an existing file: when the worker and the gateway start
 * together, exactly one creates the CA and the other loads it.
 */
export async function loadOrCreateCa(options: LoadOrCreateCaOptions): Promise<CertificateAuthority> {
  const { dir, keyType = 'rsa', peerCreationTimeoutMs = PEER_CREATION_TIMEOUT_MS } = options;
  const keyPath = path.join(dir, CA_KEY_FILE);
  const certPath = path.join(dir, CA_CERTIFICATE_FILE);
  let key = await readIfExists(keyPath);
  let cert = await readIfExists(certPath);
  if (key === undefined && cert === undefined) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = await generateCaKeyPair(keyType);
    const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const certificatePem = createCaCertificatePem({
      privateKey,
      publicKey,
      commonName: options.commonName ?? DEFAULT_COMMON_NAME,
      validityDays: options.validityDays ?? DEFAULT_VALIDITY_DAYS,
    });
    if (await publishExclusive(keyPath, keyPem, 0o600)) {
      if (!(await publishExclusive(certPath, certificatePem, 0o644))) {
        throw new CaConfigurationError(`${certPath} appeared while this process was creating the CA key`);
      }
      return new CertificateAuthority(certificatePem, privateKey);
    }
    key = await readIfExists(keyPath);
  }
  if (key !== undefined && cert === undefined) cert = await waitForFile(certPath, peerCreationTimeoutMs);
  if (key === undefined || cert === undefined) {
    throw new CaConfigurationError(
      key === undefined
        ? `${certPath} exists without ${keyPath}`
        : `${keyPath} exists without ${certPath}: remove the key to create a new CA, or supply its certificate`,
    );
  }
  return loadCaFromPem(cert, key);
}

const generateKeyPairAsync = promisify(generateKeyPair);

function generateCaKeyPair(keyType: CaKeyType): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  return keyType === 'ecdsa'
    ? generateKeyPairAsync('ec', { namedCurve: 'prime256v1' })
    : generateKeyPairAsync('rsa', { modulusLength: 2048 });
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Writes `content` durably under a temporary name, then links it to `file` unless `file` exists. */
async function publishExclusive(file: string, content: string, mode: number): Promise<boolean> {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temporary, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await rm(temporary, { force: true });
  }
}

/** Another process published the key and is about to publish the certificate. */
async function waitForFile(file: string, timeoutMs: number): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const content = await readIfExists(file);
    if (content !== undefined || Date.now() >= deadline) return content;
    await sleep(50);
  }
}
