import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import * as forge from 'node-forge';
import {
  CA_CERTIFICATE_FILE,
  CA_KEY_FILE,
  CaConfigurationError,
  loadCaFromPem,
  loadOrCreateCa,
} from '../../../pki';
import { fixOpenssl, fixTempDir } from './fixtures';

const DAY_MS = 86_400_000;

describe('loadOrCreateCa', () => {
  const temp = fixTempDir();
  afterAll(() => temp.remove());

  it('creates the CA once, then loads the same one', async () => {
    const dir = path.join(temp.dir, 'once');
    const created = await loadOrCreateCa({ dir });
    const reloaded = await loadOrCreateCa({ dir });
    expect(reloaded.certificatePem).toBe(created.certificatePem);
    expect(readFileSync(path.join(dir, CA_CERTIFICATE_FILE), 'utf8')).toBe(created.certificatePem);
    expect(statSync(path.join(dir, CA_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual([CA_CERTIFICATE_FILE, CA_KEY_FILE]);
  });

  it('creates a ten-year self-signed RSA-2048 root for client certificates', async () => {
    const before = Date.now();
    const ca = await loadOrCreateCa({ dir: path.join(temp.dir, 'rsa'), commonName: 'Test CA' });
    const x509 = new X509Certificate(ca.certificatePem);
    expect(x509.ca).toBe(true);
    expect(x509.subject).toBe('CN=Test CA');
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(x509.serialNumber).toMatch(/^[0-9A-F]{32}$/);
    expect(Date.parse(x509.validTo) - before).toBeGreaterThan(3650 * DAY_MS - 60_000);
    expect(Date.parse(x509.validTo) - before).toBeLessThan(3650 * DAY_MS + 60_000);
    expect(ca.signatureAlgorithm.name).toBe('sha256WithRSAEncryption');

    const parsed = forge.pki.certificateFromPem(ca.certificatePem);
    expect(parsed.signatureOid).toBe(forge.pki.oids.sha256WithRSAEncryption);
    expect(parsed.getExtension('basicConstraints')).toMatchObject({ critical: true, cA: true });
    expect(parsed.getExtension('keyUsage')).toMatchObject({
      critical: true,
      keyCertSign: true,
      cRLSign: true,
      digitalSignature: false,
    });
    expect(parsed.getExtension('subjectKeyIdentifier')).toMatchObject({
      subjectKeyIdentifier: ca.subjectKeyIdentifier.toString('hex'),
    });
  });

  it('creates an ECDSA P-256 root when asked', async () => {
    const dir = path.join(temp.dir, 'ec');
    const ca = await loadOrCreateCa({ dir, keyType: 'ecdsa' });
    expect(ca.keyType).toBe('ecdsa');
    expect(ca.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(ca.certificate.verify(ca.publicKey)).toBe(true);
    const text = fixOpenssl(dir, ['x509', '-in', CA_CERTIFICATE_FILE, '-noout', '-text']);
    expect(text).toContain('Signature Algorithm: ecdsa-with-SHA256');
    expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(text).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
  });

  it('lets processes starting together agree on one CA', async () => {
    const dir = path.join(temp.dir, 'race');
    const cas = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateCa({ dir })));
    expect(new Set(cas.map((ca) => ca.certificatePem)).size).toBe(1);
    expect(cas.every((ca) => ca.certificate.checkPrivateKey(loadKey(dir)))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual([CA_CERTIFICATE_FILE, CA_KEY_FILE]);
  });

  it('writes nothing when asked for an impossible validity', async () => {
    const dir = path.join(temp.dir, 'invalid');
    await expect(loadOrCreateCa({ dir, validityDays: 0 })).rejects.toThrow(RangeError);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a key without its certificate after waiting for it', async () => {
    const dir = path.join(temp.dir, 'half');
    await loadOrCreateCa({ dir });
    rmSync(path.join(dir, CA_CERTIFICATE_FILE));
    await expect(loadOrCreateCa({ dir, peerCreationTimeoutMs: 100 })).rejects.toThrow(CaConfigurationError);
  });
});

describe('loadCaFromPem', () => {
  const temp = fixTempDir();
  afterAll(() => temp.remove());

  it('loads an operator-supplied CA made by openssl', () => {
    fixOpenssl(temp.dir, [
      'req',
      '-x509',
      '-newkey',
      'rsa:3072',
      '-nodes',
      '-keyout',
      'op.key',
      '-out',
      'op.crt',
      '-subj',
      '/O=Operator/CN=Operator CA',
      '-days',
      '30',
    ]);
    const certPem = readFileSync(path.join(temp.dir, 'op.crt'), 'utf8');
    const ca = loadCaFromPem(certPem, readFileSync(path.join(temp.dir, 'op.key'), 'utf8'));
    expect(ca.certificate.subject).toBe('O=Operator\nCN=Operator CA');
    const ski = fixOpenssl(temp.dir, ['x509', '-in', 'op.crt', '-noout', '-ext', 'subjectKeyIdentifier']);
    expect(ski.replace(/[^0-9A-F]/g, '').slice(-40)).toBe(
      ca.subjectKeyIdentifier.toString('hex').toUpperCase(),
    );
  });

  it('refuses a key that does not belong to the certificate', async () => {
    const ca = await loadOrCreateCa({ dir: path.join(temp.dir, 'mismatch') });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const otherPem = other.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => loadCaFromPem(ca.certificatePem, otherPem)).toThrow(
      'CA private key does not match the CA certificate',
    );
  });

  it('refuses a certificate that is not a CA', () => {
    fixOpenssl(temp.dir, [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'leaf.key',
      '-out',
      'leaf.crt',
      '-subj',
      '/CN=leaf',
      '-addext',
      'basicConstraints=critical,CA:FALSE',
    ]);
    const read = (name: string) => readFileSync(path.join(temp.dir, name), 'utf8');
    expect(() => loadCaFromPem(read('leaf.crt'), read('leaf.key'))).toThrow(
      'CA certificate lacks basicConstraints CA:true',
    );
  });

  it('refuses text that is not PEM', () => {
    expect(() => loadCaFromPem('junk', 'junk')).toThrow(CaConfigurationError);
  });
});

function loadKey(dir: string) {
  return createPrivateKey(readFileSync(path.join(dir, CA_KEY_FILE), 'utf8'));
}
