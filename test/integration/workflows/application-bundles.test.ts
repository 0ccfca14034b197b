import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { Activities } from '../../../activities';
import type { Application } from '../../../domain/application';
import type { BundleTree } from '../../../domain/bundle';
import { applicationWorkflowId } from '../../../domain/ids';
import { registerUpdate, unregisterUpdate } from '../../../workflows/application/messages';
import type { applicationWorkflow } from '../../../workflows/application/workflow';
import { fixBundleInput } from '../../fixtures/bundles';
import { eventually } from '../harness';
import { useTemporal } from './temporal-fixture';

const temporal = useTemporal();

type RegistrationActivities = Pick<
  Activities,
  | 'putApplication'
  | 'deleteApplication'
  | 'putWebhooks'
  | 'deleteApplicationWebhooks'
  | 'putBundleTree'
  | 'deleteApplicationBundles'
  | 'deleteObjectIdentities'
  | 'listApplicationBundleInstanceAuthIds'
  | 'deleteBundleInstanceAuth'
>;

/** An in-memory store whose first bundle write fails halfway, like a store that went away. */
function fixFlakyStore() {
  const apps = new Map<string, Application>();
  const children = new Set<string>();
  const order: string[] = [];
  let attempts = 0;
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const activities: RegistrationActivities = {
    putApplication: jest.fn(async (app: Application) => {
      order.push('application');
      apps.set(app.id, app);
      return app;
    }),
    deleteApplication: jest.fn(async (_t: string, id: string) => {
      order.push('delete application');
      apps.delete(id);
    }),
    putWebhooks: jest.fn(async () => undefined),
    deleteApplicationWebhooks: jest.fn(async () => undefined),
    deleteObjectIdentities: jest.fn(async () => undefined),
    listApplicationBundleInstanceAuthIds: jest.fn(async () => []),
    deleteBundleInstanceAuth: jest.fn(async () => undefined),
    putBundleTree: jest.fn(async (tree: BundleTree) => {
      attempts += 1;
      const ids = [...tree.apiDefinitions, ...tree.eventDefinitions, ...tree.documents, ...tree.bundles].map(
        (o) => o.id,
      );
      if (attempts === 1) {
        children.add(ids[0]!);
        throw new Error('connection reset while writing bundles');
      }
      await released;
      for (const id of ids) children.add(id);
      order.push('children');
    }),
    deleteApplicationBundles: jest.fn(async () => {
      order.push('delete children');
      children.clear();
    }),
  };
  return { activities, apps, children, order, attempts: () => attempts, release };
}

describe('nested registration of bundles', () => {
  it('keeps the application invisible while its bundles are half written, then completes on retry', async () => {
    const store = fixFlakyStore();
    const tenant = `t-${randomUUID()}`;
    const id = randomUUID();
    await temporal.withWorker(store.activities, async (taskQueue) => {
      const op = new WithStartWorkflowOperation<typeof applicationWorkflow>('applicationWorkflow', {
        workflowId: applicationWorkflowId(tenant, id),
        taskQueue,
        args: [{ tenantId: tenant, applicationId: id }],
        workflowIdConflictPolicy: 'FAIL',
      });
      const registered = temporal.client().workflow.executeUpdateWithStart(registerUpdate, {
        args: [{ name: 'crm', bundles: [fixBundleInput()] }],
        startWorkflowOperation: op,
      });

      await eventually(async () => (store.attempts() >= 2 ? true : undefined), 'the retried bundle write');
      expect(store.children.size).toBe(1);
      expect(store.apps.size).toBe(0);

      store.release();
      const app = await registered;
      expect(app).toMatchObject({ id, name: 'crm' });
      expect(store.apps.get(id)).toEqual(app);
      expect(store.children.size).toBe(5);
      expect(store.order).toEqual(['children', 'application']);

      await expect((await op.workflowHandle()).executeUpdate(unregisterUpdate)).resolves.toEqual(app);
      expect(store.order).toEqual(['children', 'application', 'delete application', 'delete children']);
      expect(store.children.size).toBe(0);
    });
  });
});
