import { parseRuntimeWorkflowId, runtimeWorkflowId } from '../../domain/ids';
import { normalizeApplicationName } from '../../domain/application-name';
import { replaceRuntime, type Runtime } from '../../domain/runtime';
import { applyAssignments, type AutomaticScenarioAssignment } from '../../domain/scenario-assignment';
import { loadConfig } from '../../infra/config';

describe('application names as runtimes see them', () => {
  it.each([
    ['erp', 'mp-erp'],
    ['My_App', 'mp-my-app'],
    ['erp.system', 'mp-erp-system'],
    ['crm--x-', 'mp-crm-x'],
    ['a  b!!', 'mp-a-b'],
    ['Wordpress', 'mp-wordpress'],
    ['app@wordpress', 'mp-app-wordpress'],
    ['---tEsT@ApPlIcAtIoN.!$', 'mp-test-application'],
    ['mp-wordpress', 'mp-wordpress'],
    ['mp-Wordpress', 'mp-mp-wordpress'],
    ['mp-wordpress-', 'mp-mp-wordpress'],
  ])('normalizes %s to %s', (name, normalized) => {
    expect(normalizeApplicationName(name)).toBe(normalized);
  });
});

describe('automatic scenario assignment', () => {
  const asa = (scenarioName: string, key: string, value: string): AutomaticScenarioAssignment => ({
    tenantId: 't',
    scenarioName,
    selector: { key, value },
  });

  it('adds assigned scenarios to what the user set', () => {
    expect(applyAssignments({ env: 'prod', scenarios: ['X'] }, [], [asa('P', 'env', 'prod')])).toEqual({
      labels: { env: 'prod', scenarios: ['X', 'P'] },
      scenariosFromAssignments: ['P'],
    });
  });

  it('takes back scenarios whose selector no longer matches, removing an empty label', () => {
    expect(applyAssignments({ env: 'dev', scenarios: ['P'] }, ['P'], [asa('P', 'env', 'prod')])).toEqual({
      labels: { env: 'dev' },
      scenariosFromAssignments: [],
    });
  });

  it('matches only string-equal selector values', () => {
    expect(applyAssignments({ n: 1 }, [], [asa('P', 'n', '1')]).scenariosFromAssignments).toEqual([]);
  });
});

describe('runtime replacement', () => {
  const current: Runtime = {
    id: 'r',
    tenantId: 't',
    name: 'a',
    labels: { x: 1, app_defaultEventing: 'true' },
    scenariosFromAssignments: [],
    status: { condition: 'INITIAL', timestamp: '2020-01-01T00:00:00.000Z' },
    createdAt: '2020-01-01T00:00:00.000Z',
  };

  it('keeps protected labels, the creation time and an unchanged status', () => {
    const next = replaceRuntime(
      current,
      { name: 'b', labels: { y: 2 }, scenariosFromAssignments: [] },
      'now',
    );
    expect(next).toEqual({ ...current, name: 'b', labels: { y: 2, app_defaultEventing: 'true' } });
  });

  it('moves the status timestamp when the condition changes', () => {
    const next = replaceRuntime(
      current,
      { name: 'a', labels: {}, scenariosFromAssignments: [], statusCondition: 'CONNECTED' },
      'now',
    );
    expect(next.status).toEqual({ condition: 'CONNECTED', timestamp: 'now' });
  });
});

describe('runtime workflow IDs', () => {
  it('round-trip and reject other kinds', () => {
    expect(parseRuntimeWorkflowId(runtimeWorkflowId('acme', 'r1'))).toEqual({
      tenantId: 'acme',
      runtimeId: 'r1',
    });
    expect(parseRuntimeWorkflowId('application/acme/r1')).toBeUndefined();
  });
});

describe('APP_HIDE_SELECTORS', () => {
  it('defaults to hiding nothing and parses a JSON object of label values', () => {
    expect(loadConfig({}).APP_HIDE_SELECTORS).toEqual({});
    expect(
      loadConfig({ APP_HIDE_SELECTORS: '{"applicationType":["Test Application"]}' }).APP_HIDE_SELECTORS,
    ).toEqual({
      applicationType: ['Test Application'],
    });
  });

  it.each(['not json', '{"a":"b"}', '["x"]'])('refuses %s', (value) => {
    expect(() => loadConfig({ APP_HIDE_SELECTORS: value })).toThrow(/APP_HIDE_SELECTORS/);
  });
});
