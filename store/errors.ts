import { MongoServerError } from 'mongodb';

/** Duplicate key on a unique index (code 11000 on MongoDB and FerretDB alike). */
export function isDuplicateKeyError(err: unknown): boolean {
  return err instanceof MongoServerError && err.code === 11000;
}
