import { X509Certificate } from 'node:crypto';
import * as forge from 'node-forge';
import type { CertificateAuthority } from './ca';
import type { CheckedCsr } from './csr';
import {
  algorithmIdentifier,
  assembleCertificate,
  CLOCK_SKEW_MS,
  derOf,
  derToPem,
  keyIdentifierOf,
  randomSerialHex,
  sha256Hex,
  toBinary,
  truncateToSeconds,
  getTBSCertificate,
} from './x509';

/** The lifetime of an issued certificate, and the clock to start it from (tests fix it). */
export interface IssueOptions {
  /** How long the certificate is valid from `now`; capped at the CA certificate's own expiry. */
  readonly validityMs: number;
  readonly now?: Date;
}

/** A signed client certificate and what the Connector returns or stores alongside it. */
export interface IssuedCertificate {
  readonly certificatePem: string;
  readonly caCertificatePem: string;
  /** The client certificate followed by the CA certificate, as TLS clients present them. */
  readonly chainPem: string;
  /** Uppercase hex, as OpenSSL and Node's X509Certificate print it. */
  readonly serialHex: string;
  /** Lowercase hex SHA-256 of the certificate's DER; see {@link certificateHash}. */
  readonly sha256Fingerprint: string;
  readonly notAfter: Date;
}

/**
 * Issues a TLS client certificate for a checked CSR: the CSR's subject and key, a random
 * serial, notBefore a minute in the past for clock skew, basicConstraints CA:false, keyUsage
 * digitalSignature and keyEncipherment (the key is RSA), extKeyUsage clientAuth, and key
 * identifiers linking it to the CA. forge encodes the TBSCertificate; the CA signs it with
 * Node's crypto, about 60 times faster than forge's JavaScript RSA.
 */
export async function issueClientCertificate(
  ca: CertificateAuthority,
  csr: CheckedCsr,
  { validityMs, now = new Date() }: IssueOptions,
): Promise<IssuedCertificate> {
  if (!Number.isFinite(validityMs) || validityMs <= 0) {
    throw new RangeError(`validityMs must be a positive number of milliseconds, not ${validityMs}`);
  }
  const cert = forge.pki.createCertificate();
  cert.serialNumber = randomSerialHex();
  cert.validity.notBefore = new Date(now.getTime() - CLOCK_SKEW_MS);
  cert.validity.notAfter = new Date(Math.min(now.getTime() + validityMs, ca.notAfter.getTime()));
  cert.setSubject(csr.subject.map((attribute) => ({ ...attribute })));
  cert.publicKey = csr.forgePublicKey;
  cert.setExtensions([
    { name: 'basicConstraints', critical: true, cA: false },
    { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', clientAuth: true },
    { name: 'subjectKeyIdentifier', value: octetString(keyIdentifierOf(csr.publicKey)) },
    { name: 'authorityKeyIdentifier', keyIdentifier: toBinary(ca.subjectKeyIdentifier) },
  ]);
  cert.signatureOid = cert.siginfo.algorithmOid = ca.signatureAlgorithm.oid;
  const tbs = getTBSCertificate(cert);
  // forge would write the issuer from parsed attributes, and NULL parameters even for ECDSA;
  // the CA's own subject bytes and its exact algorithm identifier go in instead
  const fields = tbs.value as forge.asn1.Asn1[];
  fields[2] = algorithmIdentifier(ca.signatureAlgorithm);
  fields[3] = ca.issuerName();
  const tbsDer = derOf(tbs);
  const der = assembleCertificate(tbsDer, ca.signatureAlgorithm, await ca.sign(tbsDer));
  const certificatePem = derToPem(der);
  return {
    certificatePem,
    caCertificatePem: ca.certificatePem,
    chainPem: certificatePem + ca.certificatePem,
    serialHex: cert.serialNumber,
    sha256Fingerprint: sha256Hex(der),
    notAfter: truncateToSeconds(cert.validity.notAfter),
  };
}

/** Hex SHA-256 of a PEM certificate's DER: how revocation lists name a certificate. */
export function certificateHash(certificatePem: string): string {
  return sha256Hex(new X509Certificate(certificatePem).raw);
}

function octetString(bytes: Buffer): forge.asn1.Asn1 {
  return forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.OCTETSTRING, false, toBinary(bytes));
}
