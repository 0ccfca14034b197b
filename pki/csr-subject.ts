import * as forge from 'node-forge';
import { CsrSubjectMismatchError, MalformedCsrError } from './errors';
import { childrenOf } from './x509';

const { asn1 } = forge;

/**
 * The subject the Connector told the client to put in its CSR. Attributes left out must be
 * absent from the CSR; those given must appear exactly once with exactly this value.
 */
export interface CsrSubject {
  readonly CN: string;
  readonly C?: string;
  readonly O?: string;
  readonly OU?: string;
  readonly L?: string;
  readonly ST?: string;
}

/** Checked in Compass's order, with its names, so its clients see the messages they know. */
const ATTRIBUTES = [
  { key: 'CN', oid: '2.5.4.3', label: 'common name' },
  { key: 'C', oid: '2.5.4.6', label: 'country' },
  { key: 'O', oid: '2.5.4.10', label: 'organization' },
  { key: 'OU', oid: '2.5.4.11', label: 'organizational unit' },
  { key: 'L', oid: '2.5.4.7', label: 'locality' },
  { key: 'ST', oid: '2.5.4.8', label: 'province' },
] as const satisfies readonly { key: keyof CsrSubject; oid: string; label: string }[];

interface SubjectAttribute {
  readonly oid: string;
  readonly value: string;
}

/**
 * Throws unless the subject Name (the CSR's RDNSequence) equals `expected`: the same
 * attributes, the same values, nothing extra, nothing repeated, one attribute per RDN (a
 * multi-valued RDN could not be copied into the certificate unchanged).
 */
export function checkCsrSubject(subjectName: forge.asn1.Asn1, expected: CsrSubject): void {
  const attributes = readSubject(subjectName);
  for (const { key, oid, label } of ATTRIBUTES) {
    const values = attributes.filter((a) => a.oid === oid).map((a) => a.value);
    const want = expected[key];
    if (want === undefined) {
      if (values.length > 0) throw new CsrSubjectMismatchError(`CSR: Unexpected ${label} provided.`);
    } else if (values.length === 0) {
      throw new CsrSubjectMismatchError(`CSR: No ${label} provided.`);
    } else if (values.length > 1) {
      throw new CsrSubjectMismatchError(`CSR: Duplicate ${label} provided.`);
    } else if (values[0] !== want) {
      throw new CsrSubjectMismatchError(`CSR: Invalid ${label} provided.`);
    }
  }
  const known = new Set<string>(ATTRIBUTES.map((a) => a.oid));
  const extra = attributes.find((a) => !known.has(a.oid));
  if (extra) throw new CsrSubjectMismatchError(`CSR: Unexpected subject attribute ${extra.oid} provided.`);
}

function readSubject(subjectName: forge.asn1.Asn1): SubjectAttribute[] {
  return childrenOf(subjectName).map((rdn) => {
    const members = childrenOf(rdn);
    if (members.length !== 1) {
      throw new CsrSubjectMismatchError('CSR: Multi-valued subject attributes are not accepted.');
    }
    const [type, value] = childrenOf(members[0]);
    if (typeof type?.value !== 'string' || typeof value?.value !== 'string') {
      throw new MalformedCsrError('CSR: Invalid subject.');
    }
    return { oid: asn1.derToOid(type.value), value: decodeDirectoryString(value.type, value.value) };
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf16be = new TextDecoder('utf-16be', { fatal: true });

/** DirectoryString values as text; the string types OpenSSL, Go and forge write, and BMPString. */
function decodeDirectoryString(type: number, bytes: string): string {
  const text = tryDecode(type, Buffer.from(bytes, 'latin1'));
  if (text === undefined)
    throw new MalformedCsrError('CSR: Subject contains an unsupported or invalid string.');
  return text;
}

function tryDecode(type: number, bytes: Buffer): string | undefined {
  try {
    switch (type) {
      case asn1.Type.UTF8:
        return utf8.decode(bytes);
      case asn1.Type.PRINTABLESTRING:
      case asn1.Type.IA5STRING:
        return bytes.some((b) => b > 0x7f) ? undefined : bytes.toString('latin1');
      case asn1.Type.BMPSTRING:
        return utf16be.decode(bytes);
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}
