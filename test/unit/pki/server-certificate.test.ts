import { createPrivateKey, X509Certificate } from 'node:crypto';
import { type CertificateAuthority, issueServerCertificate, loadOrCreateCa } from '../../../pki';
import { fixOpenssl, fixTempDir } from './fixtures';

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

describe('issueServerCertificate', () => {
  const temp = fixTempDir();
  let ca: CertificateAuthority;
  beforeAll(async () => {
    ca = await loadOrCreateCa({ dir: temp.dir });
  });
  afterAll(() => temp.remove());

  it('names every host, is for serverAuth only, and verifies against the CA', async () => {
    const issued = await issueServerCertificate(ca, { hosts: ['localhost', '127.0.0.1', 'localhost'] });
    const cert = new X509Certificate(issued.certificatePem);
    expect(cert.subject).toBe('CN=localhost');
    expect(cert.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
    expect(cert.keyUsage).toEqual([SERVER_AUTH]);
    expect(cert.ca).toBe(false);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(issued.privateKeyPem))).toBe(true);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    const verified = fixOpenssl(
      temp.dir,
      ['verify', '-purpose', 'sslserver', '-CAfile', 'ca.pem', 'server.pem'],
      { 'ca.pem': ca.certificatePem, 'server.pem': issued.certificatePem },
    );
    expect(verified.trim()).toBe('server.pem: OK');
  });

  it('refuses an empty host list', async () => {
    await expect(issueServerCertificate(ca, { hosts: [''] })).rejects.toThrow(RangeError);
  });
});
