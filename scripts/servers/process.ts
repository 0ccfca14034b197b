import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { projectRoot } from '../../infra/paths';

/** A process this launcher started; `stop` ends it and waits. */
export interface Running {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile?: string;
  stop(): Promise<void>;
  /** Resolves with the exit code when the process ends for any reason. */
  readonly exited: Promise<number | null>;
}

/**
 * Starts `cmd` tethered to this process (it is stopped when we exit, even by SIGKILL), with
 * its output appended to `logFile`, or inherited when no file is given.
 */
export function spawnTethered(
  name: string,
  cmd: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; logFile?: string; cwd?: string } = {},
): Running {
  const tether = path.join(projectRoot(), 'scripts', 'servers', 'tethered.sh');
  let out: number | 'inherit' = 'inherit';
  if (opts.logFile) {
    mkdirSync(path.dirname(opts.logFile), { recursive: true });
    out = openSync(opts.logFile, 'a');
  }
  const child = spawn('bash', [tether, String(process.pid), cmd, ...args], {
    env: opts.env ?? process.env,
    cwd: opts.cwd,
    stdio: ['ignore', out, out],
  });
  if (typeof out === 'number') closeSync(out);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    name,
    child,
    ...(opts.logFile && { logFile: opts.logFile }),
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The last lines of a log file, for error messages. */
export function tail(file: string | undefined, lines = 15): string {
  if (!file) return '';
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** A port the OS says is free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** True when something accepts TCP connections on host:port. */
export function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Polls `ready` until it resolves, the process exits, or `timeoutMs` passes; each failure
 * names the log to read.
 */
export async function waitUntilReady(
  proc: Running,
  ready: () => Promise<void>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void proc.exited.then((code) => (exitCode = code));
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new Error(`${proc.name} exited (code ${exitCode}) before it was ready:\n${tail(proc.logFile)}`);
    }
    try {
      await ready();
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  await proc.stop();
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(
    `${proc.name} was not ready after ${timeoutMs / 1000} s (${reason}):\n${tail(proc.logFile)}`,
  );
}
