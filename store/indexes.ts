import type { Db } from 'mongodb';
import { ensureApplicationIndexes } from './applications';
import { ensureLabelDefinitionIndexes } from './label-definitions';

/** Creates every index the project needs; safe to run on every start. */
export async function ensureIndexes(db: Db): Promise<void> {
  await ensureApplicationIndexes(db);
  await ensureLabelDefinitionIndexes(db);
}
