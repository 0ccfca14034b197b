import { mkdirSync } from 'node:fs';
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

/** Starts FerretDB (SQLite backend, loopback only, no telemetry) and waits until it answers a ping. */
export async function startFerretDb(opts: FerretDbOptions): Promise<FerretDbServer> {
  const dir = path.join(opts.dataDir, 'ferretdb');
  mkdirSync(dir, { recursive: true });
  const uri = `mongodb://127.0.0.1:${opts.port}`;
  const proc = spawnTethered(
    'FerretDB',
    opts.binary,
    ['--listen-addr', `127.0.0.1:${opts.port}`, '--sqlite-url', `file:${dir}/`, '--log-level', 'error'],
    { logFile: path.join(opts.dataDir, 'ferretdb.log') },
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
