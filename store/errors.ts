import { MongoServerError } from 'mongodb';
import { NotUniqueError } from '../domain/errors';

/**
 * FerretDB v1 (SQLite backend) reports a unique-index violation caused by an *update* as a
 * generic error (code 1) carrying SQLite's extended result code SQLITE_CONSTRAINT_UNIQUE
 * (2067), instead of MongoDB's 11000. Recognised here, at the store's edge, so no caller
 * treats a duplicate as a transient failure and retries it forever.
 */
const FERRETDB_SQLITE_UNIQUE = /UNIQUE constraint failed: .*\(2067\)/;

/** Duplicate key on a unique index, as MongoDB (11000) or FerretDB v1 report it. */
export function isDuplicateKeyError(err: unknown): boolean {
  if (!(err instanceof MongoServerError)) return false;
  return err.code === 11000 || (err.code === 1 && FERRETDB_SQLITE_UNIQUE.test(err.message));
}

/** Runs a write, turning a duplicate-key error into NotUnique for `object`. */
export async function asNotUnique<T>(object: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isDuplicateKeyError(err)) throw new NotUniqueError(object);
    throw err;
  }
}
