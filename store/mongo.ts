import { MongoClient, type Db } from 'mongodb';
import { detectServerProfile } from './server-profile';

/** A connected database and the client that owns it. */
export interface MongoHandle {
  readonly client: MongoClient;
  readonly db: Db;
  close(): Promise<void>;
}

/**
 * Connects to any MongoDB-compatible server (MongoDB 7 in production, FerretDB v1 in the
 * embedded default). The database is the URI's path, `compass` when it names none.
 */
export async function connectMongo(
  uri: string,
  options: { serverSelectionTimeoutMS?: number } = {},
): Promise<MongoHandle> {
  const client = new MongoClient(uri, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
    // FerretDB answers hello with a standalone topology; retryable writes need sessions it lacks.
    retryWrites: false,
  });
  await client.connect();
  const db = client.db(databaseName(uri));
  await detectServerProfile(db);
  return { client, db, close: () => client.close() };
}

export function databaseName(uri: string): string {
  // The hosts end at the first slash: a Unix socket path is percent-encoded there.
  const path = (uri.replace(/^mongodb(\+srv)?:\/\/[^/?]*/, '').split('?')[0] ?? '').replace(/^\//, '');
  return path === '' ? 'compass' : decodeURIComponent(path);
}

/** True when the server answers a ping. */
export async function pingMongo(db: Db): Promise<void> {
  await db.command({ ping: 1 });
}
