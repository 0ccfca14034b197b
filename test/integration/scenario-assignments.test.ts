import {
  ASAS_FOR_SELECTOR,
  CREATE_ASA,
  DELETE_ASA,
  DELETE_ASAS_FOR_SELECTOR,
  DELETE_RUNTIME_LABEL,
  GET_ASA,
  LIST_ASAS,
  SET_RUNTIME_LABEL,
  UPDATE_RUNTIME,
} from '../fixtures/runtimes';
import { graphqlError } from '../fixtures/errors';
import { fixScenarioKit } from '../fixtures/runtime-scenarios';
import { startStack, type Stack } from './harness';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const { fixTenantWithScenarios, registerRuntime, labelsOf } = fixScenarioKit(() => stack);

describe('automatic scenario assignments', () => {
  it('gives the scenario to matching runtimes, keeps it through label changes and takes it back on delete', async () => {
    const tenant = await fixTenantWithScenarios('PROD', 'TEST');
    const matching = await registerRuntime(tenant, {
      name: 'a',
      labels: { env: 'prod', scenarios: ['TEST'] },
    });
    const other = await registerRuntime(tenant, { name: 'b', labels: { env: 'dev' } });

    const created = await stack.gql(
      CREATE_ASA,
      { in: { scenarioName: 'PROD', selector: { key: 'env', value: 'prod' } } },
      tenant,
    );
    expect(created.body).toEqual({
      data: {
        createAutomaticScenarioAssignment: { scenarioName: 'PROD', selector: { key: 'env', value: 'prod' } },
      },
    });
    expect((await labelsOf(tenant, matching.id)).scenarios).toEqual(['TEST', 'PROD']);
    expect((await labelsOf(tenant, other.id)).scenarios).toEqual(['DEFAULT']);

    // A runtime registered later with the selector label gets the scenario too.
    const late = await registerRuntime(tenant, { name: 'c', labels: { env: 'prod' } });
    expect(late.labels.scenarios).toEqual(['PROD']);

    // A user removing an assigned scenario sees it restored; other values are kept.
    await stack.gql(SET_RUNTIME_LABEL, { id: matching.id, key: 'scenarios', value: ['TEST'] }, tenant);
    expect((await labelsOf(tenant, matching.id)).scenarios).toEqual(['TEST', 'PROD']);
    await stack.gql(DELETE_RUNTIME_LABEL, { id: late.id, key: 'scenarios' }, tenant);
    expect((await labelsOf(tenant, late.id)).scenarios).toEqual(['PROD']);

    // The selector label moving away removes the scenario; coming back restores it.
    await stack.gql(SET_RUNTIME_LABEL, { id: late.id, key: 'env', value: 'dev' }, tenant);
    expect((await labelsOf(tenant, late.id)).scenarios).toBeUndefined();
    await stack.gql(SET_RUNTIME_LABEL, { id: other.id, key: 'env', value: 'prod' }, tenant);
    expect((await labelsOf(tenant, other.id)).scenarios).toEqual(['DEFAULT', 'PROD']);
    await stack.gql(DELETE_RUNTIME_LABEL, { id: other.id, key: 'env' }, tenant);
    expect((await labelsOf(tenant, other.id)).scenarios).toEqual(['DEFAULT']);

    // updateRuntime recomputes as well.
    const upd = await stack.gql<{ updateRuntime: { labels: Record<string, unknown> } }>(
      UPDATE_RUNTIME,
      { id: late.id, in: { name: 'c', labels: { env: 'prod' } } },
      tenant,
    );
    expect(upd.body.data!.updateRuntime.labels.scenarios).toEqual(['PROD']);

    expect((await stack.gql(GET_ASA, { name: 'PROD' }, tenant)).body).toEqual({
      data: {
        automaticScenarioAssignmentForScenario: {
          scenarioName: 'PROD',
          selector: { key: 'env', value: 'prod' },
        },
      },
    });
    expect((await stack.gql(LIST_ASAS, {}, tenant)).body).toEqual({
      data: {
        automaticScenarioAssignments: {
          data: [{ scenarioName: 'PROD', selector: { key: 'env', value: 'prod' } }],
          totalCount: 1,
        },
      },
    });

    const deleted = await stack.gql(DELETE_ASA, { name: 'PROD' }, tenant);
    expect(deleted.body).toEqual({
      data: {
        deleteAutomaticScenarioAssignmentForScenario: {
          scenarioName: 'PROD',
          selector: { key: 'env', value: 'prod' },
        },
      },
    });
    expect((await labelsOf(tenant, matching.id)).scenarios).toEqual(['TEST']);
    expect((await labelsOf(tenant, late.id)).scenarios).toBeUndefined();
    expect((await stack.gql(GET_ASA, { name: 'PROD' }, tenant)).body).toEqual({
      data: { automaticScenarioAssignmentForScenario: null },
    });
  });

  it('deletes every assignment of a selector', async () => {
    const tenant = await fixTenantWithScenarios('SA', 'SB', 'SC');
    const rt = await registerRuntime(tenant, { labels: { env: 'prod' } });
    for (const scenarioName of ['SA', 'SB'])
      await stack.gql(CREATE_ASA, { in: { scenarioName, selector: { key: 'env', value: 'prod' } } }, tenant);
    await stack.gql(
      CREATE_ASA,
      { in: { scenarioName: 'SC', selector: { key: 'env', value: 'dev' } } },
      tenant,
    );
    expect((await labelsOf(tenant, rt.id)).scenarios).toEqual(['DEFAULT', 'SA', 'SB']);
    expect(
      (await stack.gql(ASAS_FOR_SELECTOR, { selector: { key: 'env', value: 'prod' } }, tenant)).body,
    ).toEqual({
      data: { automaticScenarioAssignmentsForSelector: [{ scenarioName: 'SA' }, { scenarioName: 'SB' }] },
    });

    const res = await stack.gql(
      DELETE_ASAS_FOR_SELECTOR,
      { selector: { key: 'env', value: 'prod' } },
      tenant,
    );
    expect(res.body).toEqual({
      data: {
        deleteAutomaticScenarioAssignmentsForSelector: [
          { scenarioName: 'SA', selector: { key: 'env', value: 'prod' } },
          { scenarioName: 'SB', selector: { key: 'env', value: 'prod' } },
        ],
      },
    });
    expect((await labelsOf(tenant, rt.id)).scenarios).toEqual(['DEFAULT']);
    expect((await stack.gql(LIST_ASAS, {}, tenant)).body).toEqual({
      data: {
        automaticScenarioAssignments: {
          data: [{ scenarioName: 'SC', selector: { key: 'env', value: 'dev' } }],
          totalCount: 1,
        },
      },
    });
  });

  it('refuses an unknown scenario (22), a second assignment for a scenario (21) and deleting a missing one (20)', async () => {
    const tenant = await fixTenantWithScenarios('PROD');
    const unknown = await stack.gql(
      CREATE_ASA,
      { in: { scenarioName: 'NOPE', selector: { key: 'env', value: 'x' } } },
      tenant,
    );
    expect(unknown.body.errors).toEqual(
      graphqlError(
        'Invalid data AutomaticScenarioAssignmentSetInput [scenarioName=is not a scenario of the tenant]',
        'InvalidData',
        22,
      ),
    );
    await stack.gql(
      CREATE_ASA,
      { in: { scenarioName: 'PROD', selector: { key: 'env', value: 'x' } } },
      tenant,
    );
    const second = await stack.gql(
      CREATE_ASA,
      { in: { scenarioName: 'PROD', selector: { key: 'env', value: 'y' } } },
      tenant,
    );
    expect(second.body.errors).toEqual(
      graphqlError('Object name is not unique [object=AutomaticScenarioAssignment]', 'NotUnique', 21),
    );
    const missing = await stack.gql(DELETE_ASA, { name: 'DEFAULT' }, tenant);
    expect(missing.body.errors).toEqual(
      graphqlError('Object not found [object=automaticScenarioAssignment; ID=DEFAULT]', 'NotFound', 20),
    );
  });

  it('are isolated per tenant', async () => {
    const owner = await fixTenantWithScenarios('PROD');
    const intruder = await fixTenantWithScenarios('PROD');
    const victim = await registerRuntime(owner, { labels: { env: 'prod' } });
    await stack.gql(
      CREATE_ASA,
      { in: { scenarioName: 'PROD', selector: { key: 'env', value: 'prod' } } },
      owner,
    );

    expect((await stack.gql(GET_ASA, { name: 'PROD' }, intruder)).body).toEqual({
      data: { automaticScenarioAssignmentForScenario: null },
    });
    expect((await stack.gql(LIST_ASAS, {}, intruder)).body).toEqual({
      data: { automaticScenarioAssignments: { data: [], totalCount: 0 } },
    });
    expect((await stack.gql(DELETE_ASA, { name: 'PROD' }, intruder)).body.errors).toEqual(
      graphqlError('Object not found [object=automaticScenarioAssignment; ID=PROD]', 'NotFound', 20),
    );
    const own = await stack.gql(
      CREATE_ASA,
      { in: { scenarioName: 'PROD', selector: { key: 'env', value: 'prod' } } },
      intruder,
    );
    expect(own.body.errors).toBeUndefined();
    await stack.gql(DELETE_ASAS_FOR_SELECTOR, { selector: { key: 'env', value: 'prod' } }, intruder);

    expect((await labelsOf(owner, victim.id)).scenarios).toEqual(['DEFAULT', 'PROD']);
    expect((await stack.gql(GET_ASA, { name: 'PROD' }, owner)).body).toEqual({
      data: {
        automaticScenarioAssignmentForScenario: {
          scenarioName: 'PROD',
          selector: { key: 'env', value: 'prod' },
        },
      },
    });
  });
});
