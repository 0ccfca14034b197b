import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { issueDevToken, loadOrCreateDevIssuer } from '../../api/auth/dev-issuer';
import { allScopes } from '../../api/auth/scopes';

const START = path.join(__dirname, '..', '..', 'dist', 'scripts', 'start.js');

/** The built launcher (`npm start`) running as a separate process. */
export interface Launch {
  readonly child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

/** Starts `node dist/scripts/start.js` with `env` on top of this process's environment. */
export function launch(env: NodeJS.ProcessEnv): Launch {
  const child = spawn(process.execPath, [START], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Resolves once the launcher prints that the stack is up; fails if it exits first. */
export async function untilUp(l: Launch): Promise<void> {
  for (;;) {
    if (l.output().includes('Compass on Temporal is up')) return;
    const done = await Promise.race([
      l.exited.then(() => true),
      new Promise((r) => setTimeout(() => r(false), 200)),
    ]);
    if (done) throw new Error(`npm start exited before the stack was up:\n${l.output()}`);
  }
}

/** A token of the stack's own local issuer (under its DATA_DIR), as `npm run token` prints it. */
export async function bearer(dataDir: string): Promise<string> {
  const issuer = await loadOrCreateDevIssuer(dataDir);
  return `Bearer ${await issueDevToken(issuer, { tenant: '', scopes: allScopes(), consumerId: 'e2e', ttlSec: 600 })}`;
}
