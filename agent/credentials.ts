import { X509Certificate, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import * as forge from 'node-forge';
import { StateError, readOptional, writeAtomically } from './files';

/** The agent's client certificate on disk. */
export interface Credentials {
  readonly keyPem: string;
  /** The client certificate followed by the chain. */
  readonly certificateChainPem: string;
  readonly caPem: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export const KEY_FILE = 'client.key';
export const CERT_FILE = 'client.crt';
export const CA_FILE = 'ca.crt';

/** A fresh RSA-2048 key and a CSR for `subject` (`O=..,OU=..,CN=..`), base64 of PEM. */
export function newKeyAndCsr(subject: string): { keyPem: string; csr: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  csr.setSubject(
    subject.split(',').map((part) => {
      const [shortName, ...rest] = part.split('=');
      return { shortName: shortName!.trim(), value: rest.join('=') };
    }),
  );
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  csr.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  const pem = forge.pki.certificationRequestToPem(csr);
  return { keyPem, csr: Buffer.from(pem).toString('base64') };
}

/** Parses and checks a certificate chain and key; a broken file is a StateError naming it. */
export function credentialsOf(keyPem: string, certificateChainPem: string, caPem: string): Credentials {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certificateChainPem);
    new X509Certificate(caPem);
  } catch {
    throw new StateError(`the stored certificate (${CERT_FILE} or ${CA_FILE}) is corrupt`);
  }
  try {
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) throw new Error('mismatch');
  } catch {
    throw new StateError(`the stored key (${KEY_FILE}) is corrupt or does not belong to ${CERT_FILE}`);
  }
  return {
    keyPem,
    certificateChainPem,
    caPem,
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
  };
}

/** The stored credentials, undefined when none are stored yet. */
export async function loadCredentials(dir: string): Promise<Credentials | undefined> {
  const [key, cert, ca] = await Promise.all(
    [KEY_FILE, CERT_FILE, CA_FILE].map((f) => readOptional(path.join(dir, f))),
  );
  if (key === undefined && cert === undefined) return undefined;
  if (key === undefined || cert === undefined || ca === undefined)
    throw new StateError(
      `the state directory holds only part of a certificate (${KEY_FILE}, ${CERT_FILE}, ${CA_FILE})`,
    );
  return credentialsOf(key, cert, ca);
}

/** Stores new credentials; the old files stay until the new ones are whole on disk. */
export async function storeCredentials(
  dir: string,
  c: Pick<Credentials, 'keyPem' | 'certificateChainPem' | 'caPem'>,
): Promise<void> {
  await writeAtomically(dir, {
    [KEY_FILE]: c.keyPem,
    [CERT_FILE]: c.certificateChainPem,
    [CA_FILE]: c.caPem,
  });
}

/** Base64 of PEM (the Connector's encoding) to PEM. */
export function fromBase64Pem(b64: string): string {
  return Buffer.from(b64, 'base64').toString('utf8');
}
