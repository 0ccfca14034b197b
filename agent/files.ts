import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile, access, constants } from 'node:fs/promises';
import path from 'node:path';

/** A problem with the agent's state directory or its files: message for the operator. */
export class StateError extends Error {
  override readonly name = 'StateError';
}

/**
 * Writes `files` (name → content) into `dir` so that each appears whole or not at all: every
 * file is written to a temporary name first, and only when all are written are they renamed
 * into place (a rename is atomic). Secrets get mode 0600.
 */
export async function writeAtomically(
  dir: string,
  files: Record<string, string>,
  mode = 0o600,
): Promise<void> {
  const suffix = `.tmp-${randomBytes(4).toString('hex')}`;
  const names = Object.keys(files);
  try {
    for (const name of names) {
      await writeFile(path.join(dir, name + suffix), files[name]!, { mode, flag: 'wx' });
    }
  } catch (err) {
    await Promise.all(names.map((n) => rm(path.join(dir, n + suffix), { force: true })));
    throw err;
  }
  for (const name of names) await rename(path.join(dir, name + suffix), path.join(dir, name));
}

/** Creates the state directory (mode 0700) and checks it can be read and written. */
export async function ensureStateDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await mkdir(path.join(dir, 'applications'), { recursive: true, mode: 0o700 });
    await mkdir(path.join(dir, 'credentials'), { recursive: true, mode: 0o700 });
    await access(dir, constants.R_OK | constants.W_OK | constants.X_OK);
    await readdir(dir);
  } catch (err) {
    throw new StateError(
      `state directory ${dir} is not usable: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
}

/** The file's text, or undefined when it does not exist. */
export async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StateError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}
