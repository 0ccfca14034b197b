import { generateKeyPair, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { promisify } from 'node:util';
import * as forge from 'node-forge';
import type { CertificateAuthority } from './ca';
import { issueLeafCertificate } from './certificates';
import { derToPem } from './x509';

const generateKeyPairAsync = promisify(generateKeyPair);

/** A TLS server certificate and its private key, for the gateway's mTLS listener. */
export interface ServerCertificate {
  readonly certificatePem: string;
  /** PKCS#8 PEM; handed to the TLS server only, never logged or stored. */
  readonly privateKeyPem: string;
  readonly notAfter: Date;
}

/** What the server certificate names and how long it lives. */
export interface ServerCertificateOptions {
  /** DNS names and IP addresses clients reach the listener at; the first is the CN. */
  readonly hosts: readonly string[];
  /** Capped at the CA certificate's own expiry; 30 days by default. */
  readonly validityMs?: number;
  readonly now?: Date;
}

/**
 * Issues a server certificate (fresh RSA 2048 key, extKeyUsage serverAuth, subjectAltName for
 * every host) signed by the Connector's CA. The mTLS listener creates one at start, so clients
 * that trust the CA they got with their client certificate also trust the listener.
 */
export async function issueServerCertificate(
  ca: CertificateAuthority,
  { hosts, validityMs = 30 * 24 * 3_600_000, now = new Date() }: ServerCertificateOptions,
): Promise<ServerCertificate> {
  const names = [...new Set(hosts.filter((h) => h.length > 0))];
  if (names.length === 0) throw new RangeError('a server certificate needs at least one host');
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
  const leaf = await issueLeafCertificate(ca, {
    subject: [{ shortName: 'CN', value: names[0]! }],
    forgePublicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    publicKey,
    usage: [
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: names.map((host) => (isIP(host) ? { type: 7, ip: host } : { type: 2, value: host })),
      },
    ],
    validityMs,
    now,
  });
  return {
    certificatePem: derToPem(leaf.der),
    privateKeyPem: pkcs8Pem(privateKey),
    notAfter: leaf.notAfter,
  };
}

function pkcs8Pem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}
