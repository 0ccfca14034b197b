import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Activities } from '../../../activities';
import type { Application } from '../../../domain/application';
import { applicationWorkflowId } from '../../../domain/ids';
import { CompassStatusKey } from '../../../domain/search-attributes';
import { registerUpdate, unregisterUpdate } from '../../../workflows/application/messages';
import type { applicationWorkflow } from '../../../workflows/application/workflow';
import { useTemporal } from './temporal-fixture';

const temporal = useTemporal();

/** Fakes of the store activities, typed against the real ones so they cannot drift. */
function fixActivities(overrides: Partial<Activities> = {}) {
  const stored = new Map<string, Application>();
  const activities: Activities = {
    putApplication: jest.fn(async (app: Application) => {
      stored.set(app.id, app);
      return app;
    }),
    deleteApplication: jest.fn(async (_tenantId: string, id: string) => {
      stored.delete(id);
    }),
    updateApplication: jest.fn(async (_tenantId: string, id: string, set: Record<string, unknown>) => {
      const app = { ...stored.get(id)!, ...set } as Application;
      stored.set(id, app);
      return app;
    }),
    putWebhooks: jest.fn(async () => undefined),
    deleteApplicationWebhooks: jest.fn(async () => undefined),
    putBundleTree: jest.fn(async () => undefined),
    deleteApplicationBundles: jest.fn(async () => undefined),
    deleteObjectIdentities: jest.fn(async () => undefined),
    fetchSpec: jest.fn(),
    insertRuntime: jest.fn(),
    replaceRuntime: jest.fn(),
    deleteRuntime: jest.fn(),
    recordRuntimeHealthTransition: jest.fn(),
    readHeartbeatIntakeUpSince: jest.fn(),
    putToken: jest.fn(),
    deleteToken: jest.fn(),
    signCertificate: jest.fn(),
    markRenewalRequired: jest.fn(),
    revokeCertificate: jest.fn(),
    findCredentialWebhook: jest.fn(),
    findDeletionWebhook: jest.fn(),
    storeCredentialRequest: jest.fn(),
    openCredentialRequest: jest.fn(),
    callWebhook: jest.fn(),
    pollWebhookStatus: jest.fn(),
    putBundleInstanceAuth: jest.fn(),
    transitionBundleInstanceAuth: jest.fn(),
    deleteBundleInstanceAuth: jest.fn(),
    listApplicationBundleInstanceAuthIds: jest.fn(async () => []),
    recordOperation: jest.fn(),
    setRuntimeCondition: jest.fn(),
    createCluster: jest.fn(),
    awaitCluster: jest.fn(),
    installAgent: jest.fn(),
    removeAgent: jest.fn(),
    deleteCluster: jest.fn(),
    upgradeCluster: jest.fn(),
    hibernateCluster: jest.fn(),
    wakeUpCluster: jest.fn(),
    ...overrides,
  };
  return { activities, stored };
}

function withWorker<T>(activities: Activities, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  return temporal.withWorker(activities, fn);
}

function start(taskQueue: string, tenantId: string, applicationId: string) {
  return new WithStartWorkflowOperation<typeof applicationWorkflow>('applicationWorkflow', {
    workflowId: applicationWorkflowId(tenantId, applicationId),
    taskQueue,
    args: [{ tenantId, applicationId }],
    workflowIdConflictPolicy: 'FAIL',
  });
}

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

describe('applicationWorkflow', () => {
  it('stores the application on register, removes it on unregister, then completes', async () => {
    const { activities, stored } = fixActivities();
    const tenant = `t-${randomUUID()}`;
    const id = randomUUID();
    await withWorker(activities, async (taskQueue) => {
      const op = start(taskQueue, tenant, id);
      const app = await temporal.client().workflow.executeUpdateWithStart(registerUpdate, {
        args: [{ name: 'crm' }],
        startWorkflowOperation: op,
      });
      expect(app).toMatchObject({ id, tenantId: tenant, name: 'crm', status: { condition: 'INITIAL' } });
      expect(stored.get(id)).toEqual(app);

      const handle = await op.workflowHandle();
      expect((await handle.describe()).typedSearchAttributes.get(CompassStatusKey)).toBe('INITIAL');
      await expect(handle.executeUpdate(unregisterUpdate)).resolves.toEqual(app);
      await handle.result();
      expect(stored.size).toBe(0);
      expect(activities.deleteObjectIdentities).toHaveBeenCalledWith(tenant, id);
      expect((await handle.describe()).typedSearchAttributes.get(CompassStatusKey)).toBe('UNREGISTERED');
    });
  });

  it('rejects invalid input in the validator, before any activity runs', async () => {
    const { activities } = fixActivities();
    await withWorker(activities, async (taskQueue) => {
      const failure = await failureOf(
        temporal.client().workflow.executeUpdateWithStart(registerUpdate, {
          args: [{ name: 'x'.repeat(37) }],
          startWorkflowOperation: start(taskQueue, 't', randomUUID()),
        }),
      );
      expect(failure.type).toBe('InvalidData');
    });
    expect(activities.putApplication).not.toHaveBeenCalled();
  });

  it('fails the registration with the domain error and ends the workflow', async () => {
    const { activities } = fixActivities({
      putApplication: jest.fn(async () => {
        throw ApplicationFailure.create({
          message: 'Object name is not unique',
          type: 'NotUnique',
          nonRetryable: true,
        });
      }),
    });
    await withWorker(activities, async (taskQueue) => {
      const op = start(taskQueue, 't', randomUUID());
      const failure = await failureOf(
        temporal.client().workflow.executeUpdateWithStart(registerUpdate, {
          args: [{ name: 'crm' }],
          startWorkflowOperation: op,
        }),
      );
      expect(failure).toMatchObject({ type: 'NotUnique', message: 'Object name is not unique' });
      const handle = await op.workflowHandle();
      await handle.result();
      expect((await handle.describe()).typedSearchAttributes.get(CompassStatusKey)).toBe(
        'REGISTRATION_FAILED',
      );
    });
  });

  it('retries a store outage until the write succeeds', async () => {
    let attempts = 0;
    const { activities, stored } = fixActivities();
    const put = activities.putApplication;
    activities.putApplication = jest.fn(async (app: Application) => {
      attempts += 1;
      if (attempts < 3) throw new Error('connection refused');
      return put(app);
    });
    await withWorker(activities, async (taskQueue) => {
      const id = randomUUID();
      const app = await temporal.client().workflow.executeUpdateWithStart(registerUpdate, {
        args: [{ name: 'crm' }],
        startWorkflowOperation: start(taskQueue, 't', id),
      });
      expect(app.id).toBe(id);
    });
    expect(attempts).toBe(3);
    expect(stored.size).toBe(1);
  });
});
