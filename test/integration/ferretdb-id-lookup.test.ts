import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Db, MongoClient } from 'mongodb';
import { testEnv } from './harness';

/**
 * The embedded FerretDB filters a single-_id query, update or delete with an SQL expression its
 * own _id index does not match; the launcher keeps an extra index on that expression for every
 * collection. FerretDB's explain returns SQLite's query plan for exactly the statement a find by
 * _id runs, so the plan shows whether the lookup goes through that index or scans the table.
 * (SQLite plans an EXPLAIN with the schema its connection last loaded, and a connection reloads
 * it when it next runs a real statement; so each poll runs the lookup before explaining it.)
 * A server named by MONGODB_URI is not the embedded one, so the suite is skipped then.
 */
const describeEmbedded = process.env.MONGODB_URI ? describe.skip : describe;

let client: MongoClient;
let db: Db;

interface Doc {
  _id: string;
  n: number;
}

/** SQLite's plan for find({_id}) on the collection, one line per plan node. */
async function idLookupPlan(collection: string, id: string): Promise<{ plan: string[]; pushdown: boolean }> {
  const res = await db.command({ explain: { find: collection, filter: { _id: id } } });
  return { plan: (res.queryPlanner?.Plan ?? []) as string[], pushdown: res.filterPushdown === true };
}

/** Polls the plan until it goes through an index (the index keeper runs about once a second). */
async function planOnceIndexed(collection: string, id: string): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    await db.collection<Doc>(collection).findOne({ _id: id });
    const { plan, pushdown } = await idLookupPlan(collection, id);
    expect(pushdown).toBe(true);
    if (plan.some((line) => line.includes('USING INDEX')) || Date.now() > deadline) return plan;
    await sleep(200);
  }
}

async function fill(name: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  await db.collection<Doc>(name).insertMany(ids.map((_id, n) => ({ _id, n })));
  return ids;
}

describeEmbedded('the embedded database answers _id lookups through an index', () => {
  beforeAll(async () => {
    client = await new MongoClient(testEnv('COMPASS_TEST_MONGODB_BASE'), { retryWrites: false }).connect();
    db = client.db(`idlookup_${randomUUID().slice(0, 8)}`);
  });
  afterAll(async () => {
    await db?.dropDatabase();
    await client?.close();
  });

  it('a new collection’s finds by _id search the _id lookup index instead of scanning', async () => {
    const ids = await fill('lookups', 2_000);

    const plan = await planOnceIndexed('lookups', ids[1234]!);
    expect(plan).toEqual([expect.stringMatching(/SEARCH \S+ USING INDEX \S+__id_lookup \(<expr>=\?\)/)]);
    expect(plan.join('\n')).not.toMatch(/\bSCAN\b/);

    expect(await db.collection<Doc>('lookups').findOne({ _id: ids[1234]! })).toEqual({
      _id: ids[1234],
      n: 1234,
    });
  });

  it('covers collections whose names need quoting in SQL', async () => {
    const name = `Mixed Case-name.with 'quotes' ${randomUUID().slice(0, 4)}`;
    const ids = await fill(name, 50);

    const plan = await planOnceIndexed(name, ids[7]!);
    expect(plan).toEqual([expect.stringMatching(/USING INDEX .+__id_lookup \(<expr>=\?\)/)]);
    expect(await db.collection<Doc>(name).findOne({ _id: ids[7]! })).toEqual({ _id: ids[7], n: 7 });
  });

  it('keeps the index out of the collection’s own indexes, and writes by _id behave as before', async () => {
    const ids = await fill('writes', 200);
    await planOnceIndexed('writes', ids[0]!);
    const col = db.collection<Doc>('writes');

    expect((await col.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);

    expect((await col.updateOne({ _id: ids[1]! }, { $set: { n: -1 } })).modifiedCount).toBe(1);
    expect(await col.findOne({ _id: ids[1]! })).toEqual({ _id: ids[1], n: -1 });
    expect((await col.deleteOne({ _id: ids[2]! })).deletedCount).toBe(1);
    expect(await col.findOne({ _id: ids[2]! })).toBeNull();
    await expect(col.insertOne({ _id: ids[3]!, n: 3 })).rejects.toMatchObject({ code: 11000 });
    expect(await col.countDocuments()).toBe(199);
  });
});
