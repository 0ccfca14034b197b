import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as forge from 'node-forge';
import { type CsrSubject, issueClientCertificate, loadOrCreateCa, parseCsr } from '../pki';
import type { BenchContext } from './context';
import { type Comparison, combine, compare, measure, type Sample } from './measure';

const SUBJECT: CsrSubject = {
  C: 'DE',
  ST: 'Waldorf',
  L: 'Waldorf',
  O: 'Organization',
  OU: 'OrgUnit',
  CN: 'bench-app',
};
const VALIDITY_MS = 90 * 86_400_000;
const OPENSSL_SECONDS = 3;

/**
 * The Connector's signing step: issueClientCertificate for one fixed, already checked
 * RSA-2048 CSR with a fresh RSA-2048 CA (forge builds the TBSCertificate, Node's OpenSSL
 * signs it), against its floor: this machine's RSA-2048 sign rate from `openssl speed`,
 * run in the same benchmark run, in alternating rounds. One operation at a time, because
 * signing is CPU-bound and synchronous per request and `openssl speed` uses one core. The
 * cost of checking the CSR (parseCsr), paid once per request before issuing, is reported
 * in the notes.
 */
export async function connectorSignBenchmark(ctx: BenchContext): Promise<Comparison> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'compass-bench-ca-'));
  try {
    const ca = await loadOrCreateCa({ dir });
    const csrBase64 = fixedCsrBase64();
    const csr = parseCsr(csrBase64, SUBJECT);
    const issue = async () => {
      await issueClientCertificate(ca, csr, { validityMs: VALIDITY_MS });
    };
    const check = async () => {
      parseCsr(csrBase64, SUBJECT);
    };
    const opts = { count: ctx.count, concurrency: 1 };
    // forge's encoders need a few thousand calls before V8 has optimised them
    await measure('warm-up', issue, { count: 2000, concurrency: 1 });
    await measure('warm-up', check, { count: 200, concurrency: 1 });
    const projectRounds: Sample[] = [];
    const floorRounds: Sample[] = [];
    for (let round = 0; round < 2; round++) {
      floorRounds.push(await opensslSignRate());
      projectRounds.push(await measure('issueClientCertificate, RSA-2048', issue, opts));
    }
    const parse = await measure('parseCsr', check, opts);
    return compare(
      'connector',
      combine(projectRounds),
      combine(floorRounds),
      `floor = openssl speed rsa2048 sign/s; concurrency 1; ` +
        `parseCsr before issuing: p50 ${parse.p50Ms.toFixed(2)} ms, ${parse.opsPerSecond.toFixed(0)}/s`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A CSR as a JavaScript client would make it: node-forge, SHA-256, the expected subject. */
function fixedCsrBase64(): string {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  csr.setSubject(
    (['C', 'ST', 'L', 'O', 'OU', 'CN'] as const).map((shortName) => ({
      shortName,
      value: SUBJECT[shortName],
    })),
  );
  const forgeKey = forge.pki.privateKeyFromPem(
    privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  );
  csr.sign(forgeKey, forge.md.sha256.create());
  return Buffer.from(forge.pki.certificationRequestToPem(csr)).toString('base64');
}

const execFileAsync = promisify(execFile);

/**
 * `openssl speed -seconds 3 rsa2048` as a Sample: its table line
 * (`rsa 2048 bits 0.000957s 0.000028s   1045.3  35784.1`) gives signs per second; one sign
 * takes 1000 / that many milliseconds.
 */
async function opensslSignRate(): Promise<Sample> {
  const { stdout } = await execFileAsync('openssl', [
    'speed',
    '-seconds',
    String(OPENSSL_SECONDS),
    'rsa2048',
  ]);
  const match = /^rsa\s+2048 bits\s+\S+s\s+\S+s\s+([\d.]+)\s+[\d.]+\s*$/m.exec(stdout);
  const signsPerSecond = Number(match?.[1]);
  if (!match || !(signsPerSecond > 0)) throw new Error(`cannot read the rsa2048 sign rate from:\n${stdout}`);
  return {
    subject: 'openssl speed rsa2048 sign (floor)',
    ops: Math.round(signsPerSecond * OPENSSL_SECONDS),
    seconds: OPENSSL_SECONDS,
    opsPerSecond: signsPerSecond,
    p50Ms: 1000 / signsPerSecond,
    p99Ms: 1000 / signsPerSecond,
  };
}
