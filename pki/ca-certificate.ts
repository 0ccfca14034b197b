import { type KeyObject, sign } from 'node:crypto';
import * as forge from 'node-forge';
import {
  algorithmIdentifier,
  asn1Time,
  assembleCertificate,
  CLOCK_SKEW_MS,
  derOf,
  derToPem,
  keyIdentifierOf,
  Oid,
  randomSerialHex,
  signatureAlgorithmOf,
  toBinary,
} from './x509';

const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;

/** What a new self-signed CA certificate says about itself. */
export interface CaCertificateOptions {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly commonName: string;
  readonly validityDays: number;
  readonly now?: Date;
}

/**
 * Builds and signs a self-signed root for the Connector: basicConstraints CA:true with path
 * length 0 (it signs only client certificates), keyUsage keyCertSign and cRLSign, a subject
 * key identifier, a random serial and SHA-256. The TBSCertificate is written directly with
 * forge's ASN.1 encoder because forge's certificate builder only represents RSA keys, and
 * the CA may be ECDSA.
 */
export function createCaCertificatePem(options: CaCertificateOptions): string {
  const { privateKey, publicKey, commonName, validityDays, now = new Date() } = options;
  if (!Number.isInteger(validityDays) || validityDays < 1) {
    throw new RangeError(`validityDays must be a positive integer, not ${validityDays}`);
  }
  const algorithm = signatureAlgorithmOf(privateKey);
  const notBefore = new Date(now.getTime() - CLOCK_SKEW_MS);
  const notAfter = new Date(now.getTime() + validityDays * 86_400_000);
  const spki = asn1.fromDer(toBinary(publicKey.export({ type: 'spki', format: 'der' })));
  const tbs = sequence([
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [integer(asn1.integerToDer(2).getBytes())]),
    integer(forge.util.hexToBytes(randomSerialHex())),
    algorithmIdentifier(algorithm),
    nameWithCommonName(commonName),
    sequence([asn1Time(notBefore), asn1Time(notAfter)]),
    nameWithCommonName(commonName),
    spki,
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 3, true, [
      sequence([
        extension(Oid.basicConstraints, true, sequence([boolean(true), integer('\x00')])),
        extension(
          Oid.keyUsage,
          true,
          // keyCertSign (bit 5) and cRLSign (bit 6): 0x06 with one unused trailing bit
          asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, '\x01\x06'),
        ),
        extension(
          Oid.subjectKeyIdentifier,
          false,
          asn1.create(
            asn1.Class.UNIVERSAL,
            asn1.Type.OCTETSTRING,
            false,
            toBinary(keyIdentifierOf(publicKey)),
          ),
        ),
      ]),
    ]),
  ]);
  const tbsDer = derOf(tbs);
  const signature = sign(algorithm.digest, tbsDer, privateKey);
  return derToPem(assembleCertificate(tbsDer, algorithm, signature));
}

function nameWithCommonName(commonName: string): Asn1 {
  const cn = sequence([
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(Oid.commonName).getBytes()),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTF8, false, forge.util.encodeUtf8(commonName)),
  ]);
  return sequence([asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [cn])]);
}

function extension(oid: string, critical: boolean, value: Asn1): Asn1 {
  return sequence([
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()),
    ...(critical ? [boolean(true)] : []),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, asn1.toDer(value).getBytes()),
  ]);
}

function sequence(children: Asn1[]): Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, children);
}

function integer(bytes: string): Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, bytes);
}

function boolean(value: boolean): Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BOOLEAN, false, value ? '\xff' : '\x00');
}
