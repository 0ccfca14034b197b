import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { issueDevToken, loadOrCreateDevIssuer } from '../../api/auth/dev-issuer';
import { allScopes } from '../../api/auth/scopes';
import { freePort } from '../../scripts/servers/process';

const START = path.join(__dirname, '..', '..', 'dist', 'scripts', 'start.js');

/** The built launcher (`npm start`) running as a separate process. */
export interface Launch {
  readonly child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

/** Every port the launcher listens on (or starts a server on); `launchEnv` gives each a free one. */
const PORT_VARIABLES = [
  'PORT',
  'TEMPORAL_PORT',
  'TEMPORAL_UI_PORT',
  'MONGODB_PORT',
  'MTLS_PORT',
  'INTERNAL_CONNECTOR_PORT',
  'WORKER_METRICS_PORT',
] as const;

/**
 * The environment for `launch`: a fresh, distinct free port for each of `PORT_VARIABLES` (so
 * e2e files running in parallel, or a developer's own `npm start`, never clash on a default
 * port), the stack's state under `dataDir`, embedded Temporal and FerretDB, and quiet logs.
 * `overrides` go on top.
 */
export async function launchEnv(
  dataDir: string,
  overrides: NodeJS.ProcessEnv = {},
): Promise<NodeJS.ProcessEnv> {
  const ports = new Set<number>();
  while (ports.size < PORT_VARIABLES.length) ports.add(await freePort());
  const free = [...ports];
  return {
    DATA_DIR: dataDir,
    ...Object.fromEntries(PORT_VARIABLES.map((name, i) => [name, String(free[i])])),
    LOG_LEVEL: 'warn',
    TEMPORAL_ADDRESS: '',
    MONGODB_URI: '',
    ...overrides,
  };
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
