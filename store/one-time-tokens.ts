import type { Db } from 'mongodb';
import type { OneTimeTokenRecord } from '../domain/system-auth';

/** Stored by hash (`_id`), so a token is found by an `_id` look-up and never kept in clear. */
interface OneTimeTokenDocument extends Omit<OneTimeTokenRecord, 'hash'> {
  _id: string;
}

export const ONE_TIME_TOKENS = 'one_time_tokens';

/**
 * One-time tokens by hash. Whether a token is still usable is decided by its pairing
 * workflow (the single writer of its lifecycle); this collection only finds the workflow.
 */
export class OneTimeTokenRepository {
  private readonly col;

  constructor(db: Db) {
    this.col = db.collection<OneTimeTokenDocument>(ONE_TIME_TOKENS);
  }

  /** Global by design: the caller presents only the token. */
  async findByHashGlobal(hash: string): Promise<OneTimeTokenRecord | undefined> {
    const doc = await this.col.findOne({ _id: hash });
    if (!doc) return undefined;
    const { _id, ...rest } = doc;
    return { hash: _id, ...rest };
  }

  async put(record: OneTimeTokenRecord): Promise<void> {
    const { hash, ...rest } = record;
    await this.col.replaceOne({ _id: hash }, rest, { upsert: true });
  }

  async delete(hash: string): Promise<void> {
    await this.col.deleteOne({ _id: hash });
  }
}
