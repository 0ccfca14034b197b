import { randomUUID } from 'node:crypto';
import { LabelDefinitionService } from '../../../api/director/label-definition-service';
import { LabelDefinitionRepository } from '../../../store/label-definitions';
import { connectMongo, type MongoHandle } from '../../../store/mongo';
import { ensureIndexes } from '../../../store/indexes';
import { fixScenariosSchema } from '../../fixtures/labels';
import { fixTenant, testEnv } from '../harness';

let mongo: MongoHandle;
let service: LabelDefinitionService;
beforeAll(async () => {
  mongo = await connectMongo(`${testEnv('COMPASS_TEST_MONGODB_BASE')}/ld_${randomUUID().slice(0, 8)}`);
  await ensureIndexes(mongo.db);
  service = new LabelDefinitionService(new LabelDefinitionRepository(mongo.db));
});
afterAll(async () => {
  await mongo.db.dropDatabase();
  await mongo.close();
});

describe('label definitions', () => {
  it('give a tenant its scenarios definition, with DEFAULT, once asked for its scenarios', async () => {
    const tenant = fixTenant();
    expect(await service.list(tenant)).toEqual([]);
    expect(await service.scenarios(tenant)).toEqual(['DEFAULT']);
    expect((await service.list(tenant)).map((d) => d.key)).toEqual(['scenarios']);
  });

  it('validate label values against the schema and refuse unknown scenarios', async () => {
    const tenant = fixTenant();
    await service.update(tenant, { key: 'scenarios', schema: fixScenariosSchema(['DEFAULT', 'sales']) });
    await expect(service.validateLabel(tenant, 'scenarios', ['sales'])).resolves.toBeUndefined();
    await expect(service.validateLabel(tenant, 'scenarios', ['nope'])).rejects.toMatchObject({
      name: 'InvalidData',
      code: 22,
    });
  });

  it('keep DEFAULT and allow only enum changes for scenarios', async () => {
    const tenant = fixTenant();
    await expect(
      service.update(tenant, { key: 'scenarios', schema: fixScenariosSchema(['sales']) }),
    ).rejects.toMatchObject({
      code: 22,
    });
    await expect(
      service.update(tenant, { key: 'scenarios', schema: '{"type":"string"}' }),
    ).rejects.toMatchObject({
      code: 22,
    });
  });

  it('refuse a schema that labels in use would break, and deletion while in use', async () => {
    const tenant = fixTenant();
    await service.create(tenant, { key: 'tier', schema: '{"type":"string"}' });
    await mongo.db
      .collection('applications')
      .insertOne({ _id: randomUUID(), tenantId: tenant, labels: { tier: 'gold' } } as never);
    await expect(service.update(tenant, { key: 'tier', schema: '{"type":"number"}' })).rejects.toMatchObject({
      code: 22,
    });
    await expect(service.delete(tenant, 'tier', false)).rejects.toMatchObject({ code: 27 });
    await service.delete(tenant, 'tier', true);
    expect(
      await mongo.db
        .collection('applications')
        .countDocuments({ tenantId: tenant, 'labels.tier': { $exists: true } }),
    ).toBe(0);
  });

  it('refuse invalid schemas and keys', async () => {
    const tenant = fixTenant();
    await expect(service.create(tenant, { key: 'a', schema: '{"type": 12}' })).rejects.toMatchObject({
      code: 22,
    });
    await expect(service.create(tenant, { key: 'a', schema: 'not json' })).rejects.toMatchObject({
      code: 22,
    });
    await expect(service.create(tenant, { key: 'a-b' })).rejects.toMatchObject({ code: 22 });
    await service.create(tenant, { key: 'a' });
    await expect(service.create(tenant, { key: 'a' })).rejects.toMatchObject({ code: 21 });
  });
});

describe('definitions created on demand', () => {
  it('survive many first uses at once in a new tenant', async () => {
    const tenant = fixTenant();
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () =>
        service.validateLabels(tenant, { scenarios: ['DEFAULT'], region: 'eu' }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect((await service.list(tenant)).map((d) => d.key)).toEqual(['region', 'scenarios']);
  });

  it('never replace a definition created with a schema meanwhile', async () => {
    const tenant = fixTenant();
    await service.create(tenant, { key: 'tier', schema: '{"type":"string"}' });
    await service.validateLabel(tenant, 'tier', 'gold');
    expect(await service.get(tenant, 'tier')).toEqual({
      tenantId: tenant,
      key: 'tier',
      schema: { type: 'string' },
    });
  });
});
