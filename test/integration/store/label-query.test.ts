import { randomUUID } from 'node:crypto';
import { type LabelCondition, matchesLabelConditions, parseLabelFilter } from '../../../domain/label-filter';
import { labelConditionsToFilter } from '../../../store/label-query';
import { connectMongo, type MongoHandle } from '../../../store/mongo';
import { testEnv } from '../harness';

/** Label values in the shapes Compass clients use. */
const LABELLED: Record<string, Record<string, unknown>> = {
  a: { scenarios: ['DEFAULT', 'sales'], region: 'eu', tags: ['x', 'y'], meta: { tier: 'gold', n: 1 } },
  b: { scenarios: ['marketing'], region: 'us', tags: ['y'], meta: { tier: 'silver', n: 2 } },
  c: { scenarios: ['sales marketing'], region: ['eu', 'us'], meta: { tier: 'gold', n: 2, extra: true } },
  d: { other: 1 },
  e: { meta: [{ tier: 'gold' }], tags: [] },
};

const FILTERS: Array<{ key: string; query?: string }> = [
  { key: 'scenarios' },
  { key: 'region' },
  { key: 'scenarios', query: '$[*] ? (@ == "sales")' },
  { key: 'scenarios', query: '$[*] ? (@ == "sales" || @ == "marketing")' },
  { key: 'scenarios', query: '$[*] ? (@ == "sales marketing")' },
  { key: 'region', query: '"eu"' },
  { key: 'region', query: '["eu", "us"]' },
  { key: 'tags', query: '["y"]' },
  { key: 'tags', query: '"x"' },
  { key: 'meta', query: '{"tier": "gold"}' },
  { key: 'meta', query: '{"tier": "gold", "n": 2}' },
  { key: 'meta', query: '{}' },
  { key: 'other', query: '1' },
  // PostgreSQL's @> on a scalar label: an array or object query does not match it.
  { key: 'region', query: '["eu"]' },
  { key: 'region', query: '[]' },
  { key: 'other', query: '[1]' },
  { key: 'other', query: '{}' },
  { key: 'tags', query: '{}' },
];

let mongo: MongoHandle;
const tenant = `t-${randomUUID()}`;
beforeAll(async () => {
  mongo = await connectMongo(`${testEnv('COMPASS_TEST_MONGODB_BASE')}/labels_${randomUUID().slice(0, 8)}`);
  await mongo.db
    .collection('objects')
    .insertMany(
      Object.entries(LABELLED).map(([_id, labels]) => ({ _id, tenantId: tenant, labels })) as never,
    );
});
afterAll(async () => {
  await mongo.db.dropDatabase();
  await mongo.close();
});

async function viaStore(conditions: LabelCondition[]): Promise<string[]> {
  const docs = await mongo.db
    .collection<{ _id: string }>('objects')
    .find({ tenantId: tenant, ...labelConditionsToFilter(conditions) })
    .sort({ _id: 1 })
    .toArray();
  return docs.map((d) => d._id);
}

function inMemory(conditions: LabelCondition[]): string[] {
  return Object.keys(LABELLED)
    .filter((id) => matchesLabelConditions(LABELLED[id]!, conditions))
    .sort();
}

describe('label filters on the document store', () => {
  it.each(FILTERS)('match what containment semantics say for %j', async (filter) => {
    const conditions = [parseLabelFilter(filter)];
    const expected = inMemory(conditions);
    expect(await viaStore(conditions)).toEqual(expected);
  });

  it('AND several filters', async () => {
    const conditions = [
      parseLabelFilter({ key: 'region', query: '"eu"' }),
      parseLabelFilter({ key: 'tags' }),
    ];
    expect(await viaStore(conditions)).toEqual(['a']);
    expect(inMemory(conditions)).toEqual(['a']);
  });
});
