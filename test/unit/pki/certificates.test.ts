import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import * as forge from 'node-forge';
import {
  certificateHash,
  type CertificateAuthority,
  type CheckedCsr,
  issueClientCertificate,
  loadOrCreateCa,
  parseCsr,
} from '../../../pki';
import {
  fixAttributes,
  fixCsrBase64,
  fixCsrPem,
  fixOpenssl,
  fixOpensslCsrPem,
  fixRsaKeyPair,
  fixSubject,
  fixTempDir,
} from './fixtures';

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const HOUR_MS = 3_600_000;
const SUBJECT_TEXT = 'C=DE\nST=Waldorf\nL=Waldorf\nO=Organization\nOU=OrgUnit\nCN=app-1';

describe('issueClientCertificate', () => {
  const temp = fixTempDir();
  let ca: CertificateAuthority;
  let csr: CheckedCsr;

  beforeAll(async () => {
    ca = await loadOrCreateCa({ dir: path.join(temp.dir, 'ca') });
    csr = parseCsr(fixCsrBase64(fixCsrPem(fixRsaKeyPair(), fixAttributes(fixSubject()))), fixSubject());
  });
  afterAll(() => temp.remove());

  it('issues a certificate the CA verifies, for the CSR subject, for TLS client auth', async () => {
    const issued = await issueClientCertificate(ca, csr, { validityMs: 24 * HOUR_MS });
    const x509 = new X509Certificate(issued.certificatePem);
    expect(x509.verify(ca.publicKey)).toBe(true);
    expect(x509.checkIssued(ca.certificate)).toBe(true);
    expect(x509.ca).toBe(false);
    expect(x509.keyUsage).toEqual([CLIENT_AUTH]);
    expect(x509.subject).toBe(SUBJECT_TEXT);
    expect(x509.issuer).toBe(ca.certificate.subject);
    expect(x509.publicKey.equals(csr.publicKey)).toBe(true);
  });

  it('signs with SHA-256 and RSA and writes the expected extensions', async () => {
    const issued = await issueClientCertificate(ca, csr, { validityMs: HOUR_MS });
    const parsed = forge.pki.certificateFromPem(issued.certificatePem);
    expect(forge.pki.oids[parsed.signatureOid]).toBe('sha256WithRSAEncryption');
    expect(parsed.getExtension('basicConstraints')).toMatchObject({ critical: true, cA: false });
    expect(parsed.getExtension('keyUsage')).toMatchObject({
      critical: true,
      digitalSignature: true,
      keyEncipherment: true,
      keyCertSign: false,
    });
    expect(parsed.getExtension('extKeyUsage')).toMatchObject({ clientAuth: true });
    const text = fixOpenssl(temp.dir, ['x509', '-in', 'leaf.pem', '-noout', '-text'], {
      'leaf.pem': issued.certificatePem,
    });
    const caKeyId = ca.subjectKeyIdentifier.toString('hex').toUpperCase().match(/../g)!.join(':');
    expect(text).toMatch(new RegExp(`Authority Key Identifier:\\s+(keyid:)?${caKeyId}`));
    expect(text).toContain('X509v3 Subject Key Identifier');
  });

  it('gives each certificate a fresh positive 128-bit serial', async () => {
    const first = await issueClientCertificate(ca, csr, { validityMs: HOUR_MS });
    const second = await issueClientCertificate(ca, csr, { validityMs: HOUR_MS });
    expect(first.serialHex).toMatch(/^[4-7][0-9A-F]{31}$/);
    expect(second.serialHex).toMatch(/^[4-7][0-9A-F]{31}$/);
    expect(first.serialHex).not.toBe(second.serialHex);
    expect(new X509Certificate(first.certificatePem).serialNumber).toBe(first.serialHex);
  });

  it('is valid from a minute before now for the requested time', async () => {
    const now = new Date('2030-01-02T03:04:05.678Z');
    const issued = await issueClientCertificate(ca, csr, { validityMs: 90 * 24 * HOUR_MS, now });
    const x509 = new X509Certificate(issued.certificatePem);
    expect(new Date(x509.validFrom).toISOString()).toBe('2030-01-02T03:03:05.000Z');
    expect(new Date(x509.validTo).toISOString()).toBe('2030-04-02T03:04:05.000Z');
    expect(issued.notAfter.toISOString()).toBe('2030-04-02T03:04:05.000Z');
  });

  it('never outlives its CA', async () => {
    const shortCa = await loadOrCreateCa({ dir: path.join(temp.dir, 'short'), validityDays: 1 });
    const issued = await issueClientCertificate(shortCa, csr, { validityMs: 365 * 24 * HOUR_MS });
    expect(Date.parse(new X509Certificate(issued.certificatePem).validTo)).toBe(shortCa.notAfter.getTime());
  });

  it('returns the chain, the CA certificate and the DER fingerprint', async () => {
    const issued = await issueClientCertificate(ca, csr, { validityMs: HOUR_MS });
    const x509 = new X509Certificate(issued.certificatePem);
    expect(issued.caCertificatePem).toBe(ca.certificatePem);
    expect(issued.chainPem).toBe(issued.certificatePem + ca.certificatePem);
    expect(issued.sha256Fingerprint).toBe(x509.fingerprint256.replace(/:/g, '').toLowerCase());
    expect(certificateHash(issued.certificatePem)).toBe(issued.sha256Fingerprint);
  });

  it('refuses a validity that is not a positive duration', async () => {
    await expect(issueClientCertificate(ca, csr, { validityMs: 0 })).rejects.toThrow(RangeError);
    await expect(issueClientCertificate(ca, csr, { validityMs: Number.NaN })).rejects.toThrow(RangeError);
  });

  it('issues for an openssl CSR a certificate openssl accepts for client auth', async () => {
    const subject = '/C=DE/ST=Waldorf/L=Waldorf/O=Organization/OU=OrgUnit/CN=app-1';
    const opensslCsr = parseCsr(fixCsrBase64(fixOpensslCsrPem(temp.dir, subject)), fixSubject());
    const issued = await issueClientCertificate(ca, opensslCsr, { validityMs: HOUR_MS });
    expect(new X509Certificate(issued.certificatePem).subject).toBe(SUBJECT_TEXT);
    const out = fixOpenssl(temp.dir, ['verify', '-CAfile', 'ca.pem', '-purpose', 'sslclient', 'client.pem'], {
      'ca.pem': ca.certificatePem,
      'client.pem': issued.certificatePem,
    });
    expect(out.trim()).toBe('client.pem: OK');
  });

  it('issues ECDSA-signed certificates from an ECDSA CA', async () => {
    const ecCa = await loadOrCreateCa({ dir: path.join(temp.dir, 'ec'), keyType: 'ecdsa' });
    const issued = await issueClientCertificate(ecCa, csr, { validityMs: HOUR_MS });
    expect(new X509Certificate(issued.certificatePem).verify(ecCa.publicKey)).toBe(true);
    const files = { 'ec-ca.pem': ecCa.certificatePem, 'ec-client.pem': issued.certificatePem };
    const text = fixOpenssl(temp.dir, ['x509', '-in', 'ec-client.pem', '-noout', '-text'], files);
    expect(text).toContain('Signature Algorithm: ecdsa-with-SHA256');
    const out = fixOpenssl(temp.dir, [
      'verify',
      '-CAfile',
      'ec-ca.pem',
      '-purpose',
      'sslclient',
      'ec-client.pem',
    ]);
    expect(out.trim()).toBe('ec-client.pem: OK');
  });
});
