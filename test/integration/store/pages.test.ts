import { randomUUID } from 'node:crypto';
import type { Collection } from 'mongodb';
import type { Bundle } from '../../../domain/bundle';
import { InvalidDataError, NotUniqueError } from '../../../domain/errors';
import { countOf, encodeCursor, type Page } from '../../../domain/pagination';
import { APPLICATIONS } from '../../../store/applications';
import { BUNDLES } from '../../../store/bundle-collections';
import { BundleRepository } from '../../../store/bundles';
import { connectMongo, type MongoHandle } from '../../../store/mongo';
import { readByIds, readPage } from '../../../store/pages';
import { detectServerProfile, type ServerProfile } from '../../../store/server-profile';
import { TenantCollection } from '../../../store/tenant-collection';
import { testEnv } from '../harness';

interface Row {
  _id: string;
  tenantId: string;
  n: number;
}

let mongo: MongoHandle;
let rows: Collection<Row>;
const mine = `t-${randomUUID()}`;
const other = `t-${randomUUID()}`;
const myIds: string[] = [];

beforeAll(async () => {
  mongo = await connectMongo(`${testEnv('COMPASS_TEST_MONGODB_BASE')}/pages_${randomUUID().slice(0, 8)}`);
  rows = mongo.db.collection<Row>('rows');
  const docs: Row[] = [];
  for (let n = 0; n < 10; n++) {
    // Interleaved with another tenant's rows, as in a shared collection.
    const tenantId = n % 3 === 2 ? other : mine;
    const _id = randomUUID();
    if (tenantId === mine) myIds.push(_id);
    docs.push({ _id, tenantId, n });
  }
  await rows.insertMany(docs);
});

afterAll(async () => {
  await mongo.db.dropDatabase();
  await mongo.close();
});

async function readAll(
  profile: ServerProfile,
  first: number,
): Promise<{ pages: Page<Row>[]; ids: string[] }> {
  const pages: Page<Row>[] = [];
  let after: string | undefined;
  do {
    const page = await readPage(rows, profile, { tenantId: mine }, { first, ...(after && { after }) });
    pages.push(page);
    after = page.pageInfo.hasNextPage ? decode(page.pageInfo.endCursor) : undefined;
  } while (after);
  return { pages, ids: pages.flatMap((p) => p.data.map((r) => r._id)) };
}

function decode(cursor: string): string {
  return Buffer.from(cursor, 'base64url').toString('utf8').replace(/^k1:/, '');
}

describe('pages of a tenant’s documents', () => {
  it('knows which kind of server it talks to', async () => {
    const info = await mongo.db.admin().command({ buildInfo: 1 });
    expect(await detectServerProfile(mongo.db)).toBe('ferretdbVersion' in info ? 'scanning' : 'indexed');
  });

  it.each<ServerProfile>(['scanning', 'indexed'])(
    'as a %s server: every document once, no other tenant’s, the same pages when asked again',
    async (profile) => {
      const { pages, ids } = await readAll(profile, 3);
      expect([...ids].sort()).toEqual([...myIds].sort());
      expect(pages.map((p) => p.data.length)).toEqual([3, 3, 1]);
      expect(await countOf(pages[0]!)).toBe(myIds.length);
      expect((await readAll(profile, 3)).ids).toEqual(ids);
    },
  );

  it('counts only when the count is asked for', async () => {
    const page = await readPage(rows, 'scanning', { tenantId: mine }, { first: 2 });
    expect(typeof page.totalCount).toBe('function');
  });

  it('refuses a cursor that is not a position on a scanning server', async () => {
    await expect(
      readPage(rows, 'scanning', { tenantId: mine }, { first: 2, after: myIds[0]! }),
    ).rejects.toThrow(InvalidDataError);
    expect(encodeCursor('p:2')).not.toContain('p:2');
  });

  it.each<ServerProfile>(['scanning', 'indexed'])(
    'as a %s server: documents by ID in the order asked, missing and repeated IDs handled',
    async (profile) => {
      const ask = [myIds[3]!, 'missing', myIds[0]!, myIds[3]!];
      expect((await readByIds(rows, profile, ask)).map((r) => r._id)).toEqual([myIds[3], myIds[0]]);
    },
  );
});

describe('reads and writes by ID', () => {
  const col = () => new TenantCollection<Row>(mongo.db, 'rows', 'Row');

  it('never reach another tenant’s document', async () => {
    const id = myIds[0]!;
    expect(await col().get(other, id)).toBeUndefined();
    expect(await col().getMany(other, [id])).toEqual([]);
    expect(await col().update(other, id, { $set: { n: 99 } })).toBeUndefined();
    expect(await col().delete(other, id)).toBe(false);
    await expect(col().put({ _id: id, tenantId: other, n: 99 })).rejects.toThrow(NotUniqueError);
    expect(await col().get(mine, id)).toMatchObject({ _id: id, tenantId: mine, n: 0 });
  });
});

describe('bundle lists on their application', () => {
  const tenant = `t-${randomUUID()}`;
  const bundle = (applicationId: string, name: string): Bundle => ({
    id: randomUUID(),
    tenantId: tenant,
    applicationId,
    name,
    createdAt: new Date().toISOString(),
  });

  it('a bundle added to an application stored without a list lists all of its bundles', async () => {
    const repo = new BundleRepository(mongo.db);
    const appId = randomUUID();
    await mongo.db
      .collection(APPLICATIONS)
      .insertOne({ _id: appId, tenantId: tenant, name: 'legacy' } as never);
    const older = bundle(appId, 'older');
    const { id: olderId, ...olderFields } = older;
    await mongo.db.collection(BUNDLES).insertOne({ _id: olderId, ...olderFields } as never);

    const before = await repo.bundles.pageByParents(tenant, [{ id: appId }], { first: 10 });
    expect(before.get(appId)!.data.map((b) => b.name)).toEqual(['older']);

    const newer = bundle(appId, 'newer');
    await repo.bundles.insert(newer);
    const app = await mongo.db.collection(APPLICATIONS).findOne({ _id: appId as never });
    expect(app?.bundleIds).toEqual([older.id, newer.id]);

    const after = await repo.bundles.pageByParents(tenant, [{ id: appId, bundleIds: app!.bundleIds }], {
      first: 1,
    });
    expect(after.get(appId)).toMatchObject({
      data: [{ name: 'older' }],
      totalCount: 2,
      pageInfo: { hasNextPage: true },
    });

    await repo.deleteBundle(tenant, older.id);
    const listed = await mongo.db.collection(APPLICATIONS).findOne({ _id: appId as never });
    expect(listed?.bundleIds).toEqual([newer.id]);
  });
});
