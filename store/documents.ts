/** A domain object as stored: its `id` kept as `_id`. */
export type StoredAs<T extends { id: string }> = Omit<T, 'id'> & { _id: string };

/** The stored form of a domain object: `id` becomes `_id`, every other field as it is. */
export function toStored<T extends { id: string }>(obj: T): StoredAs<T> {
  const { id, ...rest } = obj;
  return { _id: id, ...rest };
}

/** The domain object of a stored document: `_id` becomes `id`, every other field as it is. */
export function fromStored<D extends { _id: string }>(doc: D): Omit<D, '_id'> & { id: string } {
  const { _id, ...rest } = doc;
  return { id: _id, ...rest };
}
