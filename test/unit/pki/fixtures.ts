import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as forge from 'node-forge';
import type { CsrSubject } from '../../../pki';

export interface FixKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** The subject the Connector hands to an application, in Compass's shape. */
export function fixSubject(overrides: Partial<CsrSubject> = {}): CsrSubject {
  return {
    C: 'DE',
    ST: 'Waldorf',
    L: 'Waldorf',
    O: 'Organization',
    OU: 'OrgUnit',
    CN: 'app-1',
    ...overrides,
  };
}

/** Subject attributes in the order OpenSSL writes `/C=/ST=/L=/O=/OU=/CN=`. */
export function fixAttributes(subject: Partial<CsrSubject>): forge.pki.CertificateField[] {
  const order = ['C', 'ST', 'L', 'O', 'OU', 'CN'] as const;
  return order.flatMap((shortName) => {
    const value = subject[shortName];
    return value === undefined ? [] : [{ shortName, value }];
  });
}

export function fixRsaKeyPair(modulusLength = 2048): FixKeyPair {
  return generateKeyPairSync('rsa', { modulusLength });
}

/** A PEM CSR built and signed by node-forge, as a JavaScript client would make it. */
export function fixCsrPem(
  key: FixKeyPair,
  attributes: forge.pki.CertificateField[],
  md: forge.md.MessageDigest = forge.md.sha256.create(),
): string {
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.publicKeyFromPem(
    key.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  );
  csr.setSubject(attributes);
  csr.sign(
    forge.pki.privateKeyFromPem(key.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()),
    md,
  );
  return forge.pki.certificationRequestToPem(csr);
}

/** What the Connector's `signCertificateSigningRequest(csr:)` receives. */
export function fixCsrBase64(pem: string): string {
  return Buffer.from(pem).toString('base64');
}

/** The same CSR with one bit of its DER flipped, at the byte `offset` picks. */
export function fixTamperedCsrPem(pem: string, offset: (der: Buffer) => number): string {
  const der = Buffer.from(forge.pem.decode(pem)[0]!.body, 'latin1');
  const at = offset(der);
  der[at] = der[at]! ^ 0x01;
  return forge.pem.encode({ type: 'CERTIFICATE REQUEST', body: der.toString('latin1') });
}

/** A temporary directory removed by the returned function. */
export function fixTempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'compass-pki-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A CSR made by the `openssl req` command, as Compass's own tutorial does it. */
export function fixOpensslCsrPem(
  dir: string,
  subject: string,
  { newKey = 'rsa:2048', extraArgs = [] }: { newKey?: string; extraArgs?: string[] } = {},
): string {
  const out = path.join(dir, `req-${Math.random().toString(36).slice(2)}.csr`);
  execFileSync(
    'openssl',
    [
      'req',
      '-new',
      '-newkey',
      newKey,
      '-nodes',
      '-keyout',
      `${out}.key`,
      '-subj',
      subject,
      '-out',
      out,
      ...extraArgs,
    ],
    { stdio: 'pipe' },
  );
  return readFileSync(out, 'utf8');
}

/** Runs `openssl` with the given PEM files written to `dir`; returns stdout or throws with stderr. */
export function fixOpenssl(dir: string, args: string[], files: Record<string, string> = {}): string {
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return execFileSync('openssl', args, { cwd: dir, stdio: 'pipe', encoding: 'utf8' });
}
