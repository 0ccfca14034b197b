import { Collection } from 'mongodb';

type Method = (this: Collection, ...args: unknown[]) => unknown;

/**
 * Runs `fn` while counting the reads every MongoClient of this process sends, as
 * `<collection>.find` (findOne included) and `<collection>.aggregate` (countDocuments
 * included), by wrapping the driver's Collection methods for the duration. Only meaningful
 * when nothing else reads concurrently.
 */
export async function countReads<T>(fn: () => Promise<T>): Promise<{ result: T; reads: string[] }> {
  const proto = Collection.prototype as unknown as Record<'find' | 'aggregate', Method>;
  const originals = { find: proto.find, aggregate: proto.aggregate };
  const reads: string[] = [];
  for (const name of ['find', 'aggregate'] as const) {
    const original = originals[name];
    proto[name] = function (this: Collection, ...args: unknown[]) {
      reads.push(`${this.collectionName}.${name}`);
      return original.apply(this, args);
    };
  }
  try {
    return { result: await fn(), reads };
  } finally {
    proto.find = originals.find;
    proto.aggregate = originals.aggregate;
  }
}
