/**
 * DER building blocks shared by the CA certificate and the client certificates it issues:
 * algorithm identifiers, serials, times, key identifiers and the final Certificate assembly.
 * node-forge encodes the ASN.1; Node's crypto hashes and signs.
 */
import { createHash, type KeyObject, randomBytes } from 'node:crypto';
import * as forge from 'node-forge';
import { CaConfigurationError } from './errors';

const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;

/** Object identifiers the module writes or looks for. */
export const Oid = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
  commonName: '2.5.4.3',
} as const;

/** How a CA key signs: the X.509 algorithm it declares and the digest Node's `sign` uses. */
export interface SignatureAlgorithm {
  readonly name: 'sha256WithRSAEncryption' | 'ecdsa-with-SHA256';
  readonly oid: string;
  readonly digest: 'sha256';
}

/**
 * The signature algorithm for a CA key: SHA-256 with RSA (2048 bits or more) or ECDSA on
 * P-256. Anything else cannot sign certificates that every TLS stack accepts.
 */
export function signatureAlgorithmOf(key: KeyObject): SignatureAlgorithm {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa' && (details?.modulusLength ?? 0) >= 2048) {
    return { name: 'sha256WithRSAEncryption', oid: Oid.sha256WithRSAEncryption, digest: 'sha256' };
  }
  if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1') {
    return { name: 'ecdsa-with-SHA256', oid: Oid.ecdsaWithSha256, digest: 'sha256' };
  }
  throw new CaConfigurationError(
    `CA key must be RSA with at least 2048 bits or ECDSA on P-256, not ${describeKey(key)}`,
  );
}

function describeKey(key: KeyObject): string {
  const d = key.asymmetricKeyDetails;
  return [key.asymmetricKeyType ?? key.type, d?.modulusLength, d?.namedCurve].filter(Boolean).join(' ');
}

/** AlgorithmIdentifier: NULL parameters for RSA (RFC 4055), none for ECDSA (RFC 5758). */
export function algorithmIdentifier(algorithm: SignatureAlgorithm): Asn1 {
  const oid = asn1.create(
    asn1.Class.UNIVERSAL,
    asn1.Type.OID,
    false,
    asn1.oidToDer(algorithm.oid).getBytes(),
  );
  const params =
    algorithm.oid === Oid.sha256WithRSAEncryption
      ? [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')]
      : [];
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [oid, ...params]);
}

/** forge keeps bytes in "binary" strings (one char per byte); this converts a Buffer to one. */
export function toBinary(bytes: Buffer): string {
  return bytes.toString('latin1');
}

/** The inverse of {@link toBinary}. */
export function fromBinary(bytes: string): Buffer {
  return Buffer.from(bytes, 'latin1');
}

/** DER encoding of a forge ASN.1 node, as a Buffer for Node's crypto. */
export function derOf(node: Asn1): Buffer {
  return fromBinary(asn1.toDer(node).getBytes());
}

/** The children of a constructed node, or none for a primitive one. */
export function childrenOf(node: Asn1 | undefined): Asn1[] {
  return node && Array.isArray(node.value) ? node.value : [];
}

/**
 * Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING },
 * from the TBSCertificate DER that was signed, so it is not encoded a second time.
 */
export function assembleCertificate(
  tbsDer: Buffer,
  algorithm: SignatureAlgorithm,
  signature: Buffer,
): Buffer {
  const signatureBits = asn1.create(
    asn1.Class.UNIVERSAL,
    asn1.Type.BITSTRING,
    false,
    `\x00${toBinary(signature)}`,
  );
  const body = [tbsDer, derOf(algorithmIdentifier(algorithm)), derOf(signatureBits)];
  const length = body.reduce((n, part) => n + part.length, 0);
  return Buffer.concat([derHeader(0x30, length), ...body]);
}

/** A DER tag and definite length (short form below 128 bytes, long form above). */
function derHeader(tag: number, length: number): Buffer {
  if (length < 0x80) return Buffer.from([tag, length]);
  const octets: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) octets.unshift(n % 256);
  return Buffer.from([tag, 0x80 | octets.length, ...octets]);
}

