import {
  getExternalWorkflowHandle,
  patched,
  proxyLocalActivities,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { BundleInstanceAuthStoreActivities } from '../../activities/bundle-instance-auth-store';
import type { BundleStoreActivities } from '../../activities/bundle-store';
import type { IdentityStoreActivities } from '../../activities/identity-store';
import type { StoreActivities } from '../../activities/store';
import type { WebhookStoreActivities } from '../../activities/webhook-store';
import {
  type Application,
  type ApplicationRegisterInput,
  newApplication,
  validateApplicationRegisterInput,
} from '../../domain/application';
import {
  type ApplicationUpdateInput,
  applicationUpdateChanges,
  validateApplicationUpdateInput,
} from '../../domain/application-update';
import { newWebhook, validateWebhookInput } from '../../domain/webhook';
import { isEmptyTree, newBundleTree } from '../../domain/bundle';
import { InvalidOperationError } from '../../domain/errors';
import { credentialRequestWorkflowId } from '../../domain/ids';
import { CompassStatusKey } from '../../domain/search-attributes';
import { toApplicationFailure } from '../shared/failures';
import { HandlerLock } from '../shared/lock';
import { STORE_WRITES } from '../shared/local-activities';
import { discardSignal } from '../credential-request/messages';
import type { ApplicationPhase, ApplicationWorkflowArgs } from './messages';

const store = proxyLocalActivities<StoreActivities>(STORE_WRITES);
const webhookStore = proxyLocalActivities<WebhookStoreActivities>(STORE_WRITES);
const bundleStore = proxyLocalActivities<BundleStoreActivities>(STORE_WRITES);
const identityStore = proxyLocalActivities<IdentityStoreActivities>(STORE_WRITES);
const instanceAuthStore = proxyLocalActivities<BundleInstanceAuthStoreActivities>(STORE_WRITES);

/** Unregistration removes the application's bundles and their content (histories before it do not). */
const UNREGISTER_DELETES_BUNDLES = 'unregister-deletes-bundles';

/** Unregistration removes the application's webhooks too (histories before it do not). */
const UNREGISTER_DELETES_WEBHOOKS = 'unregister-deletes-webhooks';

/**
 * Unregistration removes the application's SystemAuths and client credentials, so its
 * certificates and OAuth credentials stop authenticating (histories before it do not).
 */
const UNREGISTER_DELETES_IDENTITIES = 'unregister-deletes-identities';

/**
 * Unregistration deletes the application's credential requests and ends their workflows
 * (histories before it do not).
 */
const UNREGISTER_DELETES_CREDENTIAL_REQUESTS = 'unregister-deletes-credential-requests';

/** The application entity: its handlers are the workflow's message handlers. */
export class ApplicationEntity {
  readonly tenantId: string;
  readonly applicationId: string;
  phase: ApplicationPhase;
  application?: Application;
  private readonly lock = new HandlerLock();

  constructor(args: ApplicationWorkflowArgs) {
    this.tenantId = args.tenantId;
    this.applicationId = args.applicationId;
    this.application = args.application;
    this.phase = args.application ? 'registered' : 'new';
  }

  get finished(): boolean {
    return this.phase === 'unregistered' || this.phase === 'failed';
  }

  /** Rejects a registration before it reaches history. */
  validateRegister(input: ApplicationRegisterInput): void {
    try {
      if (this.finished)
        throw new InvalidOperationError('application is unregistered', { ID: this.applicationId });
      if (this.phase === 'new') validateApplicationRegisterInput(input);
    } catch (err) {
      throw toApplicationFailure(err);
    }
  }

  /** Stores the application once; a repeated registration returns what is stored. */
  register(input: ApplicationRegisterInput): Promise<Application> {
    return this.lock.run(async () => {
      if (this.application) return this.application;
      const now = new Date().toISOString();
      const app = newApplication(this.tenantId, this.applicationId, input, now);
      const webhooks = (input.webhooks ?? []).map((w) =>
        newWebhook(this.tenantId, this.applicationId, uuid4(), validateWebhookInput(w)),
      );
      const bundles = newBundleTree(this.tenantId, this.applicationId, input.bundles, uuid4, now);
      try {
        // Children first: the application document is what makes them visible.
        if (webhooks.length > 0) await webhookStore.putWebhooks(webhooks);
        if (!isEmptyTree(bundles)) await bundleStore.putBundleTree(bundles);
        this.application = await store.putApplication({
          ...app,
          bundleIds: bundles.bundles.map((b) => b.id),
          webhookIds: webhooks.map((w) => w.id),
        });
      } catch (err) {
        if (webhooks.length > 0)
          await webhookStore.deleteApplicationWebhooks(this.tenantId, this.applicationId);
        if (!isEmptyTree(bundles))
          await bundleStore.deleteApplicationBundles(this.tenantId, this.applicationId);
        this.phase = 'failed';
        upsertSearchAttributes([{ key: CompassStatusKey, value: 'REGISTRATION_FAILED' }]);
        throw toApplicationFailure(err);
      }
      this.phase = 'registered';
      // The starter already set CompassStatus to the condition it asked for; upsert only a change.
      if (workflowInfo().typedSearchAttributes.get(CompassStatusKey) !== app.status.condition) {
        upsertSearchAttributes([{ key: CompassStatusKey, value: app.status.condition }]);
      }
      return this.application;
    });
  }

  /** Rejects an update before it reaches history: only a registered application changes. */
  validateUpdate(input: ApplicationUpdateInput): void {
    try {
      if (this.phase !== 'registered')
        throw new InvalidOperationError('application is not registered', { ID: this.applicationId });
      validateApplicationUpdateInput(input);
    } catch (err) {
      throw toApplicationFailure(err);
    }
  }

  /** Writes the changed fields only, so labels edited meanwhile through the API are kept. */
  update(input: ApplicationUpdateInput): Promise<Application> {
    return this.lock.run(async () => {
      const current = this.application!;
      const { set, unset } = applicationUpdateChanges(current, input, new Date().toISOString());
      try {
        this.application = await store.updateApplication(this.tenantId, this.applicationId, set, unset);
      } catch (err) {
        throw toApplicationFailure(err);
      }
      if (this.application.status.condition !== current.status.condition) {
        upsertSearchAttributes([{ key: CompassStatusKey, value: this.application.status.condition }]);
      }
      return this.application;
    });
  }

  /** Removes the application's data; the workflow ends once this returns. */
  unregister(): Promise<Application | null> {
    return this.lock.run(async () => {
      const removed = this.application ?? null;
      await store.deleteApplication(this.tenantId, this.applicationId);
      if (patched(UNREGISTER_DELETES_WEBHOOKS)) {
        await webhookStore.deleteApplicationWebhooks(this.tenantId, this.applicationId);
      }
      if (patched(UNREGISTER_DELETES_BUNDLES)) {
        await bundleStore.deleteApplicationBundles(this.tenantId, this.applicationId);
      }
      if (patched(UNREGISTER_DELETES_IDENTITIES)) {
        await identityStore.deleteObjectIdentities(this.tenantId, this.applicationId);
      }
      if (patched(UNREGISTER_DELETES_CREDENTIAL_REQUESTS)) await this.deleteCredentialRequests();
      this.phase = 'unregistered';
      upsertSearchAttributes([{ key: CompassStatusKey, value: 'UNREGISTERED' }]);
      return removed;
    });
  }

  /**
   * Each credential request's workflow, while it runs, deletes its request and ends (so no
   * late webhook answer writes it again); the request of a finished one is deleted here. Its
   * bundles are gone first, so no new request can start meanwhile.
   */
  private async deleteCredentialRequests(): Promise<void> {
    const ids = await instanceAuthStore.listApplicationBundleInstanceAuthIds(
      this.tenantId,
      this.applicationId,
    );
    await Promise.all(
      ids.map(async (id) => {
        try {
          await getExternalWorkflowHandle(credentialRequestWorkflowId(this.tenantId, id)).signal(
            discardSignal,
          );
        } catch {
          // Its workflow has ended: nothing else writes the request.
          await instanceAuthStore.deleteBundleInstanceAuth(this.tenantId, id);
        }
      }),
    );
  }
}
