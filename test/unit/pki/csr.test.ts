import * as forge from 'node-forge';
import {
  CsrError,
  CsrRejection,
  type CsrRejectionReason,
  MAX_CSR_BASE64_LENGTH,
  parseCsr,
  type CsrSubject,
} from '../../../pki';
import {
  type FixKeyPair,
  fixAttributes,
  fixCsrBase64,
  fixCsrPem,
  fixOpensslCsrPem,
  fixRsaKeyPair,
  fixSubject,
  fixTamperedCsrPem,
  fixTempDir,
} from './fixtures';

function rejection(csrBase64: string, expected: CsrSubject = fixSubject()): CsrError {
  try {
    parseCsr(csrBase64, expected);
  } catch (err) {
    expect(err).toBeInstanceOf(CsrError);
    return err as CsrError;
  }
  throw new Error('expected the CSR to be refused');
}

function expectRejected(
  csrBase64: string,
  reason: CsrRejectionReason,
  message?: string,
  expected?: CsrSubject,
) {
  const err = rejection(csrBase64, expected);
  expect(err.reason).toBe(reason);
  if (message !== undefined) expect(err.message).toBe(message);
}

describe('parseCsr', () => {
  let key: FixKeyPair;
  let validPem: string;
  const temp = fixTempDir();

  beforeAll(() => {
    key = fixRsaKeyPair();
    validPem = fixCsrPem(key, fixAttributes(fixSubject()));
  });
  afterAll(() => temp.remove());

  it('accepts a CSR whose subject is exactly the expected one', () => {
    const csr = parseCsr(fixCsrBase64(validPem), fixSubject());
    expect(csr.keyBits).toBe(2048);
    expect(csr.subject.map((a) => [a.shortName, a.value])).toEqual([
      ['C', 'DE'],
      ['ST', 'Waldorf'],
      ['L', 'Waldorf'],
      ['O', 'Organization'],
      ['OU', 'OrgUnit'],
      ['CN', 'app-1'],
    ]);
  });

  it('accepts base64 wrapped over several lines, as the base64 command writes it', () => {
    const wrapped = fixCsrBase64(validPem).replace(/.{76}/g, '$&\n');
    expect(parseCsr(wrapped, fixSubject()).keyBits).toBe(2048);
  });

  it('accepts a CSR made by the openssl command', () => {
    const pem = fixOpensslCsrPem(temp.dir, '/C=DE/ST=Waldorf/L=Waldorf/O=Organization/OU=OrgUnit/CN=app-1');
    expect(parseCsr(fixCsrBase64(pem), fixSubject()).keyBits).toBe(2048);
  });

  it('refuses a CSR for another common name, with Compass message', () => {
    const pem = fixCsrPem(key, fixAttributes(fixSubject({ CN: 'app-2' })));
    expectRejected(fixCsrBase64(pem), CsrRejection.SubjectMismatch, 'CSR: Invalid common name provided.');
  });

  it('refuses a CSR with another value for any attribute', () => {
    const pem = fixCsrPem(key, fixAttributes(fixSubject({ ST: 'Walldorf' })));
    expectRejected(fixCsrBase64(pem), CsrRejection.SubjectMismatch, 'CSR: Invalid province provided.');
  });

  it('refuses a CSR missing an expected attribute', () => {
    const pem = fixCsrPem(key, fixAttributes({ ...fixSubject(), OU: undefined }));
    expectRejected(fixCsrBase64(pem), CsrRejection.SubjectMismatch, 'CSR: No organizational unit provided.');
  });

  it('refuses a CSR with an attribute the subject does not have', () => {
    const withEmail = [...fixAttributes(fixSubject()), { name: 'emailAddress', value: 'a@example.com' }];
    expectRejected(
      fixCsrBase64(fixCsrPem(key, withEmail)),
      CsrRejection.SubjectMismatch,
      'CSR: Unexpected subject attribute 1.2.840.113549.1.9.1 provided.',
    );
    const { L: _l, ...withoutLocality } = fixSubject();
    expectRejected(
      fixCsrBase64(validPem),
      CsrRejection.SubjectMismatch,
      'CSR: Unexpected locality provided.',
      withoutLocality,
    );
  });

  it('refuses a CSR that repeats an attribute, even with the right value', () => {
    const twice = [...fixAttributes(fixSubject()), { shortName: 'OU', value: 'OrgUnit' }];
    expectRejected(
      fixCsrBase64(fixCsrPem(key, twice)),
      CsrRejection.SubjectMismatch,
      'CSR: Duplicate organizational unit provided.',
    );
  });

  it('refuses a multi-valued RDN, which the certificate could not reproduce', () => {
    const pem = fixOpensslCsrPem(temp.dir, '/C=DE/ST=Waldorf/L=Waldorf/O=Organization/OU=OrgUnit+CN=app-1', {
      extraArgs: ['-multivalue-rdn'],
    });
    expectRejected(
      fixCsrBase64(pem),
      CsrRejection.SubjectMismatch,
      'CSR: Multi-valued subject attributes are not accepted.',
    );
  });

  it('refuses a CSR whose signature was altered', () => {
    const tampered = fixTamperedCsrPem(validPem, (der) => der.length - 1);
    expectRejected(fixCsrBase64(tampered), CsrRejection.BadSignature, 'CSR: Invalid signature.');
  });

  it('refuses a CSR whose subject was altered after signing', () => {
    const tampered = fixTamperedCsrPem(validPem, (der) => der.indexOf('app-1') + 4);
    const err = rejection(fixCsrBase64(tampered), fixSubject({ CN: 'app-0' }));
    expect(err.reason).toBe(CsrRejection.BadSignature);
  });

  it('refuses a self-signature made with MD5', () => {
    const pem = fixCsrPem(key, fixAttributes(fixSubject()), forge.md.md5.create());
    expectRejected(fixCsrBase64(pem), CsrRejection.BadSignature, 'CSR: Unsupported signature algorithm.');
  });

  it('refuses a 1024-bit RSA key', () => {
    const pem = fixCsrPem(fixRsaKeyPair(1024), fixAttributes(fixSubject()));
    expectRejected(fixCsrBase64(pem), CsrRejection.WeakKey, 'CSR: RSA key must have at least 2048 bits.');
  });

  it('refuses an EC key, which it cannot read', () => {
    const pem = fixOpensslCsrPem(temp.dir, '/CN=app-1', {
      newKey: 'ec',
      extraArgs: ['-pkeyopt', 'ec_paramgen_curve:P-256'],
    });
    expectRejected(fixCsrBase64(pem), CsrRejection.Malformed, 'CSR: Only RSA keys are accepted.', {
      CN: 'app-1',
    });
  });

  it.each([
    ['text that is not base64', 'not base64!'],
    ['base64 of text that is not PEM', Buffer.from('hello').toString('base64')],
    ['an empty string', ''],
    [
      'base64 of a PEM block of another type',
      fixCsrBase64('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
    ],
    [
      'base64 of a PEM request with junk inside',
      fixCsrBase64('-----BEGIN CERTIFICATE REQUEST-----\nq83vEjRWeJA=\n-----END CERTIFICATE REQUEST-----\n'),
    ],
  ])('refuses %s as malformed', (_what, input) => {
    expectRejected(input, CsrRejection.Malformed);
  });

  it('refuses two requests in one PEM', () => {
    expectRejected(fixCsrBase64(validPem + validPem), CsrRejection.Malformed);
  });

  it('refuses input over 16 KiB before decoding it', () => {
    expectRejected('A'.repeat(MAX_CSR_BASE64_LENGTH + 1), CsrRejection.TooLarge);
    expectRejected(`${fixCsrBase64(validPem)}${'\n'.repeat(MAX_CSR_BASE64_LENGTH)}`, CsrRejection.TooLarge);
  });

  it('reports refusals as InvalidData errors', () => {
    const err = rejection('%%%');
    expect(err).toMatchObject({ name: 'InvalidData', code: 22, reason: 'MALFORMED' });
  });
});
