/**
 * The Connector's CSR input: `signCertificateSigningRequest(csr: String!)` receives base64 of
 * a PEM PKCS#10 request. node-forge parses it; only RSA keys are accepted because forge
 * cannot read EC public keys.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import * as forge from 'node-forge';
import { checkCsrSubject, type CsrSubject } from './csr-subject';
import { CsrSignatureError, CsrTooLargeError, MalformedCsrError, WeakCsrKeyError } from './errors';
import { childrenOf, derOf, Oid } from './x509';

const { asn1 } = forge;

/** The longest CSR accepted, counted in base64 characters before anything is decoded. */
export const MAX_CSR_BASE64_LENGTH = 16 * 1024;
/** The shortest RSA modulus accepted (NIST SP 800-131A: 2048 bits until 2030). */
export const MIN_RSA_KEY_BITS = 2048;
/** Larger moduli only cost verification time; no client needs them for a client certificate. */
export const MAX_RSA_KEY_BITS = 8192;

/** Self-signature algorithms accepted (the signature only proves possession of the key). */
const SIGNATURE_ALGORITHMS = new Set([
  '1.2.840.113549.1.1.5', // sha1WithRSAEncryption
  Oid.sha256WithRSAEncryption,
  '1.2.840.113549.1.1.12', // sha384WithRSAEncryption
  '1.2.840.113549.1.1.13', // sha512WithRSAEncryption
]);

/** A CSR that passed every check: what a client certificate is built from. */
export interface CheckedCsr {
  /** Subject attributes in the CSR's order, as forge read them (string types kept). */
  readonly subject: readonly forge.pki.CertificateField[];
  /** The CSR's RSA key for Node's crypto. */
  readonly publicKey: KeyObject;
  /** The same key as node-forge holds it, to build the certificate with. */
  readonly forgePublicKey: forge.pki.rsa.PublicKey;
  readonly keyBits: number;
}

/**
 * Decodes and checks a CSR from the Connector's API, cheapest checks first: size, encoding,
 * RSA key strength (before the signature, so a hostile key cannot make verification slow),
 * self-signature, then the subject against `expectedSubject`. Requested extensions are
 * ignored: the certificate's extensions are the Connector's choice.
 * @throws {CsrError} with a `reason` naming the failed check.
 */
export function parseCsr(csrBase64: string, expectedSubject: CsrSubject): CheckedCsr {
  if (csrBase64.length > MAX_CSR_BASE64_LENGTH) {
    throw new CsrTooLargeError(`CSR: Request is longer than ${MAX_CSR_BASE64_LENGTH} characters.`);
  }
  const { request, subjectPublicKeyInfo } = decodeRequest(csrBase64);
  const { publicKey, keyBits } = checkKey(subjectPublicKeyInfo);
  checkSignature(request);
  const subjectName = childrenOf(request.certificationRequestInfo ?? undefined)[1];
  if (!subjectName) throw new MalformedCsrError('CSR: Not a PKCS#10 certificate request.');
  checkCsrSubject(subjectName, expectedSubject);
  const forgePublicKey = request.publicKey as forge.pki.rsa.PublicKey | null;
  if (!forgePublicKey) throw new MalformedCsrError('CSR: Not a PKCS#10 certificate request.');
  return { subject: request.subject.attributes, publicKey, forgePublicKey, keyBits };
}

function decodeRequest(csrBase64: string): {
  request: forge.pki.CertificateSigningRequest;
  subjectPublicKeyInfo: Buffer;
} {
  // line breaks are skipped, as Go's decoder (Compass's) does, so wrapped `base64` output works
  const text = csrBase64.replace(/[\r\n]/g, '');
  if (!BASE64.test(text)) throw new MalformedCsrError('CSR: Not valid base64.');
  const pemText = Buffer.from(text, 'base64').toString('latin1');
  let blocks: forge.pem.ObjectPEM[];
  try {
    blocks = forge.pem.decode(pemText);
  } catch {
    blocks = [];
  }
  const [block] = blocks;
  if (blocks.length !== 1 || !block || !REQUEST_PEM_TYPES.has(block.type) || block.procType) {
    throw new MalformedCsrError('CSR: Expected base64 of one PEM certificate request.');
  }
  let der: forge.asn1.Asn1;
  try {
    der = asn1.fromDer(block.body);
  } catch {
    throw new MalformedCsrError('CSR: Invalid DER encoding.');
  }
  // forge reads only RSA keys; say so rather than report a parse failure
  const spki = childrenOf(childrenOf(der)[0])[2];
  const keyAlgorithm = childrenOf(childrenOf(spki)[0])[0]?.value;
  if (!spki || typeof keyAlgorithm !== 'string') {
    throw new MalformedCsrError('CSR: Not a PKCS#10 certificate request.');
  }
  if (asn1.derToOid(keyAlgorithm) !== Oid.rsaEncryption) {
    throw new MalformedCsrError('CSR: Only RSA keys are accepted.');
  }
  try {
    return { subjectPublicKeyInfo: derOf(spki), request: forge.pki.certificationRequestFromAsn1(der, false) };
  } catch {
    throw new MalformedCsrError('CSR: Not a PKCS#10 certificate request.');
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const REQUEST_PEM_TYPES = new Set(['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']);

function checkKey(subjectPublicKeyInfo: Buffer): { publicKey: KeyObject; keyBits: number } {
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: subjectPublicKeyInfo, format: 'der', type: 'spki' });
  } catch {
    throw new MalformedCsrError('CSR: Invalid RSA public key.');
  }
  const keyBits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  const exponent = publicKey.asymmetricKeyDetails?.publicExponent ?? 0n;
  if (keyBits > MAX_RSA_KEY_BITS) {
    throw new CsrTooLargeError(`CSR: RSA key must have at most ${MAX_RSA_KEY_BITS} bits.`);
  }
  if (keyBits < MIN_RSA_KEY_BITS) {
    throw new WeakCsrKeyError(`CSR: RSA key must have at least ${MIN_RSA_KEY_BITS} bits.`);
  }
  if (exponent < 3n || exponent >= 2n ** 32n || exponent % 2n === 0n) {
    throw new WeakCsrKeyError('CSR: RSA public exponent must be odd, at least 3 and below 2^32.');
  }
  return { publicKey, keyBits };
}

function checkSignature(request: forge.pki.CertificateSigningRequest): void {
  if (!request.signatureOid || !SIGNATURE_ALGORITHMS.has(request.signatureOid)) {
    throw new CsrSignatureError('CSR: Unsupported signature algorithm.');
  }
  let valid: boolean;
  try {
    valid = request.verify();
  } catch {
    valid = false;
  }
  if (!valid) throw new CsrSignatureError();
}