/** PEM with 64-character lines, as OpenSSL writes it. */
export function derToPem(der: Buffer, label = 'CERTIFICATE'): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * A fresh serial: 16 random bytes with the top bits set to `01`, so the INTEGER is positive,
 * minimally encoded and always 32 hex digits, carrying 126 random bits (RFC 5280 asks for
 * at most 20 octets; CA/Browser Forum rules ask for at least 64 random bits).
 */
export function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x3f) | 0x40;
  return bytes.toString('hex').toUpperCase();
}

/** RFC 5280 §4.1.2.5: UTCTime for dates through 2049, GeneralizedTime from 2050. */
export function asn1Time(date: Date): Asn1 {
  return date.getUTCFullYear() < 2050
    ? asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date))
    : asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

/** How far back a new certificate's notBefore is set, so clocks that lag a little accept it. */
export const CLOCK_SKEW_MS = 60_000;

/** The instant a certificate records for `date`: X.509 times have whole seconds. */
export function truncateToSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/**
 * RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits (the PKCS#1 key for RSA,
 * the uncompressed point for EC), the identifier OpenSSL also computes.
 */
export function keyIdentifierOf(publicKey: KeyObject): Buffer {
  return createHash('sha1').update(subjectPublicKeyBits(publicKey)).digest();
}

function subjectPublicKeyBits(publicKey: KeyObject): Buffer {
  if (publicKey.asymmetricKeyType === 'rsa') return publicKey.export({ type: 'pkcs1', format: 'der' });
  const { x, y } = publicKey.export({ format: 'jwk' });
  if (!x || !y)
    throw new CaConfigurationError(`cannot compute a key identifier for ${describeKey(publicKey)}`);
  return Buffer.concat([Buffer.from([4]), Buffer.from(x, 'base64url'), Buffer.from(y, 'base64url')]);
}

/** Lowercase hex SHA-256 of DER bytes: the certificate fingerprint used for revocation. */
export function sha256Hex(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

/** What an issued certificate copies from its CA's certificate. */
export interface CaCertificateFields {
  /** DER of the CA's subject Name, reused byte for byte as the issuer of what it signs. */
  readonly subjectName: Buffer;
  /** The CA's subjectKeyIdentifier extension, when it has one. */
  readonly subjectKeyIdentifier: Buffer | undefined;
}

/** Reads the CA certificate's subject Name and key identifier (Node's X509Certificate exposes neither). */
export function readCaCertificateFields(der: Buffer): CaCertificateFields {
  const [tbs] = childrenOf(asn1.fromDer(toBinary(der)));
  const fields = childrenOf(tbs);
  const hasVersion = isContext(fields[0], 0);
  const subject = fields[hasVersion ? 5 : 4];
  if (!subject) throw new CaConfigurationError('CA certificate has no subject');
  const extensions = childrenOf(childrenOf(fields.find((f) => isContext(f, 3)))[0]);
  let subjectKeyIdentifier: Buffer | undefined;
  for (const extension of extensions) {
    const parts = childrenOf(extension);
    const id = parts[0]?.value;
    const value = parts[parts.length - 1]?.value;
    if (typeof id !== 'string' || typeof value !== 'string') continue;
    if (asn1.derToOid(id) !== Oid.subjectKeyIdentifier) continue;
    const octets = asn1.fromDer(value).value;
    if (typeof octets === 'string') subjectKeyIdentifier = fromBinary(octets);
  }
  return { subjectName: derOf(subject), subjectKeyIdentifier };
}

function isContext(node: Asn1 | undefined, tag: number): boolean {
  return node?.tagClass === asn1.Class.CONTEXT_SPECIFIC && node.type === tag;
}

/** `pki.getTBSCertificate` exists in node-forge but is missing from its type definitions. */
export const getTBSCertificate = (
  forge.pki as unknown as { getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1 }
).getTBSCertificate;
