import type { Db } from 'mongodb';

/**
 * What the connected server can answer without reading every document, which decides the
 * shape of list and batch queries:
 *
 * - `indexed` (MongoDB): filters, `$in` and sorts use the indexes of store/indexes.ts, so
 *   pages are sorted by `_id` (keyset cursors) and batches are one `$in` query.
 * - `scanning` (FerretDB v1, the embedded default): only a filter that is exactly
 *   `{ _id: <id> }` reaches an index; every other filter, sort, `$in` and count reads the
 *   whole collection. A query without a sort streams in insertion order and stops when its
 *   limit is reached, so pages are taken in insertion order (position cursors) and batches
 *   are one `_id` lookup per document.
 */
export type ServerProfile = 'indexed' | 'scanning';

const profiles = new WeakMap<Db, ServerProfile>();

/** Asks the server what it is and remembers the answer for `db`. */
export async function detectServerProfile(db: Db): Promise<ServerProfile> {
  const info = await db.admin().command({ buildInfo: 1 });
  const profile: ServerProfile = 'ferretdbVersion' in info || 'ferretdb' in info ? 'scanning' : 'indexed';
  profiles.set(db, profile);
  return profile;
}

/** The profile detected for `db`; `indexed` when none was detected (plain MongoDB). */
export function serverProfileOf(db: Db): ServerProfile {
  return profiles.get(db) ?? 'indexed';
}
