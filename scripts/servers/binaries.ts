import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../infra/paths';

/** A server binary built from a pinned wrapper module under scripts/servers/<dir>. */
interface BinarySpec {
  readonly name: string;
  readonly title: string;
  readonly version: string;
  readonly dir: string;
  readonly pkg: string;
  readonly ldflags: string;
}

export const TEMPORAL: BinarySpec = {
  name: 'temporal',
  title: 'Temporal CLI',
  version: '1.8.2',
  dir: 'temporal',
  pkg: 'github.com/temporalio/cli/cmd/temporal',
  ldflags: '-s -w -X github.com/temporalio/cli/internal/temporalcli.Version=1.8.2',
};

export const FERRETDB: BinarySpec = {
  name: 'ferretdb',
  title: 'FerretDB',
  version: '1.24.2',
  dir: 'ferretdb',
  pkg: '.',
  ldflags: '-s -w',
};

/** Raised when a server must be built but no Go toolchain is available. */
export class MissingGoError extends Error {
  constructor(what: string) {
    super(
      `${what} is not built yet and no Go toolchain (1.26+) was found. Three ways out:\n` +
        `  1. install Go 1.26 or newer (https://go.dev/dl/) and run the command again; the build happens once;\n` +
        `  2. point the project at servers you already run: TEMPORAL_ADDRESS=host:7233 and MONGODB_URI=mongodb://host:27017/compass;\n` +
        `  3. run the whole stack in containers: docker compose up`,
    );
    this.name = 'MissingGoError';
  }
}

/** Where built binaries live: outside the checkout, shared by every clone. */
export function cacheDir(): string {
  return process.env.COMPASS_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'compass-temporal');
}

function wrapperDir(spec: BinarySpec): string {
  return path.join(projectRoot(), 'scripts', 'servers', spec.dir);
}

/** The binary's path; its name carries a hash of the wrapper module, so a change rebuilds it. */
export function binaryPath(spec: BinarySpec): string {
  const dir = wrapperDir(spec);
  const hash = createHash('sha256');
  for (const f of ['go.mod', 'go.sum', 'main.go']) {
    const p = path.join(dir, f);
    if (existsSync(p)) hash.update(f).update(readFileSync(p));
  }
  return path.join(cacheDir(), 'bin', `${spec.name}-${spec.version}-${hash.digest('hex').slice(0, 10)}`);
}

function haveGo(): boolean {
  return spawnSync('go', ['version'], { stdio: 'ignore', env: process.env }).status === 0;
}

/** Builds the binary unless it is already in the cache; returns its path. */
export async function ensureBinary(
  spec: BinarySpec,
  log: (line: string) => void = console.log,
): Promise<string> {
  const target = binaryPath(spec);
  if (existsSync(target)) return target;
  if (!haveGo()) throw new MissingGoError(`The ${spec.title} ${spec.version}`);

  mkdirSync(path.dirname(target), { recursive: true });
  const started = Date.now();
  log(`building ${spec.title} ${spec.version} from the Go module proxy, first run only, a few minutes…`);
  const tmp = `${target}.tmp-${process.pid}`;
  await run('go', ['build', '-trimpath', '-mod=readonly', '-ldflags', spec.ldflags, '-o', tmp, spec.pkg], {
    cwd: wrapperDir(spec),
    env: { ...process.env, CGO_ENABLED: '0' },
  });
  renameSync(tmp, target);
  log(`built ${spec.title} ${spec.version} in ${Math.round((Date.now() - started) / 1000)} s: ${target}`);
  return target;
}

function run(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args[0]} exited with ${code}`)),
    );
  });
}
