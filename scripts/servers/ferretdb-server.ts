import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { spawnTethered, waitUntilReady, type Running } from './process';

export interface FerretDbOptions {
  readonly binary: string;
  readonly port: number;
  readonly dataDir: string;
  readonly readyTimeoutMs?: number;
}

export interface FerretDbServer extends Running {
  /** Base URI without a database; append `/<db>`. */
  readonly uri: string;
}

/**
 * SQLite in WAL mode (FerretDB's default) with synchronous=NORMAL, as the Temporal dev server
 * runs: a commit is not flushed to disk on its own, so it survives process crashes and
 * restarts; only an operating-system crash can lose the last transactions.
 */
const SQLITE_OPTIONS = '?_pragma=synchronous(NORMAL)';

/**
 * FerretDB's share of the cores (GOMAXPROCS) unless the environment sets one: half of them, at
 * least one. It shares the machine with Temporal and the Node.js processes, and its SQLite
 * backend writes one transaction at a time; more Go threads than that only spin for work.
 */
export function ferretDbProcs(env: NodeJS.ProcessEnv, cores = os.availableParallelism()): string {
  return env.GOMAXPROCS ?? String(Math.max(1, Math.floor(cores / 2)));
}

/** Starts FerretDB (SQLite backend, loopback only, no telemetry) and waits until it answers a ping. */
export async function startFerretDb(opts: FerretDbOptions): Promise<FerretDbServer> {
  const dir = path.join(opts.dataDir, 'ferretdb');
  mkdirSync(dir, { recursive: true });
  const uri = `mongodb://127.0.0.1:${opts.port}`;
  const proc = spawnTethered(
    'FerretDB',
    opts.binary,
    [
      '--listen-addr',
      `127.0.0.1:${opts.port}`,
      '--sqlite-url',
      `file:${dir}/${SQLITE_OPTIONS}`,
      '--log-level',
      'error',
    ],
    {
      env: { ...process.env, GOMAXPROCS: ferretDbProcs(process.env) },
      logFile: path.join(opts.dataDir, 'ferretdb.log'),
    },
  );
  await waitUntilReady(proc, () => probeMongo(uri), opts.readyTimeoutMs ?? 60_000);
  return { ...proc, uri };
}

/** Resolves when a MongoDB-compatible server at `uri` answers a ping. */
export async function probeMongo(uri: string): Promise<void> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 2_000, retryWrites: false });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
  } finally {
    await client.close();
  }
}
