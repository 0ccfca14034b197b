import type { Application } from '../../domain/application';
import { checkLabelNotProtected, registrationLabels } from '../../domain/application-labels';
import { applicationUpdateChanges, validateApplicationUpdateInput } from '../../domain/application-update';
import { validateWebhookInput } from '../../domain/webhook';

function fixApplication(): Application {
  return {
    id: 'a1',
    tenantId: 't1',
    name: 'erp',
    providerName: 'ACME',
    labels: { scenarios: ['DEFAULT'] },
    status: { condition: 'INITIAL', timestamp: '2024-01-01T00:00:00.000Z' },
    createdAt: '2024-01-01T00:00:00.000Z',
  };
}

describe('registration labels', () => {
  it('add the protected labels (the name normalised) and DEFAULT when no scenarios are given', () => {
    expect(registrationLabels({ name: 'Erp', labels: { a: 1 } })).toEqual({
      a: 1,
      scenarios: ['DEFAULT'],
      name: 'mp-erp',
      integrationSystemID: '',
    });
  });

  it('keep given scenarios and overwrite attempts to set protected labels', () => {
    expect(
      registrationLabels({
        name: 'erp',
        integrationSystemID: 'is',
        labels: { scenarios: ['x'], name: 'fake', integrationSystemID: 'fake' },
      }),
    ).toEqual({ scenarios: ['x'], name: 'mp-erp', integrationSystemID: 'is' });
  });

  it('refuse direct edits of protected keys only', () => {
    expect(() => checkLabelNotProtected('name')).toThrow(
      'Invalid data Label [name=is a protected label and cannot be changed]',
    );
    expect(() => checkLabelNotProtected('scenarios')).not.toThrow();
  });
});

describe('application updates', () => {
  it('clear omitted metadata, follow integrationSystemID in its label, and keep an unchanged status', () => {
    expect(
      applicationUpdateChanges(fixApplication(), { description: 'd', statusCondition: 'INITIAL' }, 'now'),
    ).toEqual({
      set: { 'labels.integrationSystemID': '', description: 'd' },
      unset: ['providerName', 'healthCheckURL', 'integrationSystemID', 'baseUrl'],
    });
  });

  it('move the status timestamp only when the condition changes', () => {
    const { set } = applicationUpdateChanges(fixApplication(), { statusCondition: 'CONNECTED' }, 'now');
    expect(set.status).toEqual({ condition: 'CONNECTED', timestamp: 'now' });
  });

  it('refuse a name and unknown conditions', () => {
    expect(() => validateApplicationUpdateInput({ name: 'x', statusCondition: 'NOPE' })).toThrow(
      'Invalid data ApplicationUpdateInput [name=unknown field; statusCondition=must be one of INITIAL, CONNECTED, FAILED]',
    );
  });
});

describe('webhook input', () => {
  it('normalises credentials to the stored shape', () => {
    expect(
      validateWebhookInput({
        type: 'REGISTER_APPLICATION',
        url: 'https://a.example.com',
        auth: { credential: { basic: { username: 'u', password: 'p' } } },
      }),
    ).toEqual({
      type: 'REGISTER_APPLICATION',
      url: 'https://a.example.com',
      auth: { credential: { username: 'u', password: 'p' } },
    });
  });

  it('requires a known type and a URL', () => {
    expect(() => validateWebhookInput({ type: 'OTHER' })).toThrow(
      'Invalid data WebhookInput [type=must be one of CONFIGURATION_CHANGED, REGISTER_APPLICATION, UNREGISTER_APPLICATION, BUNDLE_INSTANCE_AUTH_CREATION, BUNDLE_INSTANCE_AUTH_DELETION; url=cannot be blank]',
    );
  });
});
