import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type JWTPayload, SignJWT } from 'jose';
import { z } from 'zod';
import { AuthConfigError } from './errors';
import { hs256Key, type JwtVerifierOptions } from './jwt';

/** A token issuer the gateway keeps itself: its name and HS256 secret. */
export interface IssuerSecret {
  readonly issuer: string;
  readonly hs256Secret: string;
}

/** Verifier options that accept exactly the tokens this issuer signs (HS256, its `iss`, signed). */
export function issuerVerifierOptions(issuer: IssuerSecret): JwtVerifierOptions {
  return { issuer: issuer.issuer, hs256Secret: issuer.hs256Secret, allowUnsignedTokens: false };
}

/**
 * Signs `claims` as an HS256 JWT (`typ: JWT`) from `issuer` for `subject`, issued at `now`
 * (seconds) and expiring `ttlSeconds` later. The payload is `claims` followed by `iss`, `sub`,
 * `iat` and `exp`.
 */
export async function signHs256(
  issuer: IssuerSecret,
  subject: string,
  claims: JWTPayload,
  ttlSeconds: number,
  now = Math.floor(Date.now() / 1000),
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(issuer.issuer)
    .setSubject(subject)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(hs256Key(issuer.hs256Secret));
}

/**
 * Reads `<dataDir>/<fileName>`, creating it on first use with a random 32-byte secret for
 * `issuer`. The file is written with mode 0600 under a temporary name and hard-linked into
 * place, which never replaces an existing file: processes starting together agree on one
 * secret. A file other users can read, or one that is malformed, is refused with the fix.
 */
export async function loadOrCreateIssuerFile(
  dataDir: string,
  fileName: string,
  issuer: string,
): Promise<IssuerSecret> {
  const file = path.join(dataDir, fileName);
  try {
    return await readIssuerFile(file, issuer);
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err;
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const created: IssuerSecret = { issuer, hs256Secret: randomBytes(32).toString('base64url') };
  const draft = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(draft, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(draft, file);
    return created;
  } catch (err) {
    if (isErrno(err, 'EEXIST')) return readIssuerFile(file, issuer);
    throw err;
  } finally {
    await rm(draft, { force: true });
  }
}

async function readIssuerFile(file: string, issuer: string): Promise<IssuerSecret> {
  if (process.platform !== 'win32' && ((await stat(file)).mode & 0o077) !== 0) {
    throw new AuthConfigError(
      `${file} holds a signing secret but other users can read it; run: chmod 600 ${file}`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    raw = undefined;
  }
  const parsed = z.object({ issuer: z.literal(issuer), hs256Secret: z.string().min(32) }).safeParse(raw);
  if (!parsed.success) {
    throw new AuthConfigError(
      `${file} is not a valid issuer file for ${issuer}; delete it to create a new secret`,
    );
  }
  return parsed.data;
}

function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as NodeJS.ErrnoException).code === code;
}
