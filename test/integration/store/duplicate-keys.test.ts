import { randomUUID } from 'node:crypto';
import { NotUniqueError } from '../../../domain/errors';
import { connectMongo, type MongoHandle } from '../../../store/mongo';
import { TenantCollection } from '../../../store/tenant-collection';
import { testEnv } from '../harness';

interface Named {
  _id: string;
  tenantId: string;
  name: string;
}

let mongo: MongoHandle;
let col: TenantCollection<Named>;
beforeAll(async () => {
  mongo = await connectMongo(`${testEnv('COMPASS_TEST_MONGODB_BASE')}/dup_${randomUUID().slice(0, 8)}`);
  await mongo.db.collection('named').createIndex({ tenantId: 1, name: 1 }, { unique: true });
  col = new TenantCollection<Named>(mongo.db, 'named', 'Named');
  await col.insert({ _id: 'a', tenantId: 't', name: 'taken' });
  await col.insert({ _id: 'b', tenantId: 't', name: 'free' });
});
afterAll(async () => {
  await mongo.db.dropDatabase();
  await mongo.close();
});

describe('a unique name clash is NotUnique, whatever the write', () => {
  it.each([
    ['insert', () => col.insert({ _id: 'c', tenantId: 't', name: 'taken' })],
    ['put of a new document', () => col.put({ _id: 'c', tenantId: 't', name: 'taken' })],
    ['put replacing another document', () => col.put({ _id: 'b', tenantId: 't', name: 'taken' })],
    ['update', () => col.update('t', 'b', { $set: { name: 'taken' } })],
  ])('%s', async (_what, write) => {
    await expect(write()).rejects.toEqual(new NotUniqueError('Named'));
    expect(await col.get('t', 'b')).toEqual({ _id: 'b', tenantId: 't', name: 'free' });
  });
});
