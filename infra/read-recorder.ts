import { Collection, type Document } from 'mongodb';

type Method = (this: Collection, ...args: unknown[]) => unknown;

/** One read sent through the driver: `<collection>.<method>` and its filter. */
export interface RecordedRead {
  readonly name: string;
  readonly filter: Document;
}

/**
 * Runs `fn` while recording the reads every MongoClient of this process sends, as
 * `<collection>.find` (findOne included) and `<collection>.aggregate` (countDocuments
 * included), by wrapping the driver's Collection methods for the duration. Only meaningful
 * when nothing else reads concurrently. For benchmarks and tests: DataLoader batching and the
 * shape of every query show here.
 */
export async function recordReads<T>(fn: () => Promise<T>): Promise<{ result: T; reads: RecordedRead[] }> {
  const proto = Collection.prototype as unknown as Record<'find' | 'aggregate', Method>;
  const originals = { find: proto.find, aggregate: proto.aggregate };
  const reads: RecordedRead[] = [];
  for (const name of ['find', 'aggregate'] as const) {
    const original = originals[name];
    proto[name] = function (this: Collection, ...args: unknown[]) {
      const filter = name === 'find' ? ((args[0] as Document | undefined) ?? {}) : { pipeline: args[0] };
      reads.push({ name: `${this.collectionName}.${name}`, filter });
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
